import type { AnalysisContext } from '../context.js';
import { MAX_PARSE_BYTES, PARSE_TIME_BUDGET_MS, pastParseDeadline } from '../context.js';
import {
  analyzePythonSource,
  pythonWorthParsing,
  reachableFrom,
  type Position,
  type PositionPolicy,
  type PyFileFacts,
} from './facts.js';
import type { PyModule } from './module.js';
import { ANY_INDICATOR, DOWNLOAD_AND_RUN_SHELL } from '../rules/shared/indicators.js';
import type { PyNode as SyntaxNode } from './ast.js';
import { callArguments, codeWithoutProse } from './syntax.js';

/**
 * Package-level view of the Python code: every file's facts, with install-time code identified
 * across files (setup.py top level, its cmdclass commands, the local modules and functions that
 * setup.py imports and calls), `.pth` start-up lines, and sitecustomize.
 */
export interface PyPackageFacts {
  files: PyFileFacts[];
  /** setup.py files that pip runs at install time. */
  setupFiles: string[];
  /** Files left unparsed because the package's parse budget ran out (largest, least suspicious). */
  textOnly: string[];
}

/**
 * Bytes of Python parsed per package beyond the code that runs by itself: about three seconds
 * of parsing on one shared core, so one huge package cannot stall the run. The files past it
 * are the largest ones without any threat indicator, and the report says which.
 */
export const PYTHON_PARSE_BUDGET = 3 * 1024 * 1024;

/** 0: runs by itself (install, start-up, package entry), always parsed; 1: has a threat indicator; 2: other. */
function parsePriority(source: string, automatic: boolean): number {
  if (automatic) return 0;
  return ANY_INDICATOR.test(source) || DOWNLOAD_AND_RUN_SHELL.test(source) ? 1 : 2;
}

const cache = new WeakMap<AnalysisContext, PyPackageFacts>();

/** Base classes of setuptools/distutils commands: a subclass's methods run during install. */
const COMMAND_BASE =
  /(?:^|\.)(?:install|develop|egg_info|build|build_py|build_ext|build_clib|build_scripts|sdist|bdist\w*|install_\w+|easy_install|Command|test|_install|_develop|_egg_info|_build_py|_sdist|orig\.install)$/;

export function pythonPackageFacts(
  ctx: AnalysisContext,
  parseBudget = PYTHON_PARSE_BUDGET,
  timeBudgetMs = PARSE_TIME_BUDGET_MS,
): PyPackageFacts {
  const cached = cache.get(ctx);
  if (cached) return cached;
  const setupFiles = ctx.files.filter((f) => isInstallSetup(ctx, f.path)).map((f) => f.path);
  const files: PyFileFacts[] = [];
  const done = new Set<string>();
  const installTop = new Set<string>();
  const installFunctions = new Map<string, Set<string>>();

  for (const path of setupFiles) {
    const source = readable(ctx, path);
    if (source === null) continue;
    let imports: { module: string; names: string[] }[] = [];
    const facts = analyzePythonSource(path, source, (module) => {
      imports = localImports(module);
      return {
        topLevel: 'install',
        installFunctions: new Set(),
        installClasses: commandClasses(module),
      };
    });
    files.push(facts);
    done.add(path);
    const dir = path.slice(0, path.length - 'setup.py'.length);
    for (const imp of imports) {
      for (const resolved of resolveModule(ctx, dir, imp.module, imp.names)) {
        if (resolved.topLevel) installTop.add(resolved.path);
        if (resolved.functions.length) {
          const set = installFunctions.get(resolved.path) ?? new Set<string>();
          for (const f of resolved.functions) set.add(f);
          installFunctions.set(resolved.path, set);
        }
      }
    }
  }

  const candidates: { path: string; source: string; policy: PositionPolicy; rank: number }[] = [];
  // the package's own top-level __init__.py (and one level below, for src/ layouts) is always
  // parsed; the hundreds of nested ones of a generated API (plotly.graph_objs) compete for the
  // budget like other modules, by their indicators
  const initDepths = ctx.files
    .filter((f) => f.path.endsWith('/__init__.py') || f.path === '__init__.py')
    .map((f) => f.path.split('/').length);
  const topPackageDepth = initDepths.length ? Math.min(...initDepths) + 1 : 0;
  for (const file of ctx.files) {
    if (done.has(file.path)) continue;
    if (ctx.isPython(file.path)) {
      if (file.path.endsWith('.pyi')) continue;
      const source = readable(ctx, file.path);
      if (source === null) continue;
      const base = file.path.split('/').pop() ?? '';
      // package entry modules are parsed even without a sink: they call into the modules that have one
      const entry =
        (base === '__init__.py' || base === '__main__.py') &&
        source.length < 65536 &&
        file.path.split('/').length <= topPackageDepth;
      if (!entry && !pythonWorthParsing(source, codeWithoutProse(source))) continue;
      const startup = base === 'sitecustomize.py' || base === 'usercustomize.py';
      // `python -m pkg` runs __main__.py; importing the package does not
      const mainModule = base === '__main__.py';
      const policy: PositionPolicy = {
        topLevel: startup
          ? 'startup'
          : installTop.has(file.path)
            ? 'install'
            : mainModule
              ? 'call'
              : 'import',
        installFunctions: installFunctions.get(file.path) ?? new Set(),
        installClasses: new Set(),
      };
      const automatic = policy.topLevel !== 'import' || policy.installFunctions.size > 0 || entry;
      candidates.push({ path: file.path, source, policy, rank: parsePriority(source, automatic) });
    } else if (file.path.endsWith('.pth')) {
      const text = readable(ctx, file.path);
      if (text === null) continue;
      const code = pthExecutableLines(text);
      if (code.trim() === '') continue;
      const policy: PositionPolicy = {
        topLevel: 'startup',
        installFunctions: new Set(),
        installClasses: new Set(),
      };
      candidates.push({ path: file.path, source: code, policy, rank: 0 });
    }
  }
  // Within the budget, code that runs by itself and files with a threat indicator come first,
  // then smaller files (payload modules are small; generated API tables are huge).
  candidates.sort((a, b) => a.rank - b.rank || a.source.length - b.source.length);
  let budget = parseBudget;
  const textOnly: string[] = [];
  const started = performance.now();
  for (const c of candidates) {
    if (
      (c.rank >= 1 && c.source.length > budget) ||
      pastParseDeadline(c.rank, performance.now() - started, timeBudgetMs)
    ) {
      textOnly.push(c.path);
      continue;
    }
    if (c.rank >= 1) budget -= c.source.length;
    files.push(analyzePythonSource(c.path, c.source, c.policy));
  }
  propagateAcrossImports(ctx, files);
  const result = { files, setupFiles, textOnly };
  cache.set(ctx, result);
  return result;
}

/**
 * The lines of a .pth file that site.py executes (those starting with `import`), keeping their
 * line numbers by blanking the others.
 */
export function pthExecutableLines(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => (/^import[ \t]/.test(line) ? line : ''))
    .join('\n');
}

/** Largest Python file read at all; between this and MAX_PARSE_BYTES long blobs are trimmed. */
const MAX_PYTHON_BYTES = 32 * 1024 * 1024;
const LONG_BLOB = /[A-Za-z0-9+/=\\_-]{65536,}/g;

function readable(ctx: AnalysisContext, path: string): string | null {
  const file = ctx.file(path);
  if (!file || file.truncated || file.data.length > MAX_PYTHON_BYTES) return null;
  const text = ctx.text(path);
  if (text === null || file.data.length <= MAX_PARSE_BYTES) return text;
  // A multi-megabyte setup.py is an embedded payload; keep its structure and the payload's
  // head so exec(b64decode(...)) is still seen, without parsing megabytes of base64.
  return text.replace(LONG_BLOB, (blob) => blob.slice(0, 65536));
}

/** Classes in setup.py whose methods setuptools calls during install. */
function commandClasses(module: PyModule): Set<string> {
  const out = new Set<string>();
  for (const [name, cls] of module.classes) {
    const bases = cls.childForFieldName('superclasses')?.namedChildren ?? [];
    if (bases.some((b) => COMMAND_BASE.test(module.qualify(b) ?? b.text))) out.add(name);
  }
  for (const call of module.calls) {
    const args = callArguments(call);
    const cmdclass = args.keywords.get('cmdclass');
    if (!cmdclass) continue;
    for (const id of identifiersIn(cmdclassValue(module, cmdclass))) out.add(id);
  }
  return out;
}

function cmdclassValue(module: PyModule, node: SyntaxNode): SyntaxNode {
  if (node.type === 'identifier') {
    const values = module.assignedValues(node.text, node);
    if (values.length) return values[0].node;
  }
  return node;
}

function identifiersIn(node: SyntaxNode): string[] {
  const out: string[] = [];
  if (node.type === 'dictionary') {
    for (const pair of node.namedChildren) {
      const value = pair.childForFieldName('value');
      if (value?.type === 'identifier') out.push(value.text);
      if (value?.type === 'attribute') out.push(value.childForFieldName('attribute')?.text ?? '');
    }
  } else if (node.type === 'call') {
    // dict(install=Cmd)
    for (const arg of node.childForFieldName('arguments')?.namedChildren ?? []) {
      const value = arg.type === 'keyword_argument' ? arg.childForFieldName('value') : undefined;
      if (value?.type === 'identifier') out.push(value.text);
    }
  }
  return out;
}

function localImports(module: PyModule): { module: string; names: string[] }[] {
  const out: { module: string; names: string[] }[] = [];
  for (const imp of module.imports) {
    if (imp.node.type === 'import_from_statement') {
      const names = imp.node
        .childrenForFieldName('name')
        .map((n) => (n.type === 'aliased_import' ? n.childForFieldName('name')?.text : n.text))
        .filter((n): n is string => !!n);
      out.push({ module: imp.module.replace(/^\.+/, ''), names });
    } else {
      out.push({ module: imp.module, names: [] });
    }
  }
  return out;
}

function resolveModule(
  ctx: AnalysisContext,
  dir: string,
  module: string,
  names: string[],
): { path: string; topLevel: boolean; functions: string[] }[] {
  if (!module) return [];
  const out: { path: string; topLevel: boolean; functions: string[] }[] = [];
  const parts = module.split('.');
  for (const base of [dir, `${dir}src/`]) {
    // parent packages' __init__ run too
    for (let i = 1; i <= parts.length; i++) {
      const prefix = base + parts.slice(0, i).join('/');
      const init = `${prefix}/__init__.py`;
      const last = i === parts.length;
      if (ctx.file(init)) out.push({ path: init, topLevel: true, functions: last ? names : [] });
      if (last && ctx.file(`${prefix}.py`))
        out.push({ path: `${prefix}.py`, topLevel: true, functions: names });
      if (last)
        for (const name of names)
          if (ctx.file(`${prefix}/${name}.py`))
            out.push({ path: `${prefix}/${name}.py`, topLevel: true, functions: [] });
    }
  }
  return out;
}

const POSITION_RANK: Record<Position, number> = { call: 0, import: 1, startup: 2, install: 3 };

/**
 * A function imported from another module and called from code that runs on its own (module top
 * level, setup.py) runs at that time too: `from .helper import init; init()` in `__init__.py`
 * makes helper.init (and what it calls) import-time code. Followed a few hops.
 */
function propagateAcrossImports(ctx: AnalysisContext, files: PyFileFacts[]): void {
  const byPath = new Map(files.map((f) => [f.path, f]));
  for (let round = 0; round < 3; round++) {
    let changed = false;
    for (const caller of files) {
      if (caller.topLevel === 'call') continue;
      for (const local of caller.reachFromTop) {
        const imported = caller.fromImports.get(local);
        if (!imported) continue;
        for (const targetPath of moduleFiles(ctx, caller.path, imported.module)) {
          const target = byPath.get(targetPath);
          if (!target || target === caller) continue;
          const closure = reachableFrom(target.edges, [imported.name]);
          for (const fact of target.facts) {
            if (
              fact.fn &&
              closure.has(fact.fn) &&
              POSITION_RANK[fact.position] < POSITION_RANK[caller.topLevel]
            ) {
              fact.position = caller.topLevel;
              changed = true;
            }
          }
          for (const name of closure) {
            if (!target.reachFromTop.has(name) && target.topLevel !== 'call') {
              // make the target's own imports reachable for the next hop
              target.reachFromTop.add(name);
            }
          }
        }
      }
    }
    if (!changed) break;
  }
}

/** Files a `from MODULE import …` in `fromPath` can refer to inside the package. */
function moduleFiles(ctx: AnalysisContext, fromPath: string, module: string): string[] {
  const dots = /^\.*/.exec(module)?.[0].length ?? 0;
  const rest = module.slice(dots).split('.').filter(Boolean);
  const bases: string[] = [];
  if (dots > 0) {
    const dir = fromPath.split('/').slice(0, -1);
    bases.push(dir.slice(0, dir.length - (dots - 1)).join('/'));
  } else {
    bases.push(ctx.root.replace(/\/$/, ''), `${ctx.root}src`);
    // wheels and installed trees: the top-level package folder may sit anywhere
    const top = rest[0];
    if (top) {
      for (const f of ctx.files) {
        const i = f.path.indexOf(`/${top}/__init__.py`);
        if (i >= 0) bases.push(f.path.slice(0, i));
        else if (f.path.startsWith(`${top}/__init__.py`)) bases.push('');
      }
    }
  }
  const out = new Set<string>();
  for (const base of bases) {
    const prefix = [base, ...rest].filter((p) => p !== '').join('/');
    for (const candidate of [`${prefix}.py`, `${prefix}/__init__.py`])
      if (ctx.file(candidate)) out.add(candidate);
  }
  return [...out];
}

/**
 * The setup.py that pip runs: at the top of an sdist (`setup.py` or `name-1.0/setup.py`), or
 * deeper only beside the sdist's PKG-INFO/setup.cfg/pyproject.toml. Subpackages' own setup.py
 * files (numpy ships dozens) and wheels never run at install.
 */
function isInstallSetup(ctx: AnalysisContext, path: string): boolean {
  if (!/(?:^|\/)setup\.py$/.test(path)) return false;
  const depth = path.split('/').length;
  if (depth <= 2) return true;
  const dir = path.slice(0, path.length - 'setup.py'.length);
  return depth <= 3 && ['PKG-INFO', 'setup.cfg', 'pyproject.toml'].some((m) => ctx.file(dir + m));
}
