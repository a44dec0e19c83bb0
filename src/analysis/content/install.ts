import type { AnalysisContext } from '../context.js';
import { basename, extension } from './names.js';

/**
 * What runs at install time and whether the package exists to ship native binaries: the two
 * facts that decide how alarming a binary or an obfuscated file is. Computed from package.json,
 * setup.py, `.pth` files and the wheel's WHEEL tags; cached per package.
 */
export interface InstallContext {
  /** npm lifecycle commands (preinstall/install/postinstall) and their package.json. */
  scripts: { hook: string; command: string; manifest: string }[];
  /** Archive paths of files that run at install time (lifecycle targets and what they require, setup.py, .pth). */
  installFiles: Set<string>;
  /** True when the package's purpose is to ship prebuilt binaries (see `platformReason`). */
  platformPackage: boolean;
  /** Why the package counts as a platform package, for messages. */
  platformReason?: string;
  /** Binary paths the package declares as its own command (npm `bin`). */
  declaredBinaries: Set<string>;
}

const LIFECYCLE = ['preinstall', 'install', 'postinstall'] as const;
const cache = new WeakMap<AnalysisContext, InstallContext>();

export function installContext(ctx: AnalysisContext): InstallContext {
  const cached = cache.get(ctx);
  if (cached) return cached;
  const result: InstallContext = {
    scripts: [],
    installFiles: new Set(),
    platformPackage: false,
    declaredBinaries: new Set(),
  };
  if (ctx.ecosystem === 'npm') readNpm(ctx, result);
  else readPython(ctx, result);
  cache.set(ctx, result);
  return result;
}

function readNpm(ctx: AnalysisContext, out: InstallContext): void {
  const manifest = ctx.atRoot('package.json');
  const json = ctx.packageJson();
  if (!json) return;
  const scripts = json.scripts && typeof json.scripts === 'object' ? json.scripts : {};
  const queue: string[] = [];
  for (const hook of LIFECYCLE) {
    const command = (scripts as Record<string, unknown>)[hook];
    if (typeof command !== 'string') continue;
    out.scripts.push({ hook, command, manifest });
    queue.push(...commandFiles(ctx, ctx.root, command));
  }
  if (out.scripts.length === 0 && ctx.file(ctx.atRoot('binding.gyp'))) {
    out.scripts.push({ hook: 'install', command: 'node-gyp rebuild', manifest });
  }
  while (queue.length && out.installFiles.size < 64) {
    const path = queue.pop() as string;
    if (out.installFiles.has(path)) continue;
    out.installFiles.add(path);
    const text = ctx.file(path)?.truncated ? null : ctx.text(path);
    if (text) queue.push(...relativeRequires(ctx, path, text));
  }
  const bin = json.bin;
  const bins =
    typeof bin === 'string' ? [bin] : bin && typeof bin === 'object' ? Object.values(bin) : [];
  for (const target of bins) {
    if (typeof target === 'string') out.declaredBinaries.add(normalise(ctx.root + target));
  }
  const platformField = ['os', 'cpu', 'libc'].find((key) => Array.isArray(json[key]));
  if (platformField) {
    out.platformPackage = true;
    out.platformReason = `package.json restricts it to platforms ("${platformField}")`;
  }
}

function readPython(ctx: AnalysisContext, out: InstallContext): void {
  for (const file of ctx.files) {
    const base = basename(file.path);
    if (base === 'setup.py' && isTopSetup(ctx, file.path)) out.installFiles.add(file.path);
    if (extension(file.path) === 'pth' && !file.path.includes('/tests/'))
      out.installFiles.add(file.path);
  }
  // local modules that setup.py imports run at install time too (`from _build import hooks`)
  const queue = [...out.installFiles].filter((p) => p.endsWith('setup.py'));
  while (queue.length && out.installFiles.size < 64) {
    const path = queue.pop() as string;
    const text = ctx.text(path);
    if (!text) continue;
    for (const module of localPythonImports(ctx, path, text)) {
      if (out.installFiles.has(module)) continue;
      out.installFiles.add(module);
      queue.push(module);
    }
  }
  for (const file of ctx.files) {
    if (!/(?:^|\/)[^/]+\.dist-info\/WHEEL$/.test(file.path)) continue;
    const tags = (ctx.text(file.path) ?? '').match(/^Tag:\s*(\S+)/gm) ?? [];
    const platform = tags.map((t) => t.replace(/^Tag:\s*/, '')).find((t) => !t.endsWith('-any'));
    if (platform) {
      out.platformPackage = true;
      out.platformReason = `the wheel is built for a platform (${platform})`;
    }
  }
}

/** Files of the package that a Python file imports by absolute or relative module name. */
function localPythonImports(ctx: AnalysisContext, from: string, text: string): string[] {
  const base = from.slice(0, from.lastIndexOf('/') + 1);
  const found: string[] = [];
  const candidates = (module: string): string[] => {
    const path = base + module.replace(/^\.+/, '').split('.').join('/');
    return [`${path}.py`, `${path}/__init__.py`];
  };
  for (const m of text.matchAll(
    /^[ \t]*(?:from[ \t]+([.\w]+)[ \t]+import[ \t]+([\w, \t]+)|import[ \t]+([\w.]+))/gm,
  )) {
    const module = m[1] ?? m[3];
    const names = m[2] ? m[2].split(',').map((n) => n.trim().split(/\s+/)[0]) : [];
    const options = [...candidates(module), ...names.flatMap((n) => candidates(`${module}.${n}`))];
    for (const option of options) if (ctx.file(option)) found.push(option);
  }
  return found;
}

/** setup.py at the package root, or at the root of another sdist bundled in the same scan. */
function isTopSetup(ctx: AnalysisContext, path: string): boolean {
  const dir = path.slice(0, path.length - 'setup.py'.length);
  return dir === ctx.root || ctx.file(`${dir}PKG-INFO`) !== undefined;
}

/** Files of the package that a lifecycle command names (`node x.js`, `./bin/tool`, `sh a.sh`). */
function commandFiles(ctx: AnalysisContext, dir: string, command: string): string[] {
  const found: string[] = [];
  for (const token of command.split(/[\s;&|()<>'"`=]+/)) {
    if (!token || token.startsWith('-') || token.startsWith('$')) continue;
    const path = resolve(ctx, dir, token);
    if (path) found.push(path);
  }
  return found;
}

function relativeRequires(ctx: AnalysisContext, from: string, text: string): string[] {
  const dir = from.slice(0, from.lastIndexOf('/') + 1);
  const out: string[] = [];
  for (const m of text.matchAll(
    /(?:require\s*\(\s*|from\s+|import\s*\(\s*)['"`](\.{1,2}\/[^'"`]+)['"`]/g,
  )) {
    const path = resolve(ctx, dir, m[1]);
    if (path) out.push(path);
  }
  return out;
}

function resolve(ctx: AnalysisContext, dir: string, target: string): string | undefined {
  if (!/^[\w./@-]+$/.test(target)) return undefined;
  const clean = normalise(dir + target.replace(/^\.\//, ''));
  for (const candidate of [
    clean,
    `${clean}.js`,
    `${clean}.cjs`,
    `${clean}.mjs`,
    `${clean}/index.js`,
  ]) {
    if (candidate && ctx.file(candidate)) return candidate;
  }
  return undefined;
}

export function normalise(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

/**
 * Does install-time code name this file? Matches the path relative to the package root or the
 * file name as a whole word (`x.exe`), so `bin/tool` in a postinstall or `"payload.exe"` in
 * setup.py count; a bare name without extension must appear quoted or as a path segment.
 */
export function referencedAtInstall(
  ctx: AnalysisContext,
  install: InstallContext,
  path: string,
): { where: string; text: string } | undefined {
  const relative = path.startsWith(ctx.root) ? path.slice(ctx.root.length) : path;
  const base = basename(path);
  const needles = [relative];
  if (base.includes('.')) needles.push(base);
  const quoted = new RegExp(
    `(?:^|[\\s'"\`/\\\\])(?:${needles.map(escapeRegExp).join('|')})(?=$|[\\s'"\`;&|)])`,
    'm',
  );
  const bare = base.includes('.') ? null : new RegExp(`['"\`/\\\\]${escapeRegExp(base)}['"\`]`);
  for (const script of install.scripts) {
    const m = quoted.exec(script.command) ?? (bare ? bare.exec(script.command) : null);
    if (m) return { where: `the ${script.hook} script`, text: script.command };
  }
  for (const file of install.installFiles) {
    if (file === path) continue;
    const text = ctx.text(file);
    if (!text) continue;
    for (const pattern of bare ? [quoted, bare] : [quoted]) {
      const global = new RegExp(pattern.source, `${pattern.flags}g`);
      for (const m of text.matchAll(global)) {
        if (!listedAsData(text, m.index))
          return { where: basename(file), text: lineAround(text, m.index) };
      }
    }
  }
  return undefined;
}

/**
 * setup.py's `package_data`/`data_files` lists name files to copy, not to run: a mention after
 * one of those keywords, with no call in between, does not count.
 */
function listedAsData(text: string, index: number): boolean {
  const before = text.slice(Math.max(0, index - 400), index);
  const keyword =
    /\b(?:package_data|data_files|exclude_package_data|include_package_data|files|MANIFEST)\b[^]*$/.exec(
      before,
    );
  return (
    keyword !== null &&
    !/\b(?:open|run|call|Popen|system|exec|check_output|spawn|zipimporter|load)\s*\(/.test(
      keyword[0],
    )
  );
}

function lineAround(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index) + 1;
  const end = text.indexOf('\n', index);
  return text.slice(start, end < 0 ? undefined : end).trim();
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
