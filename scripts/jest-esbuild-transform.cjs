// Jest transformer: TypeScript → ESM with esbuild (already the bundler). No platform-specific
// packages beyond esbuild's own, which keeps `npm ci` reproducible on every machine.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, path) {
    const { code, map } = transformSync(source, {
      loader: path.endsWith('.ts') ? 'ts' : 'js',
      format: 'esm',
      target: 'es2022',
      sourcefile: path,
      sourcemap: 'external',
    });
    return { code, map };
  },
};
