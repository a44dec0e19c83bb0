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

export function packageVerdict(
  findings: readonly Finding[],
  failOn: FailOn,
  error?: string,
): PackageVerdict {
  if (error !== undefined) return 'error';
  return findings.some((f) => meetsThreshold(f.severity, failOn)) ? 'fail' : 'pass';
}

export function reportVerdict(
  packages: readonly PackageReport[],
  manifestProblems: readonly ManifestProblem[],
  failOn: FailOn,
): 'pass' | 'fail' {
  const uninspectableFails = meetsThreshold(UNINSPECTABLE_SEVERITY, failOn);
  if (uninspectableFails && manifestProblems.length > 0) return 'fail';
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
