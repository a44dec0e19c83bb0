import type { Finding, PackageUnderTest } from '../types.js';
import { severityRank } from '../types.js';
import { AnalysisContext } from './context.js';
import { contentRules } from './content/index.js';
import { entrypointRules } from './entrypoints/index.js';
import { initPythonParser } from './python/parser.js';
import type { Rule } from './rule.js';
import { codeRules } from './rules/index.js';

/** Every content rule, in catalog order. */
export const allRules: readonly Rule[] = [...codeRules, ...entrypointRules, ...contentRules];

export interface AnalyzeOptions {
  rules?: readonly Rule[];
}

/**
 * Runs every rule that applies to the package's ecosystem over its files. Pure: reads bytes only,
 * never executes or imports package code. A rule that throws is reported as a finding instead of
 * aborting the package, so one parser edge case cannot turn a scan into a silent pass.
 */
export async function analyzePackage(
  pkg: PackageUnderTest,
  options: AnalyzeOptions = {},
): Promise<Finding[]> {
  await initPythonParser();
  const ctx = new AnalysisContext(pkg);
  const findings: Finding[] = [];
  for (const rule of options.rules ?? allRules) {
    if (!rule.meta.ecosystems.includes(pkg.ecosystem)) continue;
    try {
      findings.push(...rule.check(ctx));
    } catch (error) {
      findings.push({
        rule: 'analyzer-error',
        severity: 'medium',
        file: '',
        line: 0,
        message: `Rule ${rule.meta.id} could not finish on this package; its part of the inspection is incomplete.`,
        evidence: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return sortFindings(dedupeFindings(findings));
}

export function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}\u0000${f.file}\u0000${f.line}\u0000${f.evidence}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Most severe first, then by file and line, so reports read top-down by urgency. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.rule.localeCompare(b.rule),
  );
}
