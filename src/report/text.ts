import type { Finding, PackageReport, Report, Severity } from '../types.js';
import {
  countFailing,
  describeChange,
  describeCounts,
  describeFailOn,
  failsGate,
  findingLocation,
  sanitizeEvidence,
  sortFindings,
  verdictPhrase,
} from './format.js';

export interface TextOptions {
  /** ANSI colours, for a terminal. */
  color?: boolean;
}

const ANSI = { red: 31, yellow: 33, green: 32, blue: 34, magenta: 35, gray: 90, bold: 1 } as const;
type Style = keyof typeof ANSI;

const SEVERITY_STYLE: Record<Severity, Style> = {
  critical: 'magenta',
  high: 'red',
  medium: 'yellow',
  low: 'blue',
  info: 'gray',
};

/**
 * The CLI report: per package with findings a header line and each finding (severity, rule,
 * file:line, message, evidence); clean packages one line each; totals last. Package-controlled
 * text has control characters escaped, so a package cannot rewrite the terminal.
 */
export function renderText(report: Report, options: TextOptions = {}): string {
  const paint = (style: Style, text: string): string =>
    options.color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text;
  const lines: string[] = [];

  const detailed = report.packages.filter((pkg) => pkg.findings.length > 0 || pkg.error);
  const clean = report.packages.filter((pkg) => !detailed.includes(pkg));

  for (const pkg of detailed) {
    lines.push(header(pkg, report, paint));
    if (pkg.manifest)
      lines.push(`  ${paint('gray', `in ${pkg.manifest.path}:${pkg.manifest.line}`)}`);
    lines.push(...dependencyFileLines(pkg, paint));
    if (pkg.change === 'added' && pkg.comparedWith !== undefined) {
      lines.push(
        `  ${paint('gray', `compared with ${safe(pkg.comparedWith)}, the release before it on the registry`)}`,
      );
    }
    if (pkg.error) lines.push(`  ${paint('red', 'error')}     ${safe(pkg.error)}`);
    for (const finding of sortFindings(pkg.findings)) lines.push(...findingLines(finding, paint));
    lines.push('');
  }
  for (const pkg of clean) lines.push(header(pkg, report, paint));
  if (clean.length > 0) lines.push('');

  const fileFindings = report.fileFindings ?? [];
  for (const finding of sortFindings(fileFindings)) {
    lines.push(`${paint('red', '✖')} ${safe(`${finding.file}:${finding.line}`)}`);
    lines.push(...findingLines(finding, paint));
  }
  if (fileFindings.length > 0) lines.push('');

  for (const problem of report.manifestProblems) {
    const at = problem.line ? `${problem.path}:${problem.line}` : problem.path;
    lines.push(`${paint('red', '✖')} ${safe(at)}: could not be read: ${safe(problem.message)}`);
  }
  if (report.manifestProblems.length > 0) lines.push('');

  // The configuration's own problems fail the run whatever fail-on says: never out of sight.
  for (const problem of report.configProblems ?? []) {
    const at = problem.line ? `${problem.path}:${problem.line}` : problem.path;
    lines.push(
      `${paint('red', '✖')} ${safe(at)}: invalid pkg-gate configuration: ${safe(problem.message)}`,
    );
  }
  if (report.configProblems?.length) lines.push('');

  lines.push(totals(report, paint));
  return `${lines.join('\n')}\n`;
}

function header(
  pkg: PackageReport,
  report: Report,
  paint: (style: Style, text: string) => string,
): string {
  const failing = failsGate(pkg, report.failOn);
  const mark =
    pkg.verdict === 'error' ? paint('red', '✖') : failing ? paint('red', '✖') : paint('green', '✔');
  const verdict =
    pkg.verdict === 'pass' ? paint('green', 'PASS') : paint('red', pkg.verdict.toUpperCase());
  const name = paint('bold', safe(pkg.name));
  const source =
    pkg.source && !pkg.source.includes(pkg.name)
      ? ` ${paint('gray', `(${safe(pkg.source)})`)}`
      : '';
  return `${mark} ${name} ${safe(describeChange(pkg))} [${pkg.ecosystem}] ${verdict} — ${verdictPhrase(pkg, report.failOn)}${source}`;
}

function findingLines(finding: Finding, paint: (style: Style, text: string) => string): string[] {
  const severity = paint(SEVERITY_STYLE[finding.severity], finding.severity.padEnd(8));
  const lines = [
    `  ${severity}  ${paint('bold', safe(finding.rule))}  ${safe(findingLocation(finding))}` +
      (finding.alreadyIn !== undefined
        ? finding.notVouched
          ? paint(
              'red',
              `  (already in ${safe(finding.alreadyIn)}; gates anyway: ${safe(finding.notVouched)})`,
            )
          : paint('gray', `  (already in ${safe(finding.alreadyIn)})`)
        : finding.releaseTiming
          ? paint('gray', `  (new in this version, ${safe(finding.releaseTiming)})`)
          : '') +
      (finding.allowed ? paint('green', `  (allowed: ${safe(finding.allowed.reason)})`) : ''),
    `            ${safe(finding.message)}`,
  ];
  const evidence = sanitizeEvidence(finding.evidence, {
    maxLines: 6,
    maxLineChars: 160,
    maxTokenChars: 80,
  });
  for (const line of evidence ? evidence.split('\n') : [])
    lines.push(`            ${paint('gray', `│ ${line}`)}`);
  return lines;
}

function totals(report: Report, paint: (style: Style, text: string) => string): string {
  const total = report.packages.length;
  const failing = countFailing(report);
  const errors = report.packages.filter((p) => p.verdict === 'error').length;
  const findings = report.packages.flatMap((p) => p.findings);
  const facts = [
    `${total} package${total === 1 ? '' : 's'}`,
    `${failing} failing`,
    ...(errors ? [`${errors} not inspectable`] : []),
    `findings: ${describeCounts([...findings, ...(report.fileFindings ?? [])])}`,
    ...(report.manifestProblems.length
      ? [`${report.manifestProblems.length} unreadable file(s)`]
      : []),
    ...(report.configProblems?.length ? ['invalid pkg-gate configuration'] : []),
  ];
  const verdict = report.verdict === 'fail' ? paint('red', 'FAIL') : paint('green', 'PASS');
  return `${verdict} ${facts.join(' · ')} (${describeFailOn(report.failOn)})`;
}

/** One line, control and bidi characters made visible (no terminal escapes from package text). */
function safe(text: string): string {
  return sanitizeEvidence(text.replace(/[\r\n]+/g, ' '), {
    maxLines: 1,
    maxLineChars: 400,
    maxTokenChars: 400,
  });
}

/** For a transitive package, what brought it in; for a source change, the old and new source. */
function dependencyFileLines(
  pkg: PackageReport,
  paint: (style: Style, text: string) => string,
): string[] {
  const lines: string[] = [];
  if (pkg.via?.length) lines.push(`  ${paint('gray', `via ${safe(pkg.via.join(', '))}`)}`);
  if (pkg.sourceChange) {
    const describe = (s: { resolved?: string; integrity?: string; hashes?: string[] }) =>
      [s.resolved, s.integrity, s.hashes?.length ? `${s.hashes.length} hash(es)` : undefined]
        .filter(Boolean)
        .join(' ') || 'no source recorded';
    lines.push(
      `  ${paint('gray', `source was ${safe(pkg.sourceChange.from.map(describe).join(' | '))}`)}`,
    );
    lines.push(`  ${paint('gray', `source now ${safe(describe(pkg.sourceChange.to))}`)}`);
  }
  return lines;
}
