import type {
  FailOn,
  Finding,
  ManifestProblem,
  PackageReport,
  PackageVerdict,
  Severity,
} from '../types.js';
import { meetsThreshold } from '../types.js';

/**
 * What cannot be inspected fails like a high-severity finding: a gate that silently passes a
 * package it could not download, or a lockfile it could not parse, is worthless.
 */
export const UNINSPECTABLE_SEVERITY: Severity = 'high';

/**
 * A finding gates when it is at or above the threshold, unless an earlier release already
 * shipped it (`alreadyIn`): that code was out there before this PR, so by default it is shown,
 * not blocked; `gateExisting` makes it block too. A package whose registry history is too short
 * to vouch for its earlier releases (`notVouched`) gets no such exemption.
 */
export function gatesOn(finding: Finding, failOn: FailOn, gateExisting = false): boolean {
  if (finding.alreadyIn !== undefined && finding.notVouched === undefined && !gateExisting) {
    return false;
  }
  return meetsThreshold(finding.severity, failOn);
}

export function packageVerdict(
  findings: readonly Finding[],
  failOn: FailOn,
  error?: string,
  gateExisting = false,
): PackageVerdict {
  if (error !== undefined) return 'error';
  return findings.some((f) => gatesOn(f, failOn, gateExisting)) ? 'fail' : 'pass';
}

/**
 * `fileFindings` are findings about a dependency file rather than one package (a new package
 * index, a remote include); they gate like package findings.
 */
export function reportVerdict(
  packages: readonly PackageReport[],
  manifestProblems: readonly ManifestProblem[],
  failOn: FailOn,
  fileFindings: readonly Finding[] = [],
): 'pass' | 'fail' {
  const uninspectableFails = meetsThreshold(UNINSPECTABLE_SEVERITY, failOn);
  if (uninspectableFails && manifestProblems.length > 0) return 'fail';
  if (fileFindings.some((finding) => gatesOn(finding, failOn))) return 'fail';
  for (const pkg of packages) {
    if (pkg.verdict === 'fail') return 'fail';
    if (pkg.verdict === 'error' && uninspectableFails) return 'fail';
  }
  return 'pass';
}

export function parseFailOn(value: string): FailOn {
  const normalized = value.trim().toLowerCase();
  if (['critical', 'high', 'medium', 'low', 'info', 'none'].includes(normalized)) {
    return normalized as FailOn;
  }
  throw new Error(
    `fail-on must be one of critical, high, medium, low, info, none (got "${value}")`,
  );
}
