import { snippet } from '../../context.js';
import type { Position } from '../../python/facts.js';
import { SEVERITY_ORDER, type Severity } from '../../../types.js';

/** Where code runs, as a phrase a PR reader understands. */
export function whenItRuns(position: Position): string {
  switch (position) {
    case 'install':
      return 'runs automatically when the package is installed';
    case 'startup':
      return 'runs at every Python interpreter start-up';
    case 'import':
      return 'runs as soon as the package is imported';
    default:
      return 'runs when the code is called';
  }
}

export function raise(severity: Severity, steps = 1): Severity {
  const i = Math.min(SEVERITY_ORDER.indexOf(severity) + steps, SEVERITY_ORDER.length - 1);
  return SEVERITY_ORDER[i];
}

export function lower(severity: Severity, steps = 1): Severity {
  return SEVERITY_ORDER[Math.max(SEVERITY_ORDER.indexOf(severity) - steps, 0)];
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_ORDER.indexOf(a) >= SEVERITY_ORDER.indexOf(b) ? a : b;
}

/** True for code that runs without anyone calling it (install, start-up or import). */
export function runsAutomatically(position: Position): boolean {
  return position !== 'call';
}

/** Evidence for a decoded value: its first meaningful line(s), trimmed. */
export function decodedEvidence(value: string, max = 200): string {
  const text = value.replace(/\r/g, '');
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return snippet(lines.slice(0, 6).join(' ⏎ '), max);
}
