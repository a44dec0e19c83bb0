import { parse as parseToml } from 'smol-toml';
import type { AnalysisContext } from '../context.js';
import type { SyntaxNode } from '../python/parser.js';
import { parseIni, type IniLine } from './ini.js';
import { npmDefaultBinName } from './names.js';

export type EntryPointKind = 'console' | 'gui' | 'plugin' | 'script' | 'npm-bin' | 'npm-lifecycle';

/** One command, hook or plugin that a package declares, with the line that declares it. */
export interface DeclaredEntryPoint {
  /** Command name (console/gui/script/npm-bin), entry-point name (plugin) or script name. */
  name: string;
  /** Entry-point group (`console_scripts`, `pytest11`, …), `bin`, `scripts` or `scripts.bin`. */
  group: string;
  /** `module:attr` for Python entry points, a file path for scripts and bins, a shell line for lifecycle scripts. */
  target: string;
  kind: EntryPointKind;
  /** Archive path of the declaring file. */
  file: string;
  /** 1-based line of the declaration in `file`. */
  line: number;
}

/** npm runs these around `npm install` of the package or of the project that depends on it. */
export const NPM_LIFECYCLE_SCRIPTS = [
  'preinstall',
  'install',
  'postinstall',
  'prepare',
  'preprepare',
  'postprepare',
  'prepublish',
] as const;

const ENTRY_POINTS_TXT = /(^|\/)[^/]+\.(dist|egg)-info\/entry_points\.txt$/;
const WHEEL_SCRIPT = /(^|\/)[^/]+\.data\/scripts\/([^/]+)$/;

function kindOfGroup(group: string): EntryPointKind {
  if (group === 'console_scripts') return 'console';
  if (group === 'gui_scripts') return 'gui';
  return 'plugin';
}

/**
 * Every command and hook the package declares, from every place Python and npm read them.
 * Pure: static parsing of the package's files only.
 */
export function extractEntryPoints(ctx: AnalysisContext): DeclaredEntryPoint[] {
  const found: DeclaredEntryPoint[] =
    ctx.ecosystem === 'npm' ? extractNpm(ctx) : extractPython(ctx);
  const seen = new Set<string>();
  return found.filter((ep) => {
    const key = [ep.kind, ep.group, ep.name, ep.target, ep.file, ep.line].join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------- Python

function extractPython(ctx: AnalysisContext): DeclaredEntryPoint[] {
  const out: DeclaredEntryPoint[] = [];
  const pyproject = ctx.atRoot('pyproject.toml');
  if (ctx.file(pyproject)) out.push(...fromPyproject(ctx, pyproject));
  const setupCfg = ctx.atRoot('setup.cfg');
  if (ctx.file(setupCfg)) out.push(...fromSetupCfg(ctx, setupCfg));
  const setupPy = ctx.atRoot('setup.py');
  if (ctx.file(setupPy)) out.push(...fromSetupPy(ctx, setupPy));
  for (const file of ctx.files) {
    if (ENTRY_POINTS_TXT.test(file.path)) {
      const text = ctx.text(file.path);
      if (text !== null) out.push(...fromEntryPointsText(text, file.path));
      continue;
    }
    const script = WHEEL_SCRIPT.exec(file.path);
    if (script) {
      out.push({
        name: script[2],
        group: 'scripts',
        target: file.path,
        kind: 'script',
        file: file.path,
        line: 1,
      });
    }
  }
  return out;
}

/** `name = module:attr [extras]` lines of one entry-point group. */
function entriesOfGroup(group: string, lines: IniLine[], file: string): DeclaredEntryPoint[] {
  const out: DeclaredEntryPoint[] = [];
  for (const { text, line } of lines) {
    const eq = text.indexOf('=');
    if (eq <= 0) continue;
    const name = text.slice(0, eq).trim();
    const target = text.slice(eq + 1).trim();
    if (!name || !target) continue;
    out.push({ name, group, target, kind: kindOfGroup(group), file, line });
  }
  return out;
}

/** entry_points.txt: each section is a group, each key an entry point. */
export function fromEntryPointsText(
  text: string,
  file: string,
  firstLine = 1,
): DeclaredEntryPoint[] {
  const out: DeclaredEntryPoint[] = [];
  for (const section of parseIni(text, firstLine).sections.values()) {
    for (const entry of section.entries) {
      const target = [
        entry.value,
        ...entry.valueLines.slice(entry.value ? 1 : 0).map((l) => l.text),
      ]
        .join(' ')
        .trim();
      if (!entry.key || !target) continue;
      out.push({
        name: entry.key,
        group: section.name,
        target,
        kind: kindOfGroup(section.name),
        file,
        line: entry.line,
      });
    }
  }
  return out;
}

function fromSetupCfg(ctx: AnalysisContext, path: string): DeclaredEntryPoint[] {
  const text = ctx.text(path);
  if (text === null) return [];
  const doc = parseIni(text);
  const out: DeclaredEntryPoint[] = [];
  // Section form: [options.entry_points] with one multi-line value per group (pbr: [entry_points]).
  for (const sectionName of ['options.entry_points', 'entry_points']) {
    for (const entry of doc.sections.get(sectionName)?.entries ?? []) {
      out.push(...entriesOfGroup(entry.key, entry.valueLines, path));
    }
  }
  const options = doc.sections.get('options')?.entries ?? [];
  for (const entry of options) {
    if (entry.key === 'entry_points') {
      // String form: an INI document inside the value; `file:` points at another INI file.
      const fileRef = /^file:\s*(.+)$/.exec(entry.value);
      if (fileRef) {
        for (const ref of fileRef[1]
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)) {
          const refPath = ctx.atRoot(ref);
          const refText = ctx.text(refPath);
          if (refText !== null) out.push(...fromEntryPointsText(refText, refPath));
        }
        continue;
      }
      out.push(...iniFromValueLines(entry.valueLines, path));
    }
    if (entry.key === 'scripts') {
      for (const { text: item, line } of entry.valueLines) {
        for (const script of item.split(/[,\s]+/).filter(Boolean))
          out.push(scriptEntry(script, path, line));
      }
    }
  }
  return out;
}

/** Re-reads continuation lines that hold an INI document (`[group]` then `name = target`). */
function iniFromValueLines(lines: IniLine[], file: string): DeclaredEntryPoint[] {
  const out: DeclaredEntryPoint[] = [];
  let group: string | undefined;
  for (const l of lines) {
    const header = /^\[([^\]]+)\]$/.exec(l.text);
    if (header) {
      group = header[1].trim();
      continue;
    }
    if (group) out.push(...entriesOfGroup(group, [l], file));
  }
  return out;
}

function scriptEntry(script: string, file: string, line: number): DeclaredEntryPoint {
  return {
    name: script.split('/').pop() ?? script,
    group: 'scripts',
    target: script,
    kind: 'script',
    file,
    line,
  };
}

// ---- pyproject.toml

function fromPyproject(ctx: AnalysisContext, path: string): DeclaredEntryPoint[] {
  const text = ctx.text(path);
  if (text === null) return [];
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch {
    return [];
  }
  const out: DeclaredEntryPoint[] = [];
  const project = asTable(doc.project);
  const poetry = asTable(asTable(doc.tool)?.poetry);
  const add = (table: unknown, group: string, headers: string[]) => {
    for (const [name, value] of Object.entries(asTable(table) ?? {})) {
      const target = poetryTarget(value);
      if (target === undefined) continue;
      out.push({
        name,
        group,
        target,
        kind: kindOfGroup(group),
        file: path,
        line: tomlKeyLine(text, headers, name),
      });
    }
  };
  add(project?.scripts, 'console_scripts', ['project.scripts', 'project']);
  add(project?.['gui-scripts'], 'gui_scripts', ['project.gui-scripts', 'project']);
  for (const [group, table] of Object.entries(asTable(project?.['entry-points']) ?? {})) {
    add(table, group, [
      `project.entry-points.${group}`,
      `project.entry-points."${group}"`,
      'project.entry-points',
      'project',
    ]);
  }
  add(poetry?.scripts, 'console_scripts', ['tool.poetry.scripts', 'tool.poetry']);
  for (const [group, table] of Object.entries(asTable(poetry?.plugins) ?? {})) {
    add(table, group, [
      `tool.poetry.plugins.${group}`,
      `tool.poetry.plugins."${group}"`,
      'tool.poetry.plugins',
      'tool.poetry',
    ]);
  }
  return out;
}

function asTable(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Poetry allows `name = "mod:fn"` or `{ reference = "…", type = "file" }` / `{ callable = "…" }`. */
function poetryTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const table = asTable(value);
  if (!table) return undefined;
  for (const key of ['callable', 'reference', 'script']) {
    if (typeof table[key] === 'string') return table[key] as string;
  }
  return undefined;
}

/**
 * Line of `key = …` inside the first of `headers` found in the text (e.g. `[project.scripts]`),
 * or of an inline table entry after the header; the header's line when the key is not found.
 */
function tomlKeyLine(text: string, headers: string[], key: string): number {
  const lines = text.split(/\r?\n/);
  const keyPattern = new RegExp(`(^|[{,\\s])(["']?)${escapeRegExp(key)}\\2\\s*=`);
  for (const header of headers) {
    const headerIndex = lines.findIndex((l) => l.trim().replace(/\s+/g, '') === `[${header}]`);
    if (headerIndex < 0) continue;
    for (let i = headerIndex + 1; i < lines.length; i++) {
      if (/^\s*\[/.test(lines[i])) break;
      if (keyPattern.test(lines[i])) return i + 1;
    }
    return headerIndex + 1;
  }
  const anywhere = lines.findIndex((l) => keyPattern.test(l));
  return anywhere >= 0 ? anywhere + 1 : 1;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---- setup.py

function fromSetupPy(ctx: AnalysisContext, path: string): DeclaredEntryPoint[] {
  const tree = ctx.python(path);
  if (!tree) return [];
  const out: DeclaredEntryPoint[] = [];
  const module = tree.rootNode;
  for (const call of module.descendantsOfType('call')) {
    const fn = call.childForFieldName('function');
    if (!fn || !/(^|\.)setup$/.test(fn.text)) continue;
    const args = call.childForFieldName('arguments');
    for (const arg of args?.namedChildren ?? []) {
      if (arg.type === 'keyword_argument') {
        const key = arg.childForFieldName('name')?.text;
        const value = arg.childForFieldName('value');
        if (!value) continue;
        if (key === 'entry_points')
          out.push(...entryPointsFromNode(resolve(value, module, call), module, call, path));
        if (key === 'scripts') {
          for (const item of stringsOf(resolve(value, module, call), module, call)) {
            out.push(scriptEntry(item.value, path, item.line));
          }
        }
      } else if (arg.type === 'dictionary_splat') {
        // setup(**kwargs): read the dict literal the name is bound to.
        const dict = resolve(arg.namedChildren[0], module, call);
        if (dict?.type === 'dictionary') {
          for (const pair of dict.namedChildren.filter((n) => n.type === 'pair')) {
            const key = stringValue(pair.childForFieldName('key'));
            const value = pair.childForFieldName('value');
            if (!value) continue;
            if (key === 'entry_points')
              out.push(...entryPointsFromNode(resolve(value, module, call), module, call, path));
            if (key === 'scripts') {
              for (const item of stringsOf(resolve(value, module, call), module, call)) {
                out.push(scriptEntry(item.value, path, item.line));
              }
            }
          }
        }
      }
    }
  }
  return out;
}

/** `entry_points=` as a dict of groups, an INI string, or `dict(group=[…])`. */
function entryPointsFromNode(
  node: SyntaxNode | null,
  module: SyntaxNode,
  call: SyntaxNode,
  file: string,
): DeclaredEntryPoint[] {
  if (!node) return [];
  if (node.type === 'string' || node.type === 'concatenated_string') {
    const value = stringValue(node);
    return value === undefined ? [] : fromEntryPointsText(value, file, node.startPosition.row + 1);
  }
  const out: DeclaredEntryPoint[] = [];
  const addGroup = (group: string, value: SyntaxNode | null) => {
    for (const item of stringsOf(resolve(value, module, call), module, call)) {
      // A string value may itself hold several `name = target` lines.
      const lines = item.value
        .split(/\r?\n/)
        .map((text, i) => ({ text: text.trim(), line: item.line + i }));
      out.push(...entriesOfGroup(group, lines, file));
    }
  };
  if (node.type === 'dictionary') {
    for (const pair of node.namedChildren.filter((n) => n.type === 'pair')) {
      const group = stringValue(resolve(pair.childForFieldName('key'), module, call));
      if (group !== undefined) addGroup(group, pair.childForFieldName('value'));
    }
  } else if (node.type === 'call' && node.childForFieldName('function')?.text === 'dict') {
    for (const kw of node.childForFieldName('arguments')?.namedChildren ?? []) {
      if (kw.type !== 'keyword_argument') continue;
      const group = kw.childForFieldName('name')?.text;
      if (group) addGroup(group, kw.childForFieldName('value'));
    }
  }
  return out;
}

/** Follows a bare name to the last simple assignment before `before` at module level. */
function resolve(
  node: SyntaxNode | null,
  module: SyntaxNode,
  before: SyntaxNode,
  depth = 0,
): SyntaxNode | null {
  if (!node || node.type !== 'identifier' || depth > 5) return node;
  let bound: SyntaxNode | null = null;
  for (const assignment of module.descendantsOfType('assignment')) {
    if (assignment.startIndex >= before.startIndex) break;
    const left = assignment.childForFieldName('left');
    if (left?.type === 'identifier' && left.text === node.text)
      bound = assignment.childForFieldName('right');
  }
  return bound ? resolve(bound, module, before, depth + 1) : node;
}

/** String items of a list/tuple (names resolved), or the string itself. */
function stringsOf(
  node: SyntaxNode | null,
  module: SyntaxNode,
  call: SyntaxNode,
): { value: string; line: number }[] {
  if (!node) return [];
  if (node.type === 'list' || node.type === 'tuple' || node.type === 'set') {
    return node.namedChildren.flatMap((child) =>
      stringsOf(resolve(child, module, call), module, call),
    );
  }
  if (node.type === 'binary_operator') {
    // ['a'] + ['b'] concatenations of lists are common in older setup.py files.
    return [node.childForFieldName('left'), node.childForFieldName('right')].flatMap((n) =>
      stringsOf(resolve(n, module, call), module, call),
    );
  }
  const value = stringValue(node);
  return value === undefined ? [] : [{ value, line: node.startPosition.row + 1 }];
}

/** The value of a plain (non-f) string literal or an implicit concatenation of them. */
export function stringValue(node: SyntaxNode | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'concatenated_string') {
    const parts = node.namedChildren.map((n) => stringValue(n));
    return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
  }
  if (node.type !== 'string') return undefined;
  if (node.namedChildren.some((c) => c.type === 'interpolation')) return undefined;
  const raw = /^[a-zA-Z]*["']/.exec(node.text)?.[0].toLowerCase().includes('r') ?? false;
  const content = node.namedChildren
    .filter((c) => c.type === 'string_content' || c.type === 'escape_sequence')
    .map((c) => c.text)
    .join('');
  return raw ? content : unescapePython(content);
}

function unescapePython(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[0-7]{1,3}|.)/g, (m, e: string) => {
    if (e[0] === 'x' || e[0] === 'u') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    const simple: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      '\\': '\\',
      "'": "'",
      '"': '"',
      '\n': '',
    };
    return simple[e] ?? m;
  });
}

// ---------------------------------------------------------------- npm

function extractNpm(ctx: AnalysisContext): DeclaredEntryPoint[] {
  const pkg = ctx.packageJson();
  if (!pkg) return [];
  const path = ctx.atRoot('package.json');
  const text = ctx.text(path) ?? '';
  const out: DeclaredEntryPoint[] = [];
  const name = typeof pkg.name === 'string' ? pkg.name : '';
  const binLine = jsonKeyLine(text, 'bin');
  if (typeof pkg.bin === 'string' && name) {
    out.push({
      name: npmDefaultBinName(name),
      group: 'bin',
      target: pkg.bin,
      kind: 'npm-bin',
      file: path,
      line: binLine,
    });
  } else if (pkg.bin && typeof pkg.bin === 'object') {
    for (const [cmd, target] of Object.entries(pkg.bin as Record<string, unknown>)) {
      if (typeof target !== 'string') continue;
      out.push({
        name: cmd,
        group: 'bin',
        target,
        kind: 'npm-bin',
        file: path,
        line: jsonKeyLine(text, cmd, binLine),
      });
    }
  }
  const directories = pkg.directories as Record<string, unknown> | undefined;
  if (!pkg.bin && directories && typeof directories.bin === 'string') {
    // npm links every file in directories.bin under its own file name.
    const dir = ctx.atRoot(directories.bin).replace(/\/?$/, '/');
    const line = jsonKeyLine(text, 'bin', jsonKeyLine(text, 'directories'));
    for (const file of ctx.files) {
      if (!file.path.startsWith(dir)) continue;
      const rest = file.path.slice(dir.length);
      if (!rest || rest.includes('/')) continue;
      out.push({
        name: rest.replace(/\.(js|cjs|mjs)$/, ''),
        group: 'directories.bin',
        target: file.path.slice(ctx.root.length),
        kind: 'npm-bin',
        file: path,
        line,
      });
    }
  }
  const scripts = (pkg.scripts && typeof pkg.scripts === 'object' ? pkg.scripts : {}) as Record<
    string,
    unknown
  >;
  const scriptsLine = jsonKeyLine(text, 'scripts');
  for (const hook of NPM_LIFECYCLE_SCRIPTS) {
    if (typeof scripts[hook] !== 'string') continue;
    out.push({
      name: hook,
      group: 'scripts',
      target: scripts[hook] as string,
      kind: 'npm-lifecycle',
      file: path,
      line: jsonKeyLine(text, hook, scriptsLine),
    });
  }
  if (
    typeof scripts.install !== 'string' &&
    typeof scripts.preinstall !== 'string' &&
    ctx.file(ctx.atRoot('binding.gyp'))
  ) {
    // npm adds `node-gyp rebuild` as the install script when binding.gyp exists and none is set.
    out.push({
      name: 'install',
      group: 'scripts (implicit, binding.gyp)',
      target: 'node-gyp rebuild',
      kind: 'npm-lifecycle',
      file: ctx.atRoot('binding.gyp'),
      line: 1,
    });
  }
  return out;
}

/** 1-based line of `"key":` in JSON text, searching from line `fromLine`; `fromLine` when absent. */
export function jsonKeyLine(text: string, key: string, fromLine = 1): number {
  const lines = text.split(/\r?\n/);
  const needle = `${JSON.stringify(key)}`;
  for (let i = Math.max(0, fromLine - 1); i < lines.length; i++) {
    const at = lines[i].indexOf(needle);
    if (at >= 0 && /^\s*:/.test(lines[i].slice(at + needle.length))) return i + 1;
  }
  return fromLine;
}
