import type { Finding, PackageReport, Report } from '../types.js';

/**
 * The JSON report (`--format json`, the action's `report` output). Field names and their order
 * are a public contract: objects are built field by field, never by spreading the pipeline types.
 */
export function renderJson(report: Report): string {
  const document = {
    verdict: report.verdict,
    packages: report.packages.map(packageJson),
    failOn: report.failOn,
    manifests: report.manifests.map((m) => ({
      path: m.path,
      format: m.format,
      changes: m.changes,
    })),
    manifestProblems: report.manifestProblems.map((p) => ({
      path: p.path,
      line: p.line ?? null,
      message: p.message,
    })),
  };
  return JSON.stringify(document, null, 2);
}

function packageJson(pkg: PackageReport) {
  return {
    source: pkg.source,
    ecosystem: pkg.ecosystem,
    name: pkg.name,
    version: pkg.version,
    change: pkg.change ?? null,
    from: pkg.from ?? null,
    manifest: pkg.manifest ? { path: pkg.manifest.path, line: pkg.manifest.line } : null,
    verdict: pkg.verdict,
    findings: pkg.findings.map(findingJson),
    ...(pkg.error !== undefined ? { error: pkg.error } : {}),
  };
}

function findingJson(finding: Finding) {
  return {
    rule: finding.rule,
    severity: finding.severity,
    file: finding.file,
    line: finding.line,
    message: finding.message,
    evidence: finding.evidence,
    ...(finding.alreadyIn !== undefined ? { alreadyIn: finding.alreadyIn } : {}),
  };
}
