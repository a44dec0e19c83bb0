import type { AnalysisContext } from '../context.js';
import { MAX_PARSE_BYTES, PARSE_TIME_BUDGET_MS, pastParseDeadline } from '../context.js';
import { ANY_INDICATOR, DOWNLOAD_AND_RUN_SHELL } from '../rules/shared/indicators.js';
import { analyzeJavaScriptSource, JS_TRIGGER, type JsFileFacts } from './facts.js';

/**
 * Package-level view of an npm package's JavaScript: the lifecycle scripts npm runs on install,
 * the files those scripts run (and the files they require), and every file's facts with the
 * position its code runs in.
 */

export const LIFECYCLE_SCRIPTS = ['preinstall', 'install', 'postinstall'] as const;

export interface LifecycleScript {
  /** package.json that declares it (archive path). */
  manifest: string;
  /** 1-based line of the script in package.json. */
  line: number;
  hook: string;
  command: string;
  /** Archive paths of the files the command runs, when they exist in the package. */
  files: string[];
  /** Files the command names that are not in the package. */
  missing: string[];
}

export interface JsPackageFacts {
  scripts: LifecycleScript[];
  files: JsFileFacts[];
  installFiles: Set<string>;
  /** Files left unparsed because the package's parse budget ran out (largest, least suspicious). */
  textOnly: string[];
}

/**
 * Bytes of JavaScript parsed per package beyond the files npm runs or loads first: about three
 * seconds on one shared core. Vendored bundles past it are reported, not silently passed.
 */
export const JS_PARSE_BUDGET = 10 * 1024 * 1024;

/** The package's `main`/`exports` entry and its `bin` files: what a user's code or shell runs. */
function entryFiles(ctx: AnalysisContext): Set<string> {
  const out = new Set<string>();
  const manifest = ctx.packageJson();
  if (!manifest) return out;
  const targets: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') for (const v of Object.values(value)) collect(v);
  };
  collect(manifest.main ?? 'index.js');
  collect(manifest.bin);
  collect(manifest.exports);
  for (const target of targets.slice(0, 50)) {
    const found = resolveFile(ctx, ctx.root, target);
    if (found) out.add(found);
  }
  return out;
}

const cache = new WeakMap<AnalysisContext, JsPackageFacts>();

const RUNNERS =
  /(?:^|[\s;&|(])(?:node|nodejs|bun|deno\s+run|sh|bash|zsh|python3?|npx\s+--yes\s+node|tsx|ts-node)\s+((?:-[\w-]+(?:=\S+)?\s+)*)([^\s;&|'"()<>]+)/g;

export function jsPackageFacts(
  ctx: AnalysisContext,
  parseBudget = JS_PARSE_BUDGET,
  timeBudgetMs = PARSE_TIME_BUDGET_MS,
): JsPackageFacts {
  const cached = cache.get(ctx);
  if (cached) return cached;
  const scripts: LifecycleScript[] = [];
  for (const manifest of ctx.files.filter((f) => /(?:^|\/)package\.json$/.test(f.path))) {
    if (
      /(?:^|\/)(?:test|tests|fixtures?|__tests__|examples?)\//.test(
        manifest.path.slice(ctx.root.length),
      )
    )
      continue;
    const text = ctx.text(manifest.path);
    if (text === null) continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      continue;
    }
    const declared =
      json && typeof json === 'object' ? (json as { scripts?: unknown }).scripts : undefined;
    if (!declared || typeof declared !== 'object') continue;
    const dir = manifest.path.slice(0, manifest.path.length - 'package.json'.length);
    for (const hook of LIFECYCLE_SCRIPTS) {
      const command = (declared as Record<string, unknown>)[hook];
      if (typeof command !== 'string') continue;
      const { files, missing } = scriptFiles(ctx, dir, command);
      scripts.push({
        manifest: manifest.path,
        line: lineOfKey(text, hook),
        hook,
        command,
        files,
        missing,
      });
    }
  }
  const installFiles = new Set<string>();
  const queue = scripts.flatMap((s) => s.files);
  while (queue.length) {
    const path = queue.pop() as string;
    if (installFiles.has(path) || installFiles.size > 50) continue;
    installFiles.add(path);
    const text = ctx.text(path);
    if (text) for (const dep of relativeRequires(ctx, path, text)) queue.push(dep);
  }
  const entries = entryFiles(ctx);
  const candidates: { path: string; text: string; install: boolean; rank: number }[] = [];
  for (const file of ctx.files) {
    if (!ctx.isJavaScript(file.path) || file.truncated || file.data.length > MAX_PARSE_BYTES)
      continue;
    const install = installFiles.has(file.path);
    const text = ctx.text(file.path);
    if (text === null || (!install && !JS_TRIGGER.test(text))) continue;
    const rank =
      install || entries.has(file.path)
        ? 0
        : ANY_INDICATOR.test(text) || DOWNLOAD_AND_RUN_SHELL.test(text)
          ? 1
          : 2;
    candidates.push({ path: file.path, text, install, rank });
  }
  // Within the budget: code npm runs or loads first, then files with a threat indicator, then
  // smaller files (an injected payload is small; vendored bundles are megabytes).
  candidates.sort((a, b) => a.rank - b.rank || a.text.length - b.text.length);
  const files: JsFileFacts[] = [];
  const textOnly: string[] = [];
  let budget = parseBudget;
  const started = performance.now();
  for (const c of candidates) {
    if (
      (c.rank >= 1 && c.text.length > budget) ||
      pastParseDeadline(c.rank, performance.now() - started, timeBudgetMs)
    ) {
      textOnly.push(c.path);
      continue;
    }
    if (c.rank >= 1) budget -= c.text.length;
    files.push(
      analyzeJavaScriptSource(c.path, c.text, (onLoad) =>
        onLoad ? (c.install ? 'install' : 'import') : 'call',
      ),
    );
  }
  const result = { scripts, files, installFiles, textOnly };
  cache.set(ctx, result);
  return result;
}

function scriptFiles(
  ctx: AnalysisContext,
  dir: string,
  command: string,
): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const m of command.matchAll(RUNNERS)) {
    const target = m[2];
    if (/^-/.test(target)) continue;
    const found = resolveFile(ctx, dir, target);
    if (found) files.push(found);
    else if (/[./]/.test(target) && !/^(?:node_modules|\$)/.test(target)) missing.push(target);
  }
  return { files, missing };
}

export function resolveFile(ctx: AnalysisContext, dir: string, target: string): string | undefined {
  const clean = normalise(dir + target.replace(/^\.\//, ''));
  // `node .` / `node ./lib`: a folder runs its package.json "main" (or index.js)
  const manifest = ctx.text(`${clean}/package.json`);
  if (manifest) {
    try {
      const main = (JSON.parse(manifest) as { main?: unknown }).main;
      if (typeof main === 'string' && main !== '' && main !== '.' && main !== './') {
        const found = resolveFile(ctx, `${clean}/`, main);
        if (found) return found;
      }
    } catch {
      // a broken manifest: fall back to index.js
    }
  }
  for (const candidate of [
    clean,
    `${clean}.js`,
    `${clean}.cjs`,
    `${clean}.mjs`,
    `${clean}/index.js`,
    `${clean}.sh`,
    `${clean}.py`,
  ]) {
    if (ctx.file(candidate)) return candidate;
  }
  return undefined;
}

function relativeRequires(ctx: AnalysisContext, from: string, text: string): string[] {
  const dir = from.slice(0, from.lastIndexOf('/') + 1);
  const out: string[] = [];
  for (const m of text.matchAll(
    /(?:require\s*\(\s*|from\s+|import\s*\(\s*)['"`](\.{1,2}\/[^'"`]+)['"`]/g,
  )) {
    const found = resolveFile(ctx, dir, m[1]);
    if (found) out.push(found);
  }
  return out;
}

function normalise(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

function lineOfKey(text: string, key: string): number {
  const i = text.indexOf(`"${key}"`);
  if (i < 0) return 1;
  let line = 1;
  for (let k = 0; k < i; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}
