import type { AnalysisContext } from '../../context.js';
import type { JsFact, JsFileFacts, JsPosition } from '../../javascript/facts.js';
import { jsPackageFacts } from '../../javascript/package.js';

export type { JsFact, JsFileFacts };

/** Every JavaScript file's facts, with install-time files (those lifecycle scripts run) marked. */
export function jsFiles(ctx: AnalysisContext): JsFileFacts[] {
  return jsPackageFacts(ctx).files;
}

export function jsWhenItRuns(position: JsPosition): string {
  switch (position) {
    case 'install':
      return 'runs automatically when the package is installed (npm lifecycle script)';
    case 'import':
      return 'runs as soon as the file is loaded (require/import)';
    default:
      return 'runs when the code is called';
  }
}

const RANK: Record<JsPosition, number> = { install: 2, import: 1, call: 0 };

export function earliestJs(facts: JsFact[]): JsFact | undefined {
  return [...facts].sort((a, b) => RANK[b.position] - RANK[a.position] || a.line - b.line)[0];
}

/** Network calls that send or fetch (not just a client object being constructed). */
export function isSend(fact: JsFact): boolean {
  return fact.kind === 'network';
}
