import type { AllowedBy, Finding, PackageReport, PackageSourceRecord, Report } from '../types.js';

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
    // Findings about a dependency file itself (a new package index): present when there are any.
    ...(report.fileFindings?.length ? { fileFindings: report.fileFindings.map(findingJson) } : {}),
    // Problems of the repository's pkg-gate config file: present when there are any.
    ...(report.configProblems?.length
      ? {
          configProblems: report.configProblems.map((p) => ({
            path: p.path,
            line: p.line ?? null,
            message: p.message,
          })),
        }
      : {}),
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
    ...(pkg.comparedWith !== undefined ? { comparedWith: pkg.comparedWith } : {}),
    ...(pkg.error !== undefined ? { error: pkg.error } : {}),
    ...(pkg.allowed !== undefined ? { allowed: allowedJson(pkg.allowed) } : {}),
    ...(pkg.via !== undefined ? { via: [...pkg.via] } : {}),
    ...(pkg.sourceChange !== undefined
      ? {
          sourceChange: {
            fields: [...pkg.sourceChange.fields],
            from: pkg.sourceChange.from.map(sourceJson),
            to: sourceJson(pkg.sourceChange.to),
          },
        }
      : {}),
  };
}

function sourceJson(source: PackageSourceRecord) {
  return {
    resolved: source.resolved ?? null,
    integrity: source.integrity ?? null,
    hashes: source.hashes ? [...source.hashes] : null,
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
    ...(finding.notVouched !== undefined ? { notVouched: finding.notVouched } : {}),
    ...(finding.releaseTiming !== undefined ? { releaseTiming: finding.releaseTiming } : {}),
    ...(finding.allowed !== undefined ? { allowed: allowedJson(finding.allowed) } : {}),
  };
}

function allowedJson(allowed: AllowedBy) {
  return {
    reason: allowed.reason,
    entry: allowed.entry,
    ...(allowed.expires !== undefined ? { expires: allowed.expires } : {}),
  };
}
