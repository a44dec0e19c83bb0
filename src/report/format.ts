// Pure formatting shared by every report channel (PR comments, annotations, job summary, CLI text).
import { UNINSPECTABLE_SEVERITY } from '../gate/index.js';
import type { FailOn, Finding, PackageReport, Report, Severity } from '../types.js';
import { SEVERITY_ORDER, meetsThreshold, severityRank } from '../types.js';

/** Most severe first. */
export const SEVERITIES_DESCENDING: readonly Severity[] = [...SEVERITY_ORDER].reverse();

/** `added 1.2.0`, `1.2.0 → 1.3.0`, `1.3.0 → 1.2.0 (downgrade)`, `removed 1.2.0`, or the version. */
export function describeChange(pkg: PackageReport): string {
  const version = pkg.version || 'unknown version';
  switch (pkg.change) {
    case 'added':
      return `added ${version}`;
    case 'bumped':
      return pkg.from ? `${pkg.from} → ${version}` : `bumped to ${version}`;
    case 'downgraded':
      return pkg.from ? `${pkg.from} → ${version} (downgrade)` : `downgraded to ${version}`;
    case 'removed':
      return `removed ${version}`;
    case 'source-changed':
      return `${version} (source changed)`;
    default:
      return version;
  }
}

/** `left-pad@1.1.0` for npm, `requests==2.32.0` for PyPI: how each ecosystem writes a pin. */
export function packageLabel(pkg: Pick<PackageReport, 'ecosystem' | 'name' | 'version'>): string {
  if (!pkg.version) return pkg.name;
  return pkg.ecosystem === 'pypi' ? `${pkg.name}==${pkg.version}` : `${pkg.name}@${pkg.version}`;
}

/** The allowlist key of issue 7's config file: `ecosystem:name@version`. */
export function packageKey(pkg: Pick<PackageReport, 'ecosystem' | 'name' | 'version'>): string {
  return `${pkg.ecosystem}:${pkg.name}@${pkg.version}`;
}

export function ecosystemLabel(ecosystem: PackageReport['ecosystem']): string {
  return ecosystem === 'pypi' ? 'PyPI' : 'npm';
}

/** The package's page on the public registry, for the exact version when known. */
export function packagePageUrl(pkg: Pick<PackageReport, 'ecosystem' | 'name' | 'version'>): string {
  const version = pkg.version ? encodeURIComponent(pkg.version) : '';
  if (pkg.ecosystem === 'pypi') {
    const name = encodeURIComponent(pkg.name);
    return `https://pypi.org/project/${name}/${version ? `${version}/` : ''}`;
  }
  const name = pkg.name.split('/').map(encodeURIComponent).join('/');
  return `https://www.npmjs.com/package/${name}${version ? `/v/${version}` : ''}`;
}

/** A viewer of the release's files, so a reviewer can read the flagged code in a browser. */
export function codeBrowserUrl(
  pkg: Pick<PackageReport, 'ecosystem' | 'name' | 'version'>,
): string | undefined {
  if (!pkg.version) return undefined;
  if (pkg.ecosystem === 'pypi') {
    return `https://inspector.pypi.io/project/${encodeURIComponent(pkg.name)}/${encodeURIComponent(pkg.version)}/`;
  }
  return `${packagePageUrl(pkg)}?activeTab=code`;
}

export function severityCounts(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/** `1 critical, 2 high`, or `none`. */
export function describeCounts(findings: readonly Finding[]): string {
  const counts = severityCounts(findings);
  const parts = SEVERITIES_DESCENDING.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** Most severe first, then by file and line, so the worst evidence is read first. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.rule.localeCompare(b.rule),
  );
}

/** `setup.py:12`, or the file alone for whole-file findings (line 0). */
export function findingLocation(finding: Pick<Finding, 'file' | 'line'>): string {
  return finding.line > 0 ? `${finding.file}:${finding.line}` : finding.file;
}

/** True when the package blocks the merge: a failing finding, or not inspectable at `failOn`. */
export function failsGate(pkg: PackageReport, failOn: FailOn): boolean {
  if (pkg.verdict === 'fail') return true;
  return pkg.verdict === 'error' && meetsThreshold(UNINSPECTABLE_SEVERITY, failOn);
}

/** Packages a reviewer has to act on: failing or not inspectable. */
export function isFlagged(pkg: PackageReport): boolean {
  return pkg.verdict !== 'pass';
}

export function verdictPhrase(pkg: PackageReport, failOn: FailOn): string {
  if (pkg.allowed && pkg.verdict === 'pass') {
    return `could not be inspected; allowed: ${pkg.allowed.reason}`;
  }
  if (pkg.verdict === 'error') {
    return failsGate(pkg, failOn)
      ? 'could not be inspected (fails the gate)'
      : 'could not be inspected';
  }
  if (pkg.verdict === 'fail') return 'fails the gate';
  // Only an allowed finding that would otherwise gate explains why the package passes.
  const allowed = pkg.findings.find((f) => f.allowed && meetsThreshold(f.severity, failOn));
  if (allowed?.allowed) return `allowed: ${allowed.allowed.reason}`;
  return pkg.findings.length ? 'passes (findings below the threshold)' : 'passes';
}

export function verdictIcon(pkg: PackageReport): string {
  if (pkg.verdict === 'error') return '⚠️';
  return pkg.verdict === 'fail' ? '❌' : '✅';
}

export function severityIcon(severity: Severity): string {
  return { critical: '🟥', high: '🟧', medium: '🟨', low: '🟦', info: '⬜' }[severity];
}

export function describeFailOn(failOn: FailOn): string {
  return failOn === 'none' ? 'fail-on: none (report only)' : `fail-on: ${failOn}`;
}

/** Packages that pass only because the repository's allowlist waives what would fail them. */
export function countAllowed(report: Report): number {
  return report.packages.filter(
    (pkg) =>
      pkg.verdict === 'pass' &&
      (pkg.allowed !== undefined ||
        pkg.findings.some((f) => f.allowed && meetsThreshold(f.severity, report.failOn))),
  ).length;
}

export function countFailing(report: Report): number {
  return report.packages.filter((pkg) => failsGate(pkg, report.failOn)).length;
}

// ---------------------------------------------------------------- evidence

export interface EvidenceLimits {
  maxLines: number;
  maxLineChars: number;
  /** Unbroken runs (base64, hex, minified code) longer than this are shortened. */
  maxTokenChars: number;
}

export const DEFAULT_EVIDENCE_LIMITS: EvidenceLimits = {
  maxLines: 10,
  maxLineChars: 200,
  maxTokenChars: 80,
};

const SECRET_PATTERNS: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{22,}\b/g,
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g,
  /\bsk-[A-Za-z0-9_-]{20,}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g,
];
const ASSIGNED_SECRET =
  /\b((?:password|passwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token)\s*[:=]\s*)(['"])[^'"\n]{6,}\2/gi;

// Characters that can hide or reorder what a reviewer sees (terminal escapes, bidi overrides,
// zero-width characters): shown as visible escapes instead.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * Makes a finding's evidence safe and short enough to quote: secrets redacted, long blobs and
 * long lines elided, invisible characters made visible, common indentation removed.
 */
export function sanitizeEvidence(
  evidence: string,
  limits: EvidenceLimits = DEFAULT_EVIDENCE_LIMITS,
): string {
  let text = evidence.replace(/\r\n?/g, '\n');
  for (const pattern of SECRET_PATTERNS) text = text.replace(pattern, '«redacted secret»');
  text = text.replace(
    ASSIGNED_SECRET,
    (_m, key: string, quote: string) => `${key}${quote}«redacted»${quote}`,
  );
  text = text
    .replace(/\t/g, '  ')
    .replace(INVISIBLE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
  text = text.replace(new RegExp(`\\S{${limits.maxTokenChars + 1},}`, 'g'), (run) => {
    const head = run.slice(0, Math.floor(limits.maxTokenChars * 0.6));
    const tail = run.slice(-Math.floor(limits.maxTokenChars * 0.15));
    return `${head}…«${run.length - head.length - tail.length} chars elided»…${tail}`;
  });

  let lines = text.split('\n').map((line) => line.replace(/\s+$/, ''));
  while (lines.length && !lines[0]) lines.shift();
  while (lines.length && !lines[lines.length - 1]) lines.pop();
  const indents = lines.filter((l) => l).map((l) => /^ */.exec(l)![0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  lines = lines.map((line) => line.slice(common));
  lines = lines.map((line) =>
    line.length > limits.maxLineChars ? `${line.slice(0, limits.maxLineChars)}…` : line,
  );
  if (lines.length > limits.maxLines) {
    const hidden = lines.length - limits.maxLines;
    lines = [
      ...lines.slice(0, limits.maxLines),
      `… (${hidden} more line${hidden === 1 ? '' : 's'})`,
    ];
  }
  return lines.join('\n');
}

/** Code-fence language for a file inside a package, for syntax highlighting. */
export function fenceLanguage(file: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(file)?.[1]?.toLowerCase() ?? '';
  const byExt: Record<string, string> = {
    py: 'python',
    pyw: 'python',
    pth: 'python',
    js: 'javascript',
    cjs: 'javascript',
    mjs: 'javascript',
    jsx: 'javascript',
    ts: 'typescript',
    json: 'json',
    toml: 'toml',
    cfg: 'ini',
    ini: 'ini',
    txt: 'text',
    sh: 'sh',
    bash: 'sh',
    yml: 'yaml',
    yaml: 'yaml',
  };
  return byExt[ext] ?? '';
}
