// Markdown for GitHub (PR comments, reviews, job summary). Everything that comes from a package
// (names, paths, evidence, messages quoting it) is attacker-controlled: it is escaped so it can
// neither break out of its code block nor inject HTML, links, mentions or our hidden markers.
import { createHash } from 'node:crypto';
import type { FailOn, Finding, PackageReport } from '../types.js';
import {
  codeBrowserUrl,
  describeChange,
  describeCounts,
  ecosystemLabel,
  failsGate,
  fenceLanguage,
  findingLocation,
  packageKey,
  packagePageUrl,
  sanitizeEvidence,
  severityIcon,
  sortFindings,
  verdictIcon,
  verdictPhrase,
} from './format.js';

/** Inline code that survives backticks in its content (CommonMark: a longer delimiter run). */
export function inlineCode(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || longestRun > 0 ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced block whose fence is longer than any backtick run inside, so it cannot be closed early. */
export function codeBlock(text: string, language = ''): string {
  const longestRun = Math.max(0, ...(text.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}

/**
 * Plain text for a Markdown paragraph or table cell: one line, Markdown and HTML syntax escaped,
 * `@mentions` defused (a zero-width space after the @), so package text cannot ping people.
 */
export function escapeText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]()#+!|~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '@\u200b');
}

/** Text inside an HTML element (a `<summary>`), where Markdown escapes would show literally. */
export function escapeHtml(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/@/g, '@\u200b');
}

/** A hidden HTML comment carrying a machine-readable key; the key is reduced to safe characters. */
export function hiddenMarker(kind: string, key: string): string {
  const safe = key.replace(/[^A-Za-z0-9@._+:/=#-]/g, '_').replace(/-{2,}/g, '-');
  return `<!-- pkg-gate:${kind} ${safe} -->`;
}

/** Short stable hash of what a package's report says, so a re-run recognises its own comments. */
export function findingsFingerprint(pkg: PackageReport): string {
  const payload = JSON.stringify([
    pkg.verdict,
    pkg.error ?? '',
    sortFindings(pkg.findings).map((f) => [f.rule, f.severity, f.file, f.line]),
  ]);
  return createHash('sha256').update(payload).digest('hex').slice(0, 12);
}

/** The marker that identifies one package's inline comment (package + what was found). */
export function packageMarker(pkg: PackageReport): string {
  return hiddenMarker('package', `${packageKey(pkg)}#${findingsFingerprint(pkg)}`);
}

export function linkTo(label: string, url: string): string {
  const safeUrl = url.replace(
    /[()<>\s]/g,
    (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return `[${escapeText(label)}](${safeUrl})`;
}

export function renderFinding(finding: Finding): string {
  // Package-level signals (reputation) have no file inside the package.
  const where = findingLocation(finding);
  const location = where ? ` · ${inlineCode(where)}` : '';
  const age =
    finding.alreadyIn !== undefined
      ? ` · already in ${inlineCode(finding.alreadyIn)}` +
        (finding.notVouched ? ` · gates anyway: ${escapeText(finding.notVouched)}` : '')
      : finding.releaseTiming
        ? ` · new in this version, ${escapeText(finding.releaseTiming)}`
        : '';
  const allowed = finding.allowed
    ? ` · allowed: ${escapeText(finding.allowed.reason)}${finding.allowed.expires ? ` (until ${finding.allowed.expires})` : ''}`
    : '';
  const head = `${severityIcon(finding.severity)} **${finding.severity}** · ${inlineCode(finding.rule)}${location}${age}${allowed}`;
  const parts = [head, escapeText(finding.message)];
  const evidence = sanitizeEvidence(finding.evidence);
  if (evidence) parts.push(codeBlock(evidence, fenceLanguage(finding.file)));
  return parts.join('\n\n');
}

/** What a reviewer can do about a flagged package, depending on how the PR changed it. */
export function renderAdvice(pkg: PackageReport): string {
  const name = inlineCode(pkg.name);
  let first: string;
  if (pkg.change === 'bumped' && pkg.from) {
    first = `pin ${name} back to ${inlineCode(pkg.from)} (the version before this PR)`;
  } else if (pkg.change === 'downgraded' && pkg.from) {
    first = `keep ${name} at ${inlineCode(pkg.from)} (the version before this PR)`;
  } else {
    first = `remove ${name} from this PR`;
  }
  const review =
    pkg.verdict === 'error'
      ? 'check that this exact version exists on the registry and re-run (pkg-gate fails closed on what it cannot read)'
      : 'read the evidence above before merging';
  const allow = codeBlock(
    `allow:\n  - package: ${JSON.stringify(packageKey(pkg))}\n    reason: "reviewed by …"`,
    'yaml',
  );
  return `**What to do:** ${first}; or ${review}.\n\n<details><summary>Reviewed it and trust it? Allow it with a reason</summary>\n\nIn \`.github/pkg-gate.yml\` on the base branch:\n\n${allow}\n\n</details>`;
}

export interface PackageMarkdownOptions {
  /** Prefix of the title line, e.g. a heading (`### `) or nothing for an inline comment. */
  titlePrefix?: string;
  /** Include the remediation block (for flagged packages). Default: when the package is flagged. */
  advice?: boolean;
  failOn: FailOn;
  /** Findings shown in full; the rest are counted (a comment has a size limit). Default 10. */
  maxFindings?: number;
}

/** Everything a reviewer needs about one package, as one Markdown section. */
export function renderPackageMarkdown(pkg: PackageReport, options: PackageMarkdownOptions): string {
  const title =
    `${options.titlePrefix ?? ''}${verdictIcon(pkg)} ${inlineCode(pkg.name)} ` +
    `${escapeText(describeChange(pkg))} (${ecosystemLabel(pkg.ecosystem)}) — **${verdictPhrase(pkg, options.failOn)}**`;
  const links = [linkTo(`${ecosystemLabel(pkg.ecosystem)} page`, packagePageUrl(pkg))];
  const browser = codeBrowserUrl(pkg);
  if (browser) links.push(linkTo('browse the files', browser));
  const parts = [title, links.join(' · ')];
  if (pkg.error) parts.push(`**Could not be inspected:** ${escapeText(pkg.error)}`);
  if (pkg.change === 'added' && pkg.comparedWith !== undefined) {
    parts.push(
      `Compared with ${inlineCode(pkg.comparedWith)}, the release before it on the registry.`,
    );
  }
  const findings = sortFindings(pkg.findings);
  const shown = options.maxFindings ?? 10;
  for (const finding of findings.slice(0, shown)) parts.push(renderFinding(finding));
  if (findings.length > shown) {
    const rest = findings.slice(shown);
    parts.push(
      `… and ${rest.length} more finding${rest.length === 1 ? '' : 's'} (${describeCounts(rest)}); the job summary and the JSON report list them all.`,
    );
  }
  const advise = options.advice ?? (failsGate(pkg, options.failOn) || pkg.verdict === 'error');
  if (advise) parts.push(renderAdvice(pkg));
  return parts.join('\n\n');
}

/** GitHub rejects comment bodies over 65,536 characters; stay clear of it. */
export const COMMENT_LIMIT = 60_000;

/**
 * Cuts Markdown that is too long at a paragraph boundary outside code blocks and says so, so a
 * huge report still posts instead of failing with a 422.
 */
export function fitToLimit(markdown: string, limit: number, note: string): string {
  if (markdown.length <= limit) return markdown;
  const budget = limit - note.length - 32;
  let out = '';
  let openFence: string | undefined;
  const track = (text: string): void => {
    for (const match of text.matchAll(/^(`{3,})(.*)$/gm)) {
      if (!openFence) openFence = match[1];
      else if (match[1].length >= openFence.length && !match[2].trim()) openFence = undefined;
    }
  };
  for (const paragraph of markdown.split('\n\n')) {
    const next = out ? `${out}\n\n${paragraph}` : paragraph;
    if (next.length <= budget) {
      out = next;
      track(paragraph);
      continue;
    }
    // The paragraph that does not fit (a long table, a long code block) keeps the lines that do.
    let partial = out ? `${out}\n\n` : '';
    let kept = 0;
    for (const line of paragraph.split('\n')) {
      if (partial.length + line.length + 1 > budget) break;
      partial += `${line}\n`;
      track(line);
      kept++;
    }
    if (kept > 0) out = partial.trimEnd();
    break;
  }
  // Cut inside a code block or a folded section: close them so the note renders as text.
  if (openFence) out = `${out}\n${openFence}`;
  const unclosed =
    (out.match(/<details[\s>]/g) ?? []).length - (out.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < unclosed; i++) out = `${out}\n\n</details>`;
  return `${out}\n\n${note}`;
}

/** Markdown table cell text. */
export function cell(text: string): string {
  return escapeText(text);
}
