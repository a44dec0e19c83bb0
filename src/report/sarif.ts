// SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`): one result per
// finding, located at the dependency-file line that brings the package in.
import { createHash } from 'node:crypto';
import { ruleCatalog } from '../analysis/catalog.js';
import type { RuleMeta } from '../analysis/rule.js';
import type { Finding, ManifestProblem, PackageReport, Report, Severity } from '../types.js';
import { severityRank } from '../types.js';
import {
  describeChange,
  findingLocation,
  packageKey,
  packageLabel,
  sanitizeEvidence,
} from './format.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINGERPRINT_KEY = 'pkgGateFinding/v1';
const INFORMATION_URI = 'https://github.com/marketplace/actions/pkg-gate';

export type SarifLevel = 'error' | 'warning' | 'note';

/** critical and high are errors, medium a warning, low and info notes. */
export function sarifLevel(severity: Severity): SarifLevel {
  if (severity === 'critical' || severity === 'high') return 'error';
  return severity === 'medium' ? 'warning' : 'note';
}

/**
 * GitHub code scanning sorts security alerts by `security-severity` (a CVSS-like score):
 * over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
 */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

export interface SarifOptions {
  /** The tool's version as the log should show it (the action ref, e.g. `v1`). */
  toolVersion?: string;
  /** Rule metadata; defaults to the engine's rule catalog. */
  catalog?: readonly RuleMeta[];
}

interface SarifLocation {
  physicalLocation: {
    artifactLocation: { uri: string };
    region?: { startLine: number };
  };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
  suppressions?: { kind: 'external'; status: 'accepted'; justification: string }[];
}

/** The SARIF log as an object; `JSON.stringify` it to write the file. */
export function renderSarif(report: Report, options: SarifOptions = {}) {
  const catalog = new Map((options.catalog ?? ruleCatalog()).map((rule) => [rule.id, rule]));
  const drafts: { result: Omit<SarifResult, 'ruleIndex'>; severity: Severity }[] = [];

  for (const pkg of report.packages) {
    for (const finding of pkg.findings) drafts.push(packageResult(pkg, finding));
    if (pkg.error !== undefined && !pkg.findings.some((f) => f.rule === 'integrity-mismatch')) {
      drafts.push(uninspectableResult(pkg));
    }
  }
  for (const finding of report.fileFindings ?? []) drafts.push(fileResult(finding));

  // Rules in a stable order (by id), each with the highest severity seen for it in this report,
  // so an override in the repository's config shows in code scanning too.
  const seen = new Map<string, Severity>();
  for (const { result, severity } of drafts) {
    const current = seen.get(result.ruleId);
    if (!current || severityRank(severity) > severityRank(current))
      seen.set(result.ruleId, severity);
  }
  const ruleIds = [...seen.keys()].sort();
  const rules = ruleIds.map((id) => ruleDescriptor(id, catalog.get(id), seen.get(id)!));
  const results: SarifResult[] = drafts.map(({ result }) => ({
    ...result,
    ruleIndex: ruleIds.indexOf(result.ruleId),
  }));

  const notifications = [
    ...(report.configProblems ?? []).map((p) => notification(p, 'invalid pkg-gate configuration')),
    ...report.manifestProblems.map((p) => notification(p, 'dependency file could not be read')),
  ];

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'pkg-gate',
            informationUri: INFORMATION_URI,
            ...(options.toolVersion ? { version: options.toolVersion } : {}),
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        results,
        properties: { verdict: report.verdict, failOn: report.failOn },
      },
    ],
  };
}

export function renderSarifJson(report: Report, options: SarifOptions = {}): string {
  return JSON.stringify(renderSarif(report, options), null, 2);
}

function packageResult(
  pkg: PackageReport,
  finding: Finding,
): { result: Omit<SarifResult, 'ruleIndex'>; severity: Severity } {
  const evidence = sanitizeEvidence(finding.evidence, {
    maxLines: 6,
    maxLineChars: 160,
    maxTokenChars: 80,
  });
  const text =
    `${packageLabel(pkg)} (${pkg.ecosystem}, ${describeChange(pkg)}): ${finding.message} ` +
    `[${findingLocation(finding)} in the package]` +
    (finding.allowed ? ` Allowed by the repository: ${finding.allowed.reason}.` : '');
  return {
    severity: finding.severity,
    result: {
      ruleId: finding.rule,
      level: sarifLevel(finding.severity),
      message: { text },
      locations: manifestLocation(pkg),
      partialFingerprints: {
        [FINGERPRINT_KEY]: fingerprint([
          'package',
          pkg.ecosystem,
          pkg.name,
          pkg.version,
          pkg.manifest?.path ?? '',
          finding.rule,
          finding.file,
          String(finding.line),
        ]),
      },
      properties: {
        package: packageKey(pkg),
        severity: finding.severity,
        change: pkg.change ?? null,
        from: pkg.from ?? null,
        fileInPackage: finding.file,
        lineInPackage: finding.line,
        evidence,
        ...(finding.alreadyIn !== undefined ? { alreadyIn: finding.alreadyIn } : {}),
        ...(finding.notVouched !== undefined ? { notVouched: finding.notVouched } : {}),
        ...(finding.releaseTiming !== undefined ? { releaseTiming: finding.releaseTiming } : {}),
      },
      ...(finding.allowed ? { suppressions: [suppression(finding.allowed.reason)] } : {}),
    },
  };
}

function uninspectableResult(pkg: PackageReport): {
  result: Omit<SarifResult, 'ruleIndex'>;
  severity: Severity;
} {
  const rule = /^could not be (fetched|inspected)/.test(pkg.error ?? '')
    ? 'package-unavailable'
    : 'archive-unreadable';
  return {
    severity: 'high',
    result: {
      ruleId: rule,
      level: 'error',
      message: {
        text:
          `${packageLabel(pkg)} (${pkg.ecosystem}, ${describeChange(pkg)}) could not be inspected: ${pkg.error}` +
          (pkg.allowed ? ` Allowed by the repository: ${pkg.allowed.reason}.` : ''),
      },
      locations: manifestLocation(pkg),
      partialFingerprints: {
        [FINGERPRINT_KEY]: fingerprint([
          'uninspectable',
          pkg.ecosystem,
          pkg.name,
          pkg.version,
          pkg.manifest?.path ?? '',
          rule,
        ]),
      },
      properties: { package: packageKey(pkg), severity: 'high', change: pkg.change ?? null },
      ...(pkg.allowed ? { suppressions: [suppression(pkg.allowed.reason)] } : {}),
    },
  };
}

function fileResult(finding: Finding): {
  result: Omit<SarifResult, 'ruleIndex'>;
  severity: Severity;
} {
  return {
    severity: finding.severity,
    result: {
      ruleId: finding.rule,
      level: sarifLevel(finding.severity),
      message: { text: finding.message },
      locations: [location(finding.file, finding.line)],
      partialFingerprints: {
        [FINGERPRINT_KEY]: fingerprint([
          'file',
          finding.file,
          finding.rule,
          // The evidence, not the line: the same index stays the same alert when lines move.
          finding.evidence,
        ]),
      },
      properties: {
        severity: finding.severity,
        evidence: sanitizeEvidence(finding.evidence, {
          maxLines: 3,
          maxLineChars: 160,
          maxTokenChars: 120,
        }),
      },
      ...(finding.allowed ? { suppressions: [suppression(finding.allowed.reason)] } : {}),
    },
  };
}

function manifestLocation(pkg: PackageReport): SarifLocation[] {
  return pkg.manifest ? [location(pkg.manifest.path, pkg.manifest.line)] : [];
}

function location(path: string, line: number): SarifLocation {
  return {
    physicalLocation: {
      artifactLocation: { uri: toUri(path) },
      ...(line > 0 ? { region: { startLine: line } } : {}),
    },
  };
}

/** A repository-relative path as a URI reference: `/`-separated, each segment percent-encoded. */
function toUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^\/+/, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function ruleDescriptor(id: string, meta: RuleMeta | undefined, severity: Severity) {
  const title = meta?.title ?? id;
  const description = meta?.description ?? `pkg-gate rule ${id}.`;
  const help = meta?.references.length
    ? `${description}\n\nReferences:\n${meta.references.map((r) => `- ${r}`).join('\n')}`
    : description;
  const helpUri = meta?.references.map(referenceUrl).find((url) => url !== undefined);
  return {
    id,
    name: id
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((word) => word[0]!.toUpperCase() + word.slice(1))
      .join(''),
    shortDescription: { text: title },
    fullDescription: { text: description },
    help: { text: help, markdown: help },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: sarifLevel(meta?.severity ?? severity) },
    properties: {
      tags: ['security', 'supply-chain', ...(meta?.ecosystems ?? [])],
      precision: 'high',
      'security-severity': SECURITY_SEVERITY[severity],
    },
  };
}

/** The URL of a catalog reference, which may carry a note: `https://… (rule-name)`. */
function referenceUrl(reference: string): string | undefined {
  const candidate = /^\S+/.exec(reference.trim())?.[0];
  if (!candidate || !/^https?:\/\//.test(candidate)) return undefined;
  try {
    return new URL(candidate).toString();
  } catch {
    return undefined;
  }
}

function notification(problem: ManifestProblem, what: string) {
  return {
    level: 'error' as const,
    message: { text: `${what}: ${problem.message}` },
    locations: [location(problem.path, problem.line ?? 0)],
  };
}

function suppression(reason: string) {
  return { kind: 'external' as const, status: 'accepted' as const, justification: reason };
}

/** Stable across runs for the same finding in the same package version and dependency file. */
function fingerprint(parts: string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}
