// Bundles the action (dist/index.js) and the CLI (dist/cli.js) with esbuild, and copies the
// tree-sitter WASM files beside them so dist/ runs with nothing installed.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

await build({
  absWorkingDir: root,
  entryPoints: { index: 'src/index.ts', cli: 'src/cli.ts' },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // Prefer ESM builds: some packages' UMD builds (jsonc-parser) use require() calls esbuild cannot follow.
  mainFields: ['module', 'main'],
  target: 'node20',
  minify: false,
  legalComments: 'none',
  chunkNames: 'chunk-[hash]',
  // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __pkgGateCreateRequire } from 'node:module'; const require = __pkgGateCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

for (const specifier of [
  'web-tree-sitter/web-tree-sitter.wasm',
  'tree-sitter-python/tree-sitter-python.wasm',
]) {
  const source = require.resolve(specifier);
  copyFileSync(source, join(dist, source.split('/').pop()));
}

console.log(`dist/: ${readdirSync(dist).join(', ')}`);
