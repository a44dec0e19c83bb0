import type { Ecosystem } from '../../types.js';
import type { AnalysisContext } from '../context.js';
import { snippet } from '../context.js';
import type { DeclaredEntryPoint } from './extract.js';
import { commandKey } from './ownership.js';

/** Entry points that become commands on PATH. */
export const COMMAND_KINDS = new Set(['console', 'gui', 'script', 'npm-bin']);

export interface CommandDeclaration {
  /** The first declaration found (pyproject/setup.cfg/setup.py before generated metadata). */
  primary: DeclaredEntryPoint;
  /** The same command declared again elsewhere (e.g. egg-info copies of setup.py). */
  others: DeclaredEntryPoint[];
}

/** One record per command name, so a command declared in three files yields one finding. */
export function commandDeclarations(entryPoints: DeclaredEntryPoint[]): CommandDeclaration[] {
  const byName = new Map<string, CommandDeclaration>();
  for (const ep of entryPoints) {
    if (!COMMAND_KINDS.has(ep.kind)) continue;
    const key = commandKey(ep.name).toLowerCase();
    const existing = byName.get(key);
    if (existing) existing.others.push(ep);
    else byName.set(key, { primary: ep, others: [] });
  }
  return [...byName.values()];
}

const KIND_LABEL: Record<string, string> = {
  console: 'console script',
  gui: 'GUI script',
  script: 'installed script',
  'npm-bin': 'npm bin',
  plugin: 'plugin entry point',
  'npm-lifecycle': 'lifecycle script',
};

export function where(ep: DeclaredEntryPoint): string {
  return `${ep.file}:${ep.line}`;
}

/** "`aws` (console script, setup.py:12 → evil.cli:main; also in …)" */
export function describeDeclaration(decl: CommandDeclaration): string {
  const ep = decl.primary;
  const also = decl.others.length
    ? `; also declared in ${[...new Set(decl.others.map(where))].slice(0, 3).join(', ')}`
    : '';
  return `\`${ep.name}\` is declared as a ${KIND_LABEL[ep.kind] ?? ep.kind} in ${where(ep)} → \`${ep.target}\`${also}`;
}

/** Why PATH order turns a command name into an attack, per ecosystem, in one short paragraph. */
export function pathDanger(ecosystem: Ecosystem, command: string): string {
  return ecosystem === 'npm'
    ? `npm links a dependency's bins into node_modules/.bin, which \`npm run\`, \`npx\` and yarn put first on PATH for every package script (and \`npm i -g\` puts them in the global bin directory), so every script or hook that calls \`${command}\` runs this package's file instead of the real tool, with the developer's or CI's credentials.`
    : `pip installs console scripts into the environment's bin/ (Scripts\\ on Windows), which activation and CI setups put first on PATH, and \`pip install --user\` into ~/.local/bin, which usually precedes /usr/bin: whoever types \`${command}\` there, and every script or CI step that calls it, runs this package's code instead of the real tool, with the user's credentials.`;
}

/** The declaring line as evidence (`aws = evil.cli:main`). */
export function declarationEvidence(ctx: AnalysisContext, ep: DeclaredEntryPoint): string {
  const text = ctx.text(ep.file);
  const line = text?.split(/\r?\n/)[ep.line - 1];
  return snippet(line && line.trim() ? line : `${ep.name} = ${ep.target}`);
}
