// The repository's policy (`.github/pkg-gate.yml`) applied to a finished report: per-rule
// overrides, the allowlist, then the verdicts again. Pure: the same report, config and date
// always give the same result.
import { specCovers } from '../config/package-spec.js';
import type { AllowEntry, RuleOverride } from '../config/types.js';
import type {
  AllowedBy,
  FailOn,
  Finding,
  ManifestProblem,
  PackageReport,
  Report,
} from '../types.js';
import { packageVerdict, reportVerdict } from './index.js';

export interface PolicyConfig {
  failOn: FailOn;
  rules?: Readonly<Record<string, RuleOverride>>;
  allow?: readonly AllowEntry[];
}

/**
 * Rule ids that stand for "this package could not be inspected": an allow entry limited to
 * rules waives an uninspectable package only when it names one of them.
 */
export const UNINSPECTABLE_RULES: readonly string[] = ['package-unavailable', 'archive-unreadable'];

/** An entry applies through the end of its `expires` day (UTC) and stops applying after it. */
export function isExpired(entry: Pick<AllowEntry, 'expires'>, now: Date): boolean {
  if (!entry.expires) return false;
  const [year, month, day] = entry.expires.split('-').map(Number);
  return now.getTime() >= Date.UTC(year ?? 0, (month ?? 1) - 1, (day ?? 1) + 1);
}

export function expiredEntries(allow: readonly AllowEntry[], now: Date): AllowEntry[] {
  return allow.filter((entry) => isExpired(entry, now));
}

/**
 * Applies rule overrides (a changed severity; a disabled rule's findings removed) and the
 * allowlist (matching findings are kept, marked `allowed`, and no longer gate), then recomputes
 * every package verdict and the report verdict at `config.failOn`. Expired entries do not apply.
 * A package that could not be inspected keeps failing closed unless an entry for it waives it.
 */
export function applyPolicy(report: Report, config: PolicyConfig, now: Date): Report {
  const rules = config.rules ?? {};
  const active = (config.allow ?? []).filter((entry) => !isExpired(entry, now));

  const packages = report.packages.map((pkg) => applyToPackage(pkg, rules, active, config.failOn));
  const fileFindings = report.fileFindings
    ? overrideFindings(report.fileFindings, rules)
    : undefined;
  const verdict = policyVerdict(
    packages,
    report.manifestProblems,
    config.failOn,
    fileFindings,
    report.configProblems,
  );
  const result: Report = { ...report, verdict, failOn: config.failOn, packages };
  if (fileFindings) result.fileFindings = fileFindings;
  return result;
}

/**
 * The report verdict with the configuration's own problems counted: an unreadable config file
 * fails the run at any `fail-on`, since its allowlist and thresholds are unknown.
 */
export function policyVerdict(
  packages: readonly PackageReport[],
  manifestProblems: readonly ManifestProblem[],
  failOn: FailOn,
  fileFindings: readonly Finding[] = [],
  configProblems: readonly ManifestProblem[] = [],
): 'pass' | 'fail' {
  if (configProblems.length > 0) return 'fail';
  return reportVerdict(
    packages,
    manifestProblems,
    failOn,
    fileFindings.filter((finding) => !finding.allowed),
  );
}

/** Adds config problems to a report and fails it (fail closed on a config that cannot be read). */
export function withConfigProblems(report: Report, problems: readonly ManifestProblem[]): Report {
  if (problems.length === 0) return report;
  return {
    ...report,
    verdict: 'fail',
    configProblems: [...(report.configProblems ?? []), ...problems],
  };
}

function applyToPackage(
  pkg: PackageReport,
  rules: Readonly<Record<string, RuleOverride>>,
  active: readonly AllowEntry[],
  failOn: FailOn,
): PackageReport {
  const findings = overrideFindings(pkg.findings, rules).map((finding) => {
    const entry = active.find((e) => entryCovers(e, pkg, finding.rule));
    return entry ? { ...finding, allowed: allowedBy(entry) } : finding;
  });
  const { allowed: _previous, ...rest } = pkg;
  const result: PackageReport = { ...rest, findings };

  if (pkg.verdict === 'error' || (pkg.error !== undefined && pkg.allowed !== undefined)) {
    const entry = active.find(
      (e) =>
        specCovers(e, pkg) && (!e.rules || e.rules.some((r) => UNINSPECTABLE_RULES.includes(r))),
    );
    if (entry) {
      result.allowed = allowedBy(entry);
      result.verdict = packageVerdict(gating(findings), failOn);
    } else {
      result.verdict = 'error';
    }
    return result;
  }
  result.verdict = packageVerdict(gating(findings), failOn);
  return result;
}

function overrideFindings(
  findings: readonly Finding[],
  rules: Readonly<Record<string, RuleOverride>>,
): Finding[] {
  const out: Finding[] = [];
  for (const finding of findings) {
    const override = rules[finding.rule];
    if (override?.enabled === false) continue;
    // A re-application starts from the finding as analysed, not as an earlier policy left it.
    const { allowed: _previous, ...plain } = finding;
    out.push(override?.severity ? { ...plain, severity: override.severity } : plain);
  }
  return out;
}

function entryCovers(entry: AllowEntry, pkg: PackageReport, rule: string): boolean {
  return specCovers(entry, pkg) && (!entry.rules || entry.rules.includes(rule));
}

function allowedBy(entry: AllowEntry): AllowedBy {
  return {
    reason: entry.reason,
    entry: entry.package,
    ...(entry.expires ? { expires: entry.expires } : {}),
  };
}

function gating(findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => !finding.allowed);
}
