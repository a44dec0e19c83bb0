import type { AnalysisContext } from '../context.js';
import { MAX_PARSE_BYTES } from '../context.js';
import { analyzeJavaScriptSource } from '../javascript/facts.js';
import { resolveFile } from '../javascript/package.js';
import { analyzePythonSource, reachableFrom, type PyFileFacts } from '../python/facts.js';
import type { SyntaxNode } from '../python/parser.js';
import type { DeclaredEntryPoint } from './extract.js';

/**
 * Following an entry point into the code it runs: `module:attr` to the file and function,
 * npm bin paths to the script. The behaviours come from the shared fact extractors; this module
 * only decides which facts belong to the entry point and which of them matter here.
 */

export type BehaviourKind =
  | 'runs-same-command'
  | 'path-lookup'
  | 'network'
  | 'credentials'
  | 'environment'
  | 'file-write'
  | 'background'
  | 'process'
  | 'exec-decoded'
  | 'persistence';

export interface Behaviour {
  kind: BehaviourKind;
  file: string;
  line: number;
  evidence: string;
}

export interface ResolvedTarget {
  /** Archive path of the file the entry point runs. */
  file: string;
  /** Function named by the entry point (`attr`), when there is one and it was found. */
  functionName?: string;
  behaviours: Behaviour[];
}

const SEARCH_DIRS = ['', 'src/', 'lib/', 'python/'];
const MAX_IMPORT_HOPS = 3;

/** Archive path of a dotted Python module inside the package (src layouts and wheels too). */
export function resolvePythonModule(ctx: AnalysisContext, module: string): string | undefined {
  const rel = module.replace(/\./g, '/');
  for (const dir of SEARCH_DIRS) {
    for (const candidate of [`${rel}.py`, `${rel}/__init__.py`]) {
      const path = ctx.atRoot(dir + candidate);
      if (ctx.file(path)) return path;
    }
  }
  // Unusual layouts (Debian trees, nested roots): the shortest path that ends with the module.
  let best: string | undefined;
  for (const file of ctx.files) {
    if (
      file.path.endsWith(`/${rel}.py`) ||
      file.path.endsWith(`/${rel}/__init__.py`) ||
      file.path === `${rel}.py`
    ) {
      if (!best || file.path.length < best.length) best = file.path;
    }
  }
  return best;
}

/** `pkg.mod:func.attr [extra]` → module and the first attribute. */
export function parsePythonTarget(target: string): { module: string; attr?: string } | undefined {
  const m = /^\s*([A-Za-z_][\w.]*)\s*(?::\s*([A-Za-z_][\w.]*))?/.exec(target);
  if (!m) return undefined;
  return { module: m[1], attr: m[2]?.split('.')[0] };
}

function sourceOf(ctx: AnalysisContext, path: string): string | null {
  const file = ctx.file(path);
  if (!file || file.truncated || file.data.length > MAX_PARSE_BYTES) return null;
  return ctx.text(path);
}

const factCache = new WeakMap<AnalysisContext, Map<string, PyFileFacts | null>>();

function pythonFacts(ctx: AnalysisContext, path: string): PyFileFacts | null {
  let perCtx = factCache.get(ctx);
  if (!perCtx) factCache.set(ctx, (perCtx = new Map()));
  if (!perCtx.has(path)) {
    const source = sourceOf(ctx, path);
    perCtx.set(
      path,
      source === null
        ? null
        : analyzePythonSource(path, source, {
            topLevel: 'import',
            installFunctions: new Set(),
            installClasses: new Set(),
          }),
    );
  }
  return perCtx.get(path) ?? null;
}

function resolveRelative(
  fromFile: string,
  module: string,
  ctx: AnalysisContext,
): string | undefined {
  if (!module.startsWith('.')) return resolvePythonModule(ctx, module);
  const dots = /^\.+/.exec(module)?.[0].length ?? 0;
  const parts = fromFile.split('/');
  parts.pop();
  for (let i = 1; i < dots; i++) parts.pop();
  const rest = module.slice(dots).replace(/\./g, '/');
  const base = parts.join('/') + (parts.length ? '/' : '');
  for (const candidate of rest
    ? [`${base}${rest}.py`, `${base}${rest}/__init__.py`]
    : [`${base}__init__.py`]) {
    if (ctx.file(candidate)) return candidate;
  }
  return undefined;
}

/**
 * What a Python entry point does when run: the facts of the named function and everything it calls
 * in its module, plus the module's top level (which runs on import). With `wholeModule`, every
 * function counts (plugins: the tool calls whichever hook it likes).
 */
export function followPythonEntryPoint(
  ctx: AnalysisContext,
  ep: DeclaredEntryPoint,
  wholeModule = false,
): ResolvedTarget | undefined {
  const parsed = parsePythonTarget(ep.target);
  if (!parsed) return undefined;
  let file = resolvePythonModule(ctx, parsed.module);
  let attr = parsed.attr;
  if (!file) return undefined;
  let facts = pythonFacts(ctx, file);
  // `from .cli import main` in __init__.py: the function lives one import further.
  for (let hop = 0; hop < MAX_IMPORT_HOPS && facts && attr && !wholeModule; hop++) {
    const imported = facts.fromImports.get(attr);
    if (!imported || facts.edges.has(attr)) break;
    const next = resolveRelative(file, imported.module, ctx);
    if (!next) break;
    file = next;
    attr = imported.name;
    facts = pythonFacts(ctx, file);
  }
  if (!facts) return { file, functionName: attr, behaviours: [] };
  const reachable = attr
    ? reachableFrom(facts.edges, [attr, ...facts.reachFromTop])
    : new Set(facts.reachFromTop);
  const behaviours: Behaviour[] = [];
  const source = sourceOf(ctx, file) ?? '';
  for (const fact of facts.facts) {
    if (!wholeModule && fact.fn !== undefined && !reachable.has(fact.fn)) continue;
    const kind = pythonBehaviour(fact.kind, fact.name, fact.evidence, fact.origins);
    if (kind) behaviours.push({ kind, file, line: fact.line, evidence: fact.evidence });
    if (fact.kind === 'process' && runsCommand(ep.name, `${fact.value ?? ''} ${fact.evidence}`)) {
      behaviours.push({
        kind: 'runs-same-command',
        file,
        line: fact.line,
        evidence: fact.evidence,
      });
    }
  }
  behaviours.push(...textualBehaviours(ctx, ep.name, file, source, reachable, wholeModule));
  if (!behaviours.some((b) => b.kind === 'runs-same-command')) {
    // `real = "/usr/bin/aws"; subprocess.call([real] + args)`: the name sits in a variable of the
    // same function as the process call.
    const functionAt = functionOfLine(ctx, file);
    const lines = source.split('\n');
    for (const fact of facts.facts) {
      if (
        fact.kind !== 'process' ||
        (!wholeModule && fact.fn !== undefined && !reachable.has(fact.fn))
      )
        continue;
      const fn = functionAt(fact.line);
      const literal = lines.findIndex(
        (l, i) => functionAt(i + 1) === fn && namesCommandLiteral(ep.name, l),
      );
      if (literal >= 0) {
        behaviours.push({
          kind: 'runs-same-command',
          file,
          line: fact.line,
          evidence: `${fact.evidence} (${lines[literal].trim()}, line ${literal + 1})`,
        });
        break;
      }
    }
  }
  return { file, functionName: attr, behaviours: dedupe(behaviours) };
}

function pythonBehaviour(
  kind: string,
  name: string,
  evidence: string,
  origins: readonly string[] | undefined,
): BehaviourKind | undefined {
  switch (kind) {
    case 'network':
    case 'download':
    case 'shell-download':
    case 'endpoint':
    case 'reverse-shell':
      return 'network';
    case 'sensitive':
      return 'credentials';
    case 'env-dump':
      return 'environment';
    case 'host-info':
      return /environ|getenv/.test(name) ? undefined : 'environment';
    case 'persistence':
      return 'persistence';
    case 'file-write':
      return /expanduser|~|\/etc\/|\/usr\/|home|APPDATA|environ/i.test(evidence)
        ? 'file-write'
        : undefined;
    case 'hidden':
      return 'background';
    case 'exec':
      return origins?.some((o) => o === 'decode' || o === 'network') ? 'exec-decoded' : undefined;
    case 'process':
      return BACKGROUND.test(evidence) ? 'background' : 'process';
    default:
      return undefined;
  }
}

const BACKGROUND =
  /start_new_session|DETACHED_PROCESS|CREATE_NO_WINDOW|setsid|nohup|daemon\s*=\s*True|\bdetached\s*:\s*true|\.unref\(\)|&\s*["'`]?\s*\)?$/;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A string in the call starts with the command (or a path ending in it) as its first word. */
export function runsCommand(command: string, text: string): boolean {
  const name = escapeRegExp(command.replace(/\.(cmd|bat|exe)$/i, ''));
  return new RegExp(
    `(^|["'\`\\[(,\\s])(?:[^"'\`\\s]*[/\\\\])?${name}(?:\\.exe)?(?=$|["'\`\\s,\\])])`,
  ).test(text);
}

/** A quoted string that is the command or a path to it, possibly with arguments. */
export function namesCommandLiteral(command: string, line: string): boolean {
  const name = escapeRegExp(command.replace(/\.(cmd|bat|exe)$/i, ''));
  return new RegExp(`["'\`](?:[^"'\`\\s]*[/\\\\])?${name}(?:\\.exe)?(?:\\s[^"'\`]*)?["'\`]`).test(
    line,
  );
}

/** shutil.which / PATH reads and rewrites: how a wrapper finds the real command behind itself. */
function textualBehaviours(
  ctx: AnalysisContext,
  command: string,
  file: string,
  source: string,
  reachable: Set<string>,
  wholeModule: boolean,
): Behaviour[] {
  const out: Behaviour[] = [];
  const name = escapeRegExp(command);
  const lines = source.split('\n');
  const which = new RegExp(`\\bwhich\\s*\\(\\s*[rbuf]?["'](?:[^"']*/)?${name}["']`);
  const pathUse =
    /environ\s*(?:\[\s*["']PATH["']|\.get\(\s*["']PATH["'])|getenv\(\s*["']PATH["']|os\.pathsep|os\.defpath|get_exec_path/;
  const functionAt = functionOfLine(ctx, file);
  for (let i = 0; i < lines.length; i++) {
    const fn = functionAt(i + 1);
    if (!wholeModule && fn !== undefined && !reachable.has(fn)) continue;
    if (which.test(lines[i]))
      out.push({ kind: 'runs-same-command', file, line: i + 1, evidence: lines[i].trim() });
    else if (pathUse.test(lines[i]))
      out.push({ kind: 'path-lookup', file, line: i + 1, evidence: lines[i].trim() });
  }
  return out;
}

/** Maps a line to the outermost function that holds it (as the facts name `fn`). */
function functionOfLine(ctx: AnalysisContext, file: string): (line: number) => string | undefined {
  const spans: [string, number, number][] = [];
  const visit = (node: SyntaxNode | null, depth: number) => {
    if (!node || depth > 3) return;
    for (const child of node.namedChildren) {
      const def =
        child.type === 'decorated_definition' ? child.childForFieldName('definition') : child;
      if (def?.type === 'function_definition') {
        const name = def.childForFieldName('name')?.text;
        if (name) spans.push([name, def.startPosition.row + 1, def.endPosition.row + 1]);
      } else if (def?.type === 'class_definition') {
        visit(def.childForFieldName('body'), depth + 1);
      }
    }
  };
  visit(ctx.python(file)?.rootNode ?? null, 0);
  return (line) => spans.find(([, from, to]) => line >= from && line <= to)?.[0];
}

/** What an npm bin script does: the whole file runs when the command runs. */
export function followNpmBin(
  ctx: AnalysisContext,
  ep: DeclaredEntryPoint,
): ResolvedTarget | undefined {
  const file = resolveFile(ctx, ctx.root, ep.target);
  if (!file) return undefined;
  const source = sourceOf(ctx, file);
  if (source === null) return { file, behaviours: [] };
  const facts = analyzeJavaScriptSource(file, source, () => 'call');
  const behaviours: Behaviour[] = [];
  for (const fact of facts.facts) {
    const kind = pythonBehaviour(fact.kind, fact.name, fact.evidence, fact.origins);
    if (kind) behaviours.push({ kind, file, line: fact.line, evidence: fact.evidence });
    if (fact.kind === 'process' && runsCommand(ep.name, `${fact.value ?? ''} ${fact.evidence}`)) {
      behaviours.push({
        kind: 'runs-same-command',
        file,
        line: fact.line,
        evidence: fact.evidence,
      });
    }
  }
  const lines = source.split('\n');
  const which = new RegExp(`\\bwhich(?:\\.sync)?\\s*\\(\\s*["'\`]${escapeRegExp(ep.name)}["'\`]`);
  for (let i = 0; i < lines.length; i++) {
    if (which.test(lines[i]))
      behaviours.push({ kind: 'runs-same-command', file, line: i + 1, evidence: lines[i].trim() });
    else if (/process\.env\.PATH\b|process\.env\[\s*["'`]PATH["'`]\s*\]/.test(lines[i])) {
      behaviours.push({ kind: 'path-lookup', file, line: i + 1, evidence: lines[i].trim() });
    }
  }
  return { file, behaviours: dedupe(behaviours) };
}

function dedupe(behaviours: Behaviour[]): Behaviour[] {
  const seen = new Set<string>();
  return behaviours.filter((b) => {
    const key = `${b.kind}\u0000${b.file}\u0000${b.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
