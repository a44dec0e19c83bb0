import type { GitHubClient } from '../github/client.js';
import type { PullRequestRef } from '../github/context.js';
import type { PackageReport, Report } from '../types.js';
import { meetsThreshold } from '../types.js';
import {
  countAllowed,
  countFailing,
  describeChange,
  describeCounts,
  describeFailOn,
  ecosystemLabel,
  failsGate,
  severityIcon,
  verdictIcon,
  verdictPhrase,
} from './format.js';
import {
  COMMENT_LIMIT,
  cell,
  escapeHtml,
  escapeText,
  fitToLimit,
  inlineCode,
  renderPackageMarkdown,
} from './markdown.js';
import { renderConfigNotices, renderEffectiveSettings, type RunNotes } from './settings.js';

/** Hidden first line of the one summary comment pkg-gate keeps per PR. */
export const SUMMARY_MARKER = '<!-- pkg-gate:summary -->';

/**
 * The PR's single summary comment: verdict, a table of every changed package, the details of
 * failing ones, the rest folded. It always says where things stand, also when all is clear.
 */
export function renderSummaryComment(report: Report, notes?: RunNotes): string {
  const parts = [SUMMARY_MARKER, `### 🛡️ pkg-gate: ${headline(report)}`];
  if (notes) parts.push(...renderConfigNotices(notes));
  if (report.packages.length > 0) parts.push(packageTable(report.packages, report));

  const failing = report.packages.filter(
    (pkg) => failsGate(pkg, report.failOn) || pkg.verdict === 'error',
  );
  // Folded: the table is the overview and inline comments carry the same details on the diff.
  for (const pkg of failing) {
    const summary = escapeHtml(
      `${pkg.name} ${describeChange(pkg)}: ${verdictPhrase(pkg, report.failOn)}` +
        (pkg.findings.length ? ` (${describeCounts(pkg.findings)})` : ''),
    );
    parts.push(
      `<details><summary>${verdictIcon(pkg)} ${summary}</summary>\n\n${renderPackageMarkdown(pkg, { failOn: report.failOn })}\n\n</details>`,
    );
  }

  if ((report.fileFindings ?? []).length > 0) {
    const lines = (report.fileFindings ?? []).map(
      (f) =>
        `- ${severityIcon(f.severity)} **${f.severity}** · ${inlineCode(f.rule)} · ${inlineCode(
          f.line ? `${f.file}:${f.line}` : f.file,
        )}: ${escapeText(f.message)}`,
    );
    parts.push(`#### Findings in the dependency files\n\n${lines.join('\n')}`);
  }

  if (report.manifestProblems.length > 0) {
    const lines = report.manifestProblems.map(
      (p) => `- ${inlineCode(p.line ? `${p.path}:${p.line}` : p.path)}: ${escapeText(p.message)}`,
    );
    parts.push(`#### ⚠️ Dependency files that could not be read\n\n${lines.join('\n')}`);
  }

  const informational = report.packages.filter(
    (pkg) => !failing.includes(pkg) && pkg.findings.length > 0,
  );
  if (informational.length > 0) {
    const inner = informational
      .map((pkg) =>
        renderPackageMarkdown(pkg, { failOn: report.failOn, titlePrefix: '##### ', advice: false }),
      )
      .join('\n\n');
    const anyAllowed = informational.some(
      (pkg) => pkg.allowed || pkg.findings.some((f) => f.allowed),
    );
    parts.push(
      `<details><summary>Findings below the threshold${anyAllowed ? ' or allowed' : ''} (${informational.length} package${informational.length === 1 ? '' : 's'})</summary>\n\n${inner}\n\n</details>`,
    );
  }

  if (report.manifests.length > 0) {
    const files = report.manifests.map(
      (m) =>
        `- ${inlineCode(m.path)} (${m.format}): ${m.changes} change${m.changes === 1 ? '' : 's'}`,
    );
    parts.push(
      `<details><summary>Dependency files seen (${report.manifests.length})</summary>\n\n${files.join('\n')}\n\n</details>`,
    );
  }

  if (notes) parts.push(renderEffectiveSettings(report, notes));

  parts.push(
    '<sub>This comment is updated on every push. Inline comments mark the line that brings each flagged package in.</sub>',
  );
  return fitToLimit(
    parts.join('\n\n'),
    COMMENT_LIMIT,
    '_Truncated to fit a GitHub comment: the job summary and the JSON report have everything._',
  );
}

function headline(report: Report): string {
  const total = report.packages.length;
  const failing = countFailing(report);
  const policy = describeFailOn(report.failOn);
  const configProblems = report.configProblems?.length ?? 0;
  const fileFindings = report.fileFindings ?? [];
  const fileFailing = fileFindings.filter((f) => meetsThreshold(f.severity, report.failOn)).length;
  if (
    total === 0 &&
    report.manifestProblems.length === 0 &&
    configProblems === 0 &&
    fileFindings.length === 0
  ) {
    return report.manifests.length > 0
      ? `✅ no package changes to inspect in ${report.manifests.length} dependency file${report.manifests.length === 1 ? '' : 's'}`
      : '✅ no dependency changes in this PR';
  }
  const inspected = `${total} changed package${total === 1 ? '' : 's'}`;
  if (report.verdict === 'fail') {
    const problems = report.manifestProblems.length;
    const reasons: string[] = [];
    if (failing > 0) reasons.push(`${failing} of ${inspected} fail${failing === 1 ? 's' : ''}`);
    if (problems > 0)
      reasons.push(`${problems} dependency file${problems === 1 ? '' : 's'} could not be read`);
    if (configProblems > 0) reasons.push('the pkg-gate configuration is invalid');
    if (fileFailing > 0)
      reasons.push(`${fileFailing} finding${fileFailing === 1 ? '' : 's'} in dependency files`);
    return `❌ ${reasons.join('; ')} (${policy})`;
  }
  const allowed = countAllowed(report);
  const withFindings = report.packages.filter((p) => p.findings.length > 0).length - allowed;
  const notes = [
    ...(allowed > 0 ? [`${allowed} allowed by the repository's config`] : []),
    ...(withFindings > 0 ? [`${withFindings} with lower findings`] : []),
  ];
  return notes.length > 0
    ? `✅ ${inspected} inspected, nothing at or above the threshold (${policy}); ${notes.join(', ')}`
    : `✅ ${inspected} inspected, no findings (${policy})`;
}

function packageTable(packages: PackageReport[], report: Report): string {
  const rows = packages.map(
    (pkg) =>
      `| ${inlineCode(pkg.name)} | ${ecosystemLabel(pkg.ecosystem)} | ${cell(describeChange(pkg))} | ${verdictIcon(pkg)} ${cell(verdictPhrase(pkg, report.failOn))} | ${cell(describeCounts(pkg.findings))} |`,
  );
  return [
    '| Package | Ecosystem | Change | Verdict | Findings |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/**
 * Keeps one summary comment per PR: updates the comment that starts with the marker (the first
 * one, should several exist) instead of adding a new comment on every push.
 */
export async function upsertSummaryComment(
  gh: GitHubClient,
  pr: PullRequestRef,
  body: string,
): Promise<'created' | 'updated'> {
  const ours = await findSummaryComment(gh, pr);
  if (ours) {
    await gh.rest.issues.updateComment({
      owner: pr.owner,
      repo: pr.repo,
      comment_id: ours.id,
      body,
    });
    return 'updated';
  }
  await gh.rest.issues.createComment({
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    body,
  });
  return 'created';
}

/**
 * Updates the summary comment only if an earlier run left one: for the fast path of a PR whose
 * dependency changes were reverted, so a stale "fails" summary does not stay behind, while PRs
 * that never touched dependencies get no comment at all.
 */
export async function updateSummaryCommentIfPresent(
  gh: GitHubClient,
  pr: PullRequestRef,
  body: string,
): Promise<boolean> {
  const ours = await findSummaryComment(gh, pr);
  if (!ours) return false;
  await gh.rest.issues.updateComment({ owner: pr.owner, repo: pr.repo, comment_id: ours.id, body });
  return true;
}

async function findSummaryComment(gh: GitHubClient, pr: PullRequestRef) {
  const comments = await gh.paginate(gh.rest.issues.listComments, {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    per_page: 100,
  });
  // Only a comment that starts with the marker is ours: a human quoting it must not be edited.
  return comments.find((c) => c.body?.trimStart().startsWith(SUMMARY_MARKER));
}
