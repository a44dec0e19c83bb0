// What the run decided from inputs, the config file and defaults, shown in the job summary and
// the summary comment: notices that need attention in plain sight, the rest in one folded block.
import type { EffectiveSettings, Setting } from '../config/effective.js';
import type { AllowEntry, ConfigIssue } from '../config/types.js';
import { isExpired } from '../gate/policy.js';
import type { Report } from '../types.js';
import { cell, escapeHtml, escapeText, inlineCode } from './markdown.js';

/** Context of a run beyond the report itself. */
export interface RunNotes {
  settings: EffectiveSettings;
  /** The date allow entries are checked against. */
  now: Date;
  /** Changed dependency files skipped by `ignore-paths`. */
  ignoredFiles?: string[];
  /**
   * When the PR changes the config file: the problems of its new version, if it would be
   * invalid (shown so the author can fix it before merge; it does not affect this run).
   */
  headConfigIssues?: ConfigIssue[];
  /**
   * True when no package was downloaded because the invalid config may name private registries
   * (the public ones must not learn internal package names).
   */
  scanSkipped?: boolean;
}

/** Notices that need a reader's attention: invalid or changed config, expired allow entries. */
export function renderConfigNotices(notes: RunNotes): string[] {
  const { settings } = notes;
  const path = inlineCode(settings.configPath);
  const out: string[] = [];
  if (settings.configStatus === 'invalid') {
    const issues = settings.configIssues.map(
      (issue) => `- ${issueLine(settings.configPath, issue)}`,
    );
    out.push(
      `#### ❌ ${path} is not a valid pkg-gate configuration\n\n${
        notes.scanSkipped
          ? 'No package was inspected (the file may name private registries, and falling back to the public ones would send internal package names there), and the run'
          : 'This run used the inputs and the defaults instead, and'
      } **fails until the file on the base branch is fixed**:\n\n${issues.join('\n')}`,
    );
  } else if (settings.configIssues.length > 0) {
    const warnings = settings.configIssues.map(
      (issue) => `- ${issueLine(settings.configPath, issue)}`,
    );
    out.push(`#### ⚠️ Warnings in ${path}\n\n${warnings.join('\n')}`);
  }
  if (settings.configChangedInPr) {
    let text = `ℹ️ **This PR changes ${path}.** pkg-gate reads its configuration from the base branch, so the change applies only after it is merged (a PR cannot allow its own packages).`;
    if (notes.headConfigIssues?.length) {
      text += `\n\n**The new version is not valid**, so this check fails (merged, it would fail every later PR until fixed):\n\n${notes.headConfigIssues.map((issue) => `- ${issueLine(settings.configPath, issue)}`).join('\n')}`;
    }
    out.push(text);
  }
  const expired = settings.allow.filter((entry) => isExpired(entry, notes.now));
  if (expired.length > 0) {
    const lines = expired.map(
      (entry) =>
        `- ${inlineCode(entry.package)} expired on ${entry.expires}${entry.line ? ` (line ${entry.line})` : ''}: ${escapeText(entry.reason)}`,
    );
    out.push(
      `#### ⏰ ${expired.length} allow entr${expired.length === 1 ? 'y has' : 'ies have'} expired and no longer appl${expired.length === 1 ? 'ies' : 'y'}\n\nRemove or renew ${expired.length === 1 ? 'it' : 'them'} in ${path}:\n\n${lines.join('\n')}`,
    );
  }
  return out;
}

/** `- \`path:line\` \`key\`: message`, Markdown-safe. */
function issueLine(path: string, issue: ConfigIssue): string {
  const where = inlineCode(issue.line ? `${path}:${issue.line}` : path);
  return `${where}${issue.key ? ` ${inlineCode(issue.key)}` : ''}: ${escapeText(issue.message)}`;
}

/** The effective settings in one folded block: values with their origin, overrides, allowlist. */
export function renderEffectiveSettings(report: Report, notes: RunNotes): string {
  const { settings } = notes;
  const origin = describeOrigin(settings);
  const row = (name: string, setting: Setting<string | number>) =>
    `| ${inlineCode(name)} | ${inlineCode(String(setting.value))} | ${setting.source === 'config' ? 'config file' : setting.source} |`;
  const parts = [
    [
      '| Setting | Value | From |',
      '|---|---|---|',
      row('fail-on', settings.failOn),
      row('comment-mode', settings.commentMode),
      row('review-event', settings.reviewEvent),
      row('npm-registry', settings.npmRegistry),
      row('pypi-url', settings.pypiUrl),
      row('limits.max-package-mb', settings.maxPackageMb),
      row('limits.timeout-seconds', settings.timeoutSeconds),
      `| ${inlineCode('ignore-paths')} | ${settings.ignorePaths.length ? settings.ignorePaths.map(inlineCode).join(' ') : 'none'} | ${settings.ignorePaths.length ? 'config file' : 'default'} |`,
    ].join('\n'),
  ];

  const overrides = Object.entries(settings.rules);
  if (overrides.length > 0) {
    const rows = overrides.map(([rule, override]) => {
      const what = [
        override.enabled === false ? 'disabled' : undefined,
        override.severity ? `severity ${override.severity}` : undefined,
      ].filter(Boolean);
      return `| ${inlineCode(rule)} | ${what.join(', ') || 'no change'} |`;
    });
    parts.push(`**Rule overrides**\n\n| Rule | Override |\n|---|---|\n${rows.join('\n')}`);
  }

  if (settings.allow.length > 0) {
    const rows = settings.allow.map(
      (entry) =>
        `| ${inlineCode(entry.package)} | ${entry.rules ? entry.rules.map(inlineCode).join(' ') : 'every rule'} | ${cell(entry.reason)} | ${entry.expires ?? 'never'} | ${allowStatus(entry, report, notes.now)} |`,
    );
    parts.push(
      `**Allowlist**\n\n| Package | Rules | Reason | Expires | In this PR |\n|---|---|---|---|---|\n${rows.join('\n')}`,
    );
  }

  if (notes.ignoredFiles?.length) {
    parts.push(`**Skipped by ignore-paths:** ${notes.ignoredFiles.map(inlineCode).join(', ')}`);
  }

  return `<details><summary>⚙️ Effective settings (${escapeHtml(origin)})</summary>\n\n${parts.join('\n\n')}\n\n</details>`;
}

function describeOrigin(settings: EffectiveSettings): string {
  const ref = settings.configRef ? ` at ${settings.configRef.slice(0, 7)}` : '';
  switch (settings.configStatus) {
    case 'loaded':
      return `${settings.configPath} from the base branch${ref}; inputs override it`;
    case 'invalid':
      return `${settings.configPath} is invalid and was not used`;
    default:
      return `no ${settings.configPath} on the base branch: inputs and defaults`;
  }
}

function allowStatus(entry: AllowEntry, report: Report, now: Date): string {
  if (isExpired(entry, now)) return '⏰ expired';
  let findings = 0;
  let packages = 0;
  for (const pkg of report.packages) {
    if (pkg.allowed?.entry === entry.package) packages++;
    findings += pkg.findings.filter((f) => f.allowed?.entry === entry.package).length;
  }
  if (findings === 0 && packages === 0) return 'not used';
  const parts: string[] = [];
  if (findings > 0) parts.push(`allows ${findings} finding${findings === 1 ? '' : 's'}`);
  if (packages > 0)
    parts.push(`waives ${packages} uninspectable package${packages === 1 ? '' : 's'}`);
  return parts.join(', ');
}
