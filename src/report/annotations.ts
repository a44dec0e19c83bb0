import type { Report } from '../types.js';
import { meetsThreshold, severityRank } from '../types.js';
import { UNINSPECTABLE_SEVERITY } from '../gate/index.js';
import { describeChange, findingLocation, packageLabel, sanitizeEvidence } from './format.js';

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  title: string;
  message: string;
  file: string;
  startLine?: number;
}

const LEVEL_RANK = { error: 0, warning: 1, notice: 2 } as const;

/**
 * Workflow annotations: one per finding at the manifest line that brings the package in (error at
 * or above fail-on, warning below, notice for info), one per package that could not be inspected,
 * and one per unreadable dependency file. Most severe first, because the runner shows only the
 * first few per step; the job summary carries all of them.
 */
export function planAnnotations(report: Report): Annotation[] {
  const planned: { annotation: Annotation; rank: number }[] = [];
  for (const problem of report.configProblems ?? []) {
    planned.push({
      annotation: {
        level: 'error',
        title: 'pkg-gate: invalid configuration',
        message: `${problem.message} (pkg-gate fails until the configuration is fixed)`,
        file: problem.path,
        ...(problem.line ? { startLine: problem.line } : {}),
      },
      rank: severityRank('critical'),
    });
  }
  for (const problem of report.manifestProblems) {
    planned.push({
      annotation: {
        level: 'error',
        title: 'pkg-gate: dependency file could not be read',
        message: problem.message,
        file: problem.path,
        ...(problem.line ? { startLine: problem.line } : {}),
      },
      rank: severityRank(UNINSPECTABLE_SEVERITY),
    });
  }
  for (const finding of report.fileFindings ?? []) {
    planned.push({
      annotation: {
        level: meetsThreshold(finding.severity, report.failOn) ? 'error' : 'warning',
        title: `${finding.rule} in ${finding.file}`,
        message: `${finding.severity}: ${finding.message}\n${sanitizeEvidence(finding.evidence, { maxLines: 1, maxLineChars: 160, maxTokenChars: 120 })}`,
        file: finding.file,
        ...(finding.line > 0 ? { startLine: finding.line } : {}),
      },
      rank: severityRank(finding.severity),
    });
  }
  for (const pkg of report.packages) {
    const file = pkg.manifest?.path ?? pkg.source;
    const startLine = pkg.manifest && pkg.manifest.line > 0 ? { startLine: pkg.manifest.line } : {};
    const label = packageLabel(pkg);
    if (pkg.verdict === 'error' && pkg.error) {
      planned.push({
        annotation: {
          level: meetsThreshold(UNINSPECTABLE_SEVERITY, report.failOn) ? 'error' : 'warning',
          title: `pkg-gate: ${label} could not be inspected`,
          message: `${pkg.name} (${describeChange(pkg)}): ${pkg.error}`,
          file,
          ...startLine,
        },
        rank: severityRank(UNINSPECTABLE_SEVERITY),
      });
    }
    if (pkg.verdict !== 'error' && pkg.error && pkg.allowed) {
      planned.push({
        annotation: {
          level: 'notice',
          title: `pkg-gate: ${label} could not be inspected (allowed)`,
          message: `${pkg.name} (${describeChange(pkg)}): ${pkg.error}; allowed by ${pkg.allowed.entry}: ${pkg.allowed.reason}`,
          file,
          ...startLine,
        },
        rank: severityRank('info'),
      });
    }
    for (const finding of pkg.findings) {
      // An allowed finding is still shown, as a notice: it no longer gates.
      const level = finding.allowed
        ? 'notice'
        : meetsThreshold(finding.severity, report.failOn)
          ? 'error'
          : finding.severity === 'info'
            ? 'notice'
            : 'warning';
      const evidence = sanitizeEvidence(finding.evidence, {
        maxLines: 3,
        maxLineChars: 160,
        maxTokenChars: 60,
      });
      planned.push({
        annotation: {
          level,
          title: `${finding.rule} in ${label}${finding.allowed ? ' (allowed)' : ''}`,
          message:
            (finding.allowed
              ? `allowed by ${finding.allowed.entry}: ${finding.allowed.reason}. `
              : '') +
            `${finding.severity}: ${pkg.name} (${describeChange(pkg)}), ${findingLocation(finding)}: ${finding.message}` +
            (evidence ? `\n${evidence}` : ''),
          file,
          ...startLine,
        },
        rank: severityRank(finding.severity),
      });
    }
  }
  return planned
    .sort(
      (a, b) => LEVEL_RANK[a.annotation.level] - LEVEL_RANK[b.annotation.level] || b.rank - a.rank,
    )
    .map((p) => p.annotation);
}
