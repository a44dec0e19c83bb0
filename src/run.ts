import { markExistingFindings } from './compare/index.js';
import { packageVerdict, reportVerdict } from './gate/index.js';
import { inspectArtifacts, UnreadablePackageError } from './inspect.js';
import { detectManifestFormat } from './manifests/discover.js';
import { diffManifests } from './manifests/diff.js';
import { dropChangesDecidedByLockfiles } from './manifests/reconcile.js';
import { ManifestParseError, parseManifest } from './manifests/parse/index.js';
import { createLimiter, FetchError, fetchRelease, type RegistryConfig } from './registry/index.js';
import type {
  FailOn,
  Finding,
  ManifestFormat,
  ManifestProblem,
  PackageChange,
  PackageReport,
  ParsedManifest,
  Report,
  UnpackLimits,
} from './types.js';

/** A file the change touches, as GitHub's PR files API or `git diff --name-status` tells it. */
export interface ChangedFile {
  path: string;
  previousPath?: string;
  status: string;
  patch?: string;
}

/**
 * Where the dependency files come from: the GitHub API for a PR, or a local git repository for
 * the CLI. `base` is the side the change is compared against (the merge base).
 */
export interface ChangeSource {
  listChangedFiles(): Promise<ChangedFile[]>;
  readFile(path: string, side: 'base' | 'head'): Promise<string | undefined>;
}

export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export const consoleLogger: Logger = {
  info: (message) => console.error(message),
  warning: (message) => console.error(`warning: ${message}`),
  group: async (name, fn) => {
    console.error(`▸ ${name}`);
    return fn();
  },
};

export const silentLogger: Logger = {
  info: () => {},
  warning: () => {},
  group: (_name, fn) => fn(),
};

export interface ScanOptions {
  failOn: FailOn;
  registry: RegistryConfig;
  concurrency?: number;
  limits?: Partial<UnpackLimits>;
  logger?: Logger;
  /** Inspect the previous version of bumped packages to tell new findings from old (default on). */
  compareWithPrevious?: boolean;
  /** Let findings the previous version already had fail the gate too (default off). */
  gateExisting?: boolean;
}

export interface DependencyFile {
  path: string;
  previousPath?: string;
  status: string;
  format: ManifestFormat;
}

export function selectDependencyFiles(files: readonly ChangedFile[]): DependencyFile[] {
  const selected: DependencyFile[] = [];
  for (const file of files) {
    const format = detectManifestFormat(file.path) ?? detectManifestFormat(file.previousPath ?? '');
    if (format) selected.push({ ...file, format });
  }
  return selected;
}

function describeChange(change: PackageChange): string {
  switch (change.change) {
    case 'added':
      return `added ${change.version || change.spec || ''}`.trim();
    case 'removed':
      return `removed ${change.version}`;
    default:
      return `${change.from} → ${change.version}`;
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

async function readManifest(
  source: ChangeSource,
  file: DependencyFile,
  side: 'base' | 'head',
  problems: ManifestProblem[],
): Promise<ParsedManifest | undefined> {
  if (side === 'base' && file.status === 'added') return undefined;
  if (side === 'head' && file.status === 'removed') return undefined;
  const path = side === 'base' ? (file.previousPath ?? file.path) : file.path;
  const content = await source.readFile(path, side);
  if (content === undefined) {
    problems.push({ path: file.path, message: `${path} could not be read on the ${side} side` });
    return undefined;
  }
  try {
    return parseManifest(path, file.format, content);
  } catch (error) {
    // The base side of a PR is already merged; only the head side's breakage is the PR's to fix,
    // but either way the diff for this file is unknown, so it is reported and fails closed.
    problems.push({
      path: file.path,
      line: error instanceof ManifestParseError ? error.line : undefined,
      message: `${side === 'base' ? 'base version of ' : ''}${path} could not be parsed: ${
        error instanceof Error ? error.message : String(error)
      }`,
    });
    return undefined;
  }
}

/**
 * For a bump or downgrade, inspects the version the project had before, so the report can tell
 * what is new in this release from what was already installed. Best effort: when the old
 * version cannot be read, every finding simply counts as new.
 */
async function inspectPrevious(
  change: PackageChange,
  options: ScanOptions,
): Promise<{ version: string; findings: Finding[] } | undefined> {
  if (options.compareWithPrevious === false || !change.from) return undefined;
  if (change.change !== 'bumped' && change.change !== 'downgraded') return undefined;
  try {
    const release = await fetchRelease(
      { ecosystem: change.ecosystem, name: change.name, version: change.from },
      options.registry,
    );
    const inspection = await inspectArtifacts(
      release.artifacts,
      { ecosystem: change.ecosystem, name: change.name, version: release.version },
      options.limits,
    );
    return { version: release.version, findings: inspection.findings };
  } catch (error) {
    (options.logger ?? silentLogger).warning(
      `${change.ecosystem}:${change.name}@${change.from} (previous version) could not be inspected for comparison: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
    return undefined;
  }
}

/** Fetches, unpacks and analyzes one changed package; never throws. */
export async function scanChange(
  change: PackageChange,
  options: ScanOptions,
): Promise<PackageReport> {
  const logger = options.logger ?? silentLogger;
  const base: PackageReport = {
    source: `${change.ecosystem}:${change.name}@${change.version || change.spec || ''}`,
    ecosystem: change.ecosystem,
    name: change.name,
    version: change.version,
    change: change.change,
    ...(change.from !== undefined ? { from: change.from } : {}),
    manifest: change.manifest,
    verdict: 'pass',
    findings: [],
  };
  if (change.change === 'removed') return base;
  const started = Date.now();
  try {
    const release = await fetchRelease(
      {
        ecosystem: change.ecosystem,
        name: change.name,
        version: change.version,
        spec: change.spec,
        integrity: change.integrity,
        hashes: change.hashes,
      },
      options.registry,
    );
    const inspection = await inspectArtifacts(
      release.artifacts,
      { ecosystem: change.ecosystem, name: change.name, version: release.version },
      options.limits,
    );
    const previous = await inspectPrevious(change, options);
    const findings = previous
      ? markExistingFindings(inspection.findings, previous.findings, previous.version)
      : inspection.findings;
    const downloadedBytes = release.artifacts.reduce((sum, a) => sum + a.data.length, 0);
    const report: PackageReport = {
      ...base,
      version: release.version,
      verdict: packageVerdict(findings, options.failOn, undefined, options.gateExisting),
      findings,
      stats: {
        downloadedBytes,
        files: inspection.files,
        unpackedBytes: inspection.unpackedBytes,
        millis: Date.now() - started,
      },
    };
    logger.info(
      `${change.ecosystem}:${change.name} ${describeChange({ ...change, version: release.version })}: ` +
        `${formatBytes(downloadedBytes)} fetched, ${inspection.files} files, ` +
        `${inspection.findings.length} finding(s), ${report.verdict} (${Date.now() - started} ms)`,
    );
    return report;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason =
      error instanceof FetchError
        ? error.code === 'integrity'
          ? `integrity check failed: ${message}`
          : `could not be fetched: ${message}`
        : error instanceof UnreadablePackageError
          ? message
          : `could not be inspected: ${message}`;
    if (error instanceof FetchError && error.code === 'integrity') {
      // A hash mismatch is evidence of tampering, not just an outage: report it as a finding.
      const finding = {
        rule: 'integrity-mismatch',
        severity: 'critical' as const,
        file: change.manifest.path,
        line: change.manifest.line,
        message:
          'The downloaded file does not match the hash recorded for this version: the artifact or the lockfile was altered.',
        evidence: message,
      };
      logger.warning(`${change.ecosystem}:${change.name}: ${reason}`);
      return {
        ...base,
        verdict: packageVerdict([finding], options.failOn),
        findings: [finding],
        error: reason,
      };
    }
    logger.warning(`${change.ecosystem}:${change.name}@${change.version}: ${reason}`);
    return { ...base, verdict: 'error', error: reason };
  }
}

/** Steps 2–8 of the pipeline for any source of changes: discover, parse, diff, scan, gate. */
export async function scanChanges(source: ChangeSource, options: ScanOptions): Promise<Report> {
  const logger = options.logger ?? silentLogger;
  const manifestProblems: ManifestProblem[] = [];

  const dependencyFiles = await logger.group('Discover dependency files', async () => {
    const changed = await source.listChangedFiles();
    const selected = selectDependencyFiles(changed);
    logger.info(
      `${changed.length} changed file(s), ${selected.length} dependency file(s)` +
        (selected.length ? `: ${selected.map((f) => f.path).join(', ')}` : ''),
    );
    return selected;
  });

  const manifests: Report['manifests'] = [];
  const changes = await logger.group('Parse and diff dependency files', async () => {
    const all: PackageChange[] = [];
    const parsed: ParsedManifest[] = [];
    for (const file of dependencyFiles) {
      const [base, head] = await Promise.all([
        readManifest(source, file, 'base', manifestProblems),
        readManifest(source, file, 'head', manifestProblems),
      ]);
      const headUnreadable = !head && file.status !== 'removed';
      // An unreadable head leaves nothing to scan (the problem fails the gate); an unreadable
      // base makes every head package count as added, so more is scanned rather than less.
      if (!headUnreadable) all.push(...diffManifests(base, head));
      const side = head ?? base;
      if (side) parsed.push(side);
    }
    // A lockfile changed in the same PR decides the versions of the manifest beside it.
    const decided = dropChangesDecidedByLockfiles(all, parsed);
    for (const file of dependencyFiles) {
      const count = decided.filter((c) => c.manifest.path === file.path).length;
      manifests.push({ path: file.path, format: file.format, changes: count });
      logger.info(`${file.path} (${file.format}): ${count} change(s)`);
    }
    return decided;
  });

  const toScan = changes.filter((c) => c.change !== 'removed');
  const packages = await logger.group(`Inspect ${toScan.length} package(s)`, async () => {
    const limit = createLimiter(options.concurrency ?? 4);
    return Promise.all(changes.map((change) => limit(() => scanChange(change, options))));
  });

  const verdict = reportVerdict(packages, manifestProblems, options.failOn);
  const counted = packages.reduce((n, p) => n + p.findings.length, 0);
  logger.info(
    `Totals: ${toScan.length} package(s) inspected, ${counted} finding(s), ` +
      `${packages.filter((p) => p.verdict === 'error').length} error(s), verdict ${verdict}`,
  );
  return { verdict, failOn: options.failOn, packages, manifestProblems, manifests };
}
