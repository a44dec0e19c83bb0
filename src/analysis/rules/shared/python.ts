import type { AnalysisContext } from '../../context.js';
import type { FactKind, PyFact, PyFileFacts } from '../../python/facts.js';
import { pythonPackageFacts } from '../../python/package.js';

export type { PyFact, PyFileFacts };

/** Every Python file's facts (setup.py, modules, .pth start-up lines), computed once per package. */
export function pyFiles(ctx: AnalysisContext): PyFileFacts[] {
  return pythonPackageFacts(ctx).files;
}

export function ofKind(file: PyFileFacts, ...kinds: FactKind[]): PyFact[] {
  return file.facts.filter((f) => kinds.includes(f.kind));
}

/** Position order: which of two positions runs earlier and without anyone's action. */
const POSITION_RANK = { install: 3, startup: 3, import: 2, call: 1 } as const;

export function earliest(facts: PyFact[]): PyFact | undefined {
  return [...facts].sort(
    (a, b) => POSITION_RANK[b.position] - POSITION_RANK[a.position] || a.line - b.line,
  )[0];
}

export function automatic(fact: PyFact): boolean {
  return fact.position !== 'call';
}
