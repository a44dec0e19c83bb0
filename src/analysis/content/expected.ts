import type { AnalysisContext } from '../context.js';
import { installContext } from './install.js';
import { basename, extension } from './names.js';

/** Folders where native-addon tooling (prebuildify, node-pre-gyp, node-gyp, napi-rs) puts binaries. */
const PREBUILT_FOLDER =
  /(?:^|\/)(?:prebuilds|prebuilt|build\/Release|build\/Debug|lib\/binding|binding|napi-v\d+|bin\/(?:linux|darwin|win32|win|macos|freebsd)[-_][\w-]+)\//i;

/** CPython extension modules: `x.cpython-311-x86_64-linux-gnu.so`, `x.abi3.so`, `x.cp311-win_amd64.pyd`. */
const PYTHON_EXTENSION =
  /\.(?:cpython-\d+[\w-]*|abi3|cp\d+-[\w]+|pypy\d*[\w-]*)\.(?:so|pyd|dylib)$|\.pyd$/i;

/** Shared libraries that wheel repair tools (auditwheel, delocate, delvewheel) bundle. */
const BUNDLED_LIBRARY_FOLDER =
  /(?:^|\/)[\w.-]+\.libs\/|(?:^|\/)\.dylibs\/|(?:^|\/)[\w.-]+\.data\/(?:scripts|data)\//;

/**
 * Why a native binary at this path is what the package is for, or undefined when nothing says
 * so. Packages whose purpose is shipping binaries say it in metadata (npm `os`/`cpu`, a wheel's
 * platform tag) or by convention (`.node` addons, prebuilds/ folders, CPython extension names).
 */
export function expectedBinaryReason(ctx: AnalysisContext, path: string): string | undefined {
  const install = installContext(ctx);
  if (install.platformPackage) return install.platformReason;
  const ext = extension(path);
  const relative = path.slice(ctx.root.length);
  if (ctx.ecosystem === 'npm') {
    if (ext === 'node') return 'a Node.js native addon (.node)';
    if (PREBUILT_FOLDER.test(relative)) return 'it sits in a prebuilt-binaries folder';
    if (install.declaredBinaries.has(path))
      return 'package.json declares it as the package command (bin)';
    const stem = basename(path).replace(/\.(?:exe|bin)$/i, '');
    const own = (ctx.name ?? '').split('/').pop();
    if (own && stem.toLowerCase() === own.toLowerCase()) return 'it is named after the package';
    return undefined;
  }
  if (PYTHON_EXTENSION.test(path)) return 'a compiled Python extension module';
  if (BUNDLED_LIBRARY_FOLDER.test(path)) return 'a shared library bundled by a wheel build tool';
  if (hasCompiledExtension(ctx))
    return 'the package is a binary build (it has compiled extension modules)';
  return undefined;
}

const compiledCache = new WeakMap<AnalysisContext, boolean>();

function hasCompiledExtension(ctx: AnalysisContext): boolean {
  let value = compiledCache.get(ctx);
  if (value === undefined) {
    value = ctx.files.some((f) => PYTHON_EXTENSION.test(f.path));
    compiledCache.set(ctx, value);
  }
  return value;
}
