import type { PackageReport, Report } from '../types.js';
import {
  countAllowed,
  countFailing,
  describeChange,
  describeFailOn,
  ecosystemLabel,
  failsGate,
  severityCounts,
  SEVERITIES_DESCENDING,
  verdictIcon,
  verdictPhrase,
} from './format.js';
import { cell, escapeHtml, fitToLimit, inlineCode, renderPackageMarkdown } from './markdown.js';
import { renderConfigNotices, renderEffectiveSettings, type RunNotes } from './settings.js';

/** GitHub caps a step summary at 1 MiB; keep a margin for the other steps' output. */
const JOB_SUMMARY_LIMIT = 900_000;

/**
 * The job summary: every changed package in one table (with counts by severity), the details of
 * each package with findings folded per package, unreadable files, and every dependency file seen.
 * Unlike annotations (a few per step) it carries every finding.
 */
export function renderJobSummary(report: Report, notes?: RunNotes): string {
  const parts = [`## 🛡️ pkg-gate: ${verdictLine(report)}`];
  if (notes) parts.push(...renderConfigNotices(notes));

  if (report.packages.length > 0) {
    const header = `| Ecosystem | Package | Change | Verdict | ${SEVERITIES_DESCENDING.map(capitalize).join(' | ')} |`;
    const rule = `|---|---|---|---|${SEVERITIES_DESCENDING.map(() => '--:').join('|')}|`;
    const rows = report.packages.map((pkg) => {
      const counts = severityCounts(pkg.findings);
      return `| ${ecosystemLabel(pkg.ecosystem)} | ${inlineCode(pkg.name)} | ${cell(describeChange(pkg))} | ${verdictIcon(pkg)} ${cell(verdictPhrase(pkg, report.failOn))} | ${SEVERITIES_DESCENDING.map((s) => (counts[s] ? String(counts[s]) : '')).join(' | ')} |`;
    });
    parts.push([header, rule, ...rows].join('\n'));
  }

  const withDetails = report.packages.filter((pkg) => pkg.findings.length > 0 || pkg.error);
  for (const pkg of withDetails) parts.push(packageDetails(pkg, report));

  const fileFindings = report.fileFindings ?? [];
  if (fileFindings.length > 0) {
    const rows = fileFindings.map(
      (f) =>
        `| ${inlineCode(f.file)} | ${f.line || ''} | ${f.severity} | ${inlineCode(f.rule)} | ${cell(f.message)} (${cell(f.evidence)}) |`,
    );
    parts.push(
      `### Findings in dependency files\n\n| File | Line | Severity | Rule | Finding |\n|---|--:|---|---|---|\n${rows.join('\n')}`,
    );
  }

  if (report.manifestProblems.length > 0) {
    const rows = report.manifestProblems.map(
      (p) => `| ${inlineCode(p.path)} | ${p.line ?? ''} | ${cell(p.message)} |`,
    );
    parts.push(
      `### ⚠️ Dependency files that could not be read\n\n| File | Line | Problem |\n|---|--:|---|\n${rows.join('\n')}`,
    );
  }

  if (report.manifests.length > 0) {
    const rows = report.manifests.map(
      (m) => `| ${inlineCode(m.path)} | ${m.format} | ${m.changes} |`,
    );
    parts.push(
      `### Dependency files seen\n\n| File | Format | Package changes |\n|---|---|--:|\n${rows.join('\n')}`,
    );
  } else {
    parts.push('No dependency files changed in this PR.');
  }

  if (notes) parts.push(renderEffectiveSettings(report, notes));

  return `${fitToLimit(parts.join('\n\n'), JOB_SUMMARY_LIMIT, '_Truncated to the job summary size limit: the JSON report (the `report` output) has everything._')}\n`;
}

function packageDetails(pkg: PackageReport, report: Report): string {
  const open = failsGate(pkg, report.failOn) ? ' open' : '';
  const summary = `${verdictIcon(pkg)} ${escapeHtml(`${pkg.name} ${describeChange(pkg)}: ${verdictPhrase(pkg, report.failOn)}`)}`;
  const where = pkg.manifest
    ? `\n\nBrought in by ${inlineCode(`${pkg.manifest.path}:${pkg.manifest.line}`)}.`
    : '';
  const body = renderPackageMarkdown(pkg, { failOn: report.failOn, maxFindings: 200 });
  return `<details${open}><summary>${summary}</summary>\n\n${body}${where}\n\n</details>`;
}

function verdictLine(report: Report): string {
  const policy = describeFailOn(report.failOn);
  const total = report.packages.length;
  const configProblems = report.configProblems?.length ?? 0;
  if (total === 0 && report.manifestProblems.length === 0 && configProblems === 0)
    return `✅ no package changes to inspect (${policy})`;
  const failing = countFailing(report);
  const problems = report.manifestProblems.length;
  const facts = [`${total} changed package${total === 1 ? '' : 's'}`, `${failing} failing`];
  if (problems) facts.push(`${problems} unreadable dependency file${problems === 1 ? '' : 's'}`);
  if (configProblems) facts.push('invalid pkg-gate configuration');
  const allowed = countAllowed(report);
  if (allowed) facts.push(`${allowed} allowed by the repository's config`);
  return `${report.verdict === 'fail' ? '❌ fail' : '✅ pass'}: ${facts.join(', ')} (${policy})`;
}

function capitalize(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}
