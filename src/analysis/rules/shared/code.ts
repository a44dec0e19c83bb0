import type { AnalysisContext } from '../../context.js';
import type { Position } from '../../python/facts.js';
import { whenItRuns } from './findings.js';
import { jsFiles, jsWhenItRuns } from './javascript.js';
import { pyFiles } from './python.js';

/** A fact from either language, for rules that judge the same behaviour in both. */
export interface CodeFact {
  kind: string;
  name: string;
  line: number;
  position: Position;
  evidence: string;
  value?: string;
  origins?: string[];
  /** Python: the outermost enclosing function, to relate facts in one call chain. */
  fn?: string;
}

export interface CodeFile {
  path: string;
  facts: CodeFact[];
}

/** Facts of every analysed file of the package, whatever its language. */
export function codeFiles(ctx: AnalysisContext): CodeFile[] {
  return ctx.ecosystem === 'npm' ? jsFiles(ctx) : pyFiles(ctx);
}

export function isAutomatic(fact: CodeFact): boolean {
  return fact.position !== 'call';
}

export function runsWhen(ctx: AnalysisContext, position: Position): string {
  return ctx.ecosystem === 'npm' && position !== 'startup'
    ? jsWhenItRuns(position)
    : whenItRuns(position);
}

const RANK: Record<Position, number> = { install: 3, startup: 3, import: 2, call: 1 };

/** The fact that runs earliest and without anyone's action, then the first by line. */
export function leading(facts: CodeFact[]): CodeFact | undefined {
  return [...facts].sort((a, b) => RANK[b.position] - RANK[a.position] || a.line - b.line)[0];
}

/** Facts that send data or code somewhere: a network call or a network shell command. */
export function sends(file: CodeFile): CodeFact[] {
  return file.facts.filter(
    (f) =>
      (f.kind === 'network' || f.kind === 'secret-send') &&
      !/(?:Session|Client|PoolManager)$/.test(f.name),
  );
}

/** Facts that run something: a process, eval/exec, or decoded bytecode. */
export function runs(file: CodeFile): CodeFact[] {
  return file.facts.filter(
    (f) => f.kind === 'process' || f.kind === 'exec' || f.kind === 'marshal',
  );
}
