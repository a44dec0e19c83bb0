import type { Finding } from '../types.js';
import { severityRank } from '../types.js';
import { REPUTATION_RULE_IDS } from './rules.js';

/** Pipeline findings that say the inspection was incomplete, not that the code does something. */
const NOT_A_BEHAVIOUR = new Set([
  'package-unavailable',
  'archive-link',
  'analyzer-error',
  'archive-unreadable',
]);

const INSTALL_TIME_RULE = /install|setup|\bpth\b|\.pth|cmdclass|lifecycle|binding-gyp/i;
const INSTALL_TIME_TEXT = /install[- ]time|at install|during install|when installed/i;

export interface CombineOptions {
  /**
   * Whether a code finding is a (new) install-time behaviour: it raises `publisher-changed`.
   * The default recognises install-time rule ids and messages; for a bump, pass a predicate that
   * also requires the finding to be new in this version.
   */
  isInstallTimeBehaviour?: (finding: Finding) => boolean;
}

export function isInstallTimeFinding(finding: Finding): boolean {
  return INSTALL_TIME_RULE.test(finding.rule) || INSTALL_TIME_TEXT.test(finding.message);
}

function where(finding: Finding): string {
  return finding.file ? ` in ${finding.file}${finding.line ? `:${finding.line}` : ''}` : '';
}

function raise(signal: Finding, contributors: Finding[]): Finding {
  const list = contributors.map((f) => `${f.rule} (${f.severity}${where(f)})`).join(', ');
  return {
    ...signal,
    severity: 'high',
    message: `${signal.message} Raised from ${signal.severity} to high together with: ${list}.`,
  };
}

/**
 * Combines the reputation signals of one package with its code findings: `typosquat` rises to
 * high when any code finding is at medium or above, `publisher-changed` when one of them is an
 * install-time behaviour. The raised finding names the findings that raised it. Every other
 * finding is returned unchanged and in order; nothing is ever lowered.
 */
export function combineWithCodeFindings(
  findings: Finding[],
  options: CombineOptions = {},
): Finding[] {
  const code = findings.filter(
    (f) =>
      !REPUTATION_RULE_IDS.has(f.rule) &&
      !NOT_A_BEHAVIOUR.has(f.rule) &&
      severityRank(f.severity) >= severityRank('medium'),
  );
  if (code.length === 0) return findings;
  const installTime = code.filter(options.isInstallTimeBehaviour ?? isInstallTimeFinding);
  return findings.map((finding) => {
    if (finding.rule === 'typosquat' && finding.severity === 'medium') return raise(finding, code);
    if (
      finding.rule === 'publisher-changed' &&
      finding.severity === 'medium' &&
      installTime.length > 0
    ) {
      return raise(finding, installTime);
    }
    return finding;
  });
}
