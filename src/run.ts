import { markExistingFindings } from './compare/index.js';
import {
  describeReleaseTiming,
  registryContext,
  DEFAULT_ESTABLISHED_PACKAGE,
  releaseBefore,
  whyNotVouched,
  withRegistryContext,
  type EstablishedPackage,
} from './compare/context.js';
import { packageVerdict, reportVerdict } from './gate/index.js';
import { inspectArtifacts, UnreadablePackageError } from './inspect.js';
import { collectDependencyChanges, type CollectedChange } from './manifests/collect.js';
import { detectManifestFormat } from './manifests/discover.js';
import { newCommandFindings, type DeclaredEntryPoint } from './analysis/entrypoints/index.js';
import { sortFindings } from './analysis/index.js';
import { createLimiter, FetchError, fetchRelease, type RegistryConfig } from './registry/index.js';
import { fetchRegistryMetadata, type RegistryMetadata } from './registry/metadata.js';
import type { PackageHistory } from './reputation/metadata.js';
import {
  advisoryKey,
  combineWithCodeFindings,
  packageHistory,
  createAdvisoryLookup,
  isInstallTimeFinding,
  isPublicIndex,
  reputationSignals,
  type AdvisoryLookupOptions,
} from './reputation/index.js';
import type {
  FailOn,
  Finding,
  ManifestFormat,
  ManifestProblem,
  PackageChange,
  PackageReport,
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
  /**
   * Every file of the repository at the merge base, in one call, or undefined when the listing
   * is incomplete: lets the manifest stage find requirements files that include a changed file
   * from anywhere. Optional: without it only conventional places are probed.
   */
  listBaseFiles?(): Promise<readonly string[] | undefined>;
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
  /** Reputation and provenance signals; omitted = name-based and registry-metadata signals only. */
  reputation?: ReputationOptions;
}

export interface ReputationOptions {
  /** Known-malicious lookups (OSV, GitHub malware advisories); false or omitted = off. */
  advisories?: AdvisoryLookupOptions | false;
  /** Names or npm scopes that must only come from the private registry. */
  internalPrefixes?: readonly string[];
  /**
   * Fetch registry metadata (publish times, publishers, provenance) for history signals, for the
   * earlier release an added package is compared with, and for `established`.
   */
  metadata?: boolean;
  /**
   * How old and how long-lived a package must be before findings its earlier releases already
   * had stop gating (default 30 days, 3 releases); younger packages gate on them as if new.
   */
  established?: Partial<EstablishedPackage>;
  now?: Date;
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
    case 'source-changed':
      return `${change.version} from a new source`;
    default:
      return `${change.from} → ${change.version}`;
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The release a change is compared with, and how it was chosen (for messages). */
interface Baseline {
  version: string;
  /** `the previous version` for a bump or downgrade, `the release before it` for an addition. */
  describedAs: string;
}

/**
 * A bump or downgrade is compared with the version the project had before; an added package
 * with the release before it on the registry (which needs the registry's release list).
 */
function baselineFor(
  change: PackageChange,
  version: string,
  history: PackageHistory | undefined,
  options: ScanOptions,
): Baseline | undefined {
  if (options.compareWithPrevious === false) return undefined;
  if ((change.change === 'bumped' || change.change === 'downgraded') && change.from) {
    return { version: change.from, describedAs: 'the previous version' };
  }
  if (change.change !== 'added' || !history) return undefined;
  const earlier = releaseBefore(history, version);
  return earlier ? { version: earlier, describedAs: 'the release before it' } : undefined;
}

/**
 * Inspects the release a change is compared with, so the report can tell what is new in this
 * release from what was already out there. Best effort: when it cannot be read, every finding
 * simply counts as new.
 */
async function inspectBaseline(
  change: PackageChange,
  baseline: Baseline,
  options: ScanOptions,
): Promise<
  { version: string; findings: Finding[]; entryPoints: DeclaredEntryPoint[] } | undefined
> {
  try {
    const release = await fetchRelease(
      { ecosystem: change.ecosystem, name: change.name, version: baseline.version },
      options.registry,
    );
    const inspection = await inspectArtifacts(
      release.artifacts,
      { ecosystem: change.ecosystem, name: change.name, version: release.version },
      options.limits,
    );
    return {
      version: release.version,
      findings: inspection.findings,
      entryPoints: inspection.entryPoints,
    };
  } catch (error) {
    (options.logger ?? silentLogger).warning(
      `${change.ecosystem}:${change.name}@${baseline.version} (${baseline.describedAs}) could not be inspected for comparison: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
    return undefined;
  }
}

/**
 * Registry metadata of one change, fetched once and shared by the history signals and the
 * comparison. Undefined when switched off or unavailable (a warning; never fails the scan).
 */
async function metadataFor(
  change: PackageChange,
  version: string,
  options: ScanOptions,
): Promise<RegistryMetadata | undefined> {
  if (options.reputation?.metadata === false) return undefined;
  return fetchRegistryMetadata(
    { ecosystem: change.ecosystem, name: change.name, version, from: change.from },
    options.registry,
  ).catch((error: unknown) => {
    (options.logger ?? silentLogger).warning(
      `${change.ecosystem}:${change.name}: registry metadata unavailable, history signals skipped (${
        error instanceof Error ? error.message : String(error)
      })`,
    );
    return undefined;
  });
}

/**
 * Name, confusion and registry-history signals of one change. Typosquats are judged only when a
 * package is added: a bumped package was chosen long before this PR.
 */
function reputationFor(
  change: PackageChange,
  version: string,
  metadata: RegistryMetadata | undefined,
  options: ScanOptions,
): Finding[] {
  const settings = options.reputation ?? {};
  const registryUrl =
    change.ecosystem === 'npm' ? options.registry.npmRegistry : options.registry.pypiUrl;
  return reputationSignals({
    ecosystem: change.ecosystem,
    name: change.name,
    version,
    from: change.from,
    metadata: metadata?.metadata,
    versionMetadata: metadata?.versionMetadata,
    now: settings.now ?? new Date(),
    internalPrefixes: settings.internalPrefixes,
    fromPublicIndex: isPublicIndex(registryUrl),
  }).filter((f) => change.change === 'added' || f.rule !== 'typosquat');
}

function establishedSettings(options: ScanOptions): EstablishedPackage {
  const set = options.reputation?.established ?? {};
  return {
    minAgeDays: set.minAgeDays ?? DEFAULT_ESTABLISHED_PACKAGE.minAgeDays,
    minReleases: set.minReleases ?? DEFAULT_ESTABLISHED_PACKAGE.minReleases,
  };
}

/** One batched known-malicious lookup per run; an unreachable source warns, never gates. */
async function lookUpAdvisories(
  changes: readonly PackageChange[],
  options: ScanOptions,
): Promise<Map<string, Finding[]>> {
  const settings = options.reputation?.advisories;
  const pinned = changes.filter((c) => c.version !== '');
  if (!settings || pinned.length === 0) return new Map();
  const result = await createAdvisoryLookup(settings).lookup(
    pinned.map((c) => ({ ecosystem: c.ecosystem, name: c.name, version: c.version })),
  );
  for (const warning of result.warnings) (options.logger ?? silentLogger).warning(warning);
  return result.findings;
}

/**
 * A command that a bump starts installing is worth a look even when nobody else owns its name:
 * the info-level "new command" finding of the release becomes a medium "new in this version".
 */
function withNewCommands(
  change: PackageChange,
  findings: Finding[],
  previous: DeclaredEntryPoint[],
  current: DeclaredEntryPoint[],
  previousVersion: string,
): Finding[] {
  const added = newCommandFindings(
    change.ecosystem,
    change.name,
    previous,
    current,
    previousVersion,
  );
  if (added.length === 0) return findings;
  const raised = new Set(added.map((f) => `${f.file}:${f.line}`));
  return [
    ...findings.filter(
      (f) => !(f.rule === 'entrypoint-new-command' && raised.has(`${f.file}:${f.line}`)),
    ),
    ...added,
  ];
}

/** Fetches, unpacks and analyzes one changed package; never throws. */
export async function scanChange(
  change: PackageChange,
  options: ScanOptions,
  advisories: readonly Finding[] = [],
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
    const metadataPending = metadataFor(change, release.version, options);
    // A bump's baseline is known now: inspect it while the metadata is on its way.
    const bumpBaseline = baselineFor(change, release.version, undefined, options);
    const bumpPending = bumpBaseline ? inspectBaseline(change, bumpBaseline, options) : undefined;
    const inspection = await inspectArtifacts(
      release.artifacts,
      { ecosystem: change.ecosystem, name: change.name, version: release.version },
      options.limits,
    );
    const metadata = await metadataPending;
    const history = metadata
      ? packageHistory({
          ecosystem: change.ecosystem,
          metadata: metadata.metadata,
          versionMetadata: metadata.versionMetadata,
        })
      : undefined;
    const baseline = bumpBaseline ?? baselineFor(change, release.version, history, options);
    const previous = bumpPending
      ? await bumpPending
      : baseline
        ? await inspectBaseline(change, baseline, options)
        : undefined;
    const signals = reputationFor(change, release.version, metadata, options);
    let codeFindings = inspection.findings;
    let comparison = '';
    if (previous && baseline) {
      const context = history ? registryContext(history, release.version) : {};
      const notVouched = whyNotVouched(
        context,
        options.reputation?.now ?? new Date(),
        establishedSettings(options),
      );
      codeFindings = withRegistryContext(
        withNewCommands(
          change,
          markExistingFindings(inspection.findings, previous.findings, previous.version),
          previous.entryPoints,
          inspection.entryPoints,
          previous.version,
        ),
        { notVouched, releaseTiming: describeReleaseTiming(context) },
      );
      const existing = codeFindings.filter((f) => f.alreadyIn !== undefined).length;
      comparison =
        `, compared with ${previous.version} (${baseline.describedAs}): ${existing} already there` +
        (existing > 0 && notVouched ? ` but they gate (${notVouched})` : '');
    }
    const findings = sortFindings(
      combineWithCodeFindings([...codeFindings, ...signals, ...advisories], {
        // For a compared release, only behaviour new in it (or not vouched for by the package's
        // history) makes a publisher change suspicious.
        isInstallTimeBehaviour: (f) =>
          (f.alreadyIn === undefined || f.notVouched !== undefined) && isInstallTimeFinding(f),
      }),
    );
    const downloadedBytes = release.artifacts.reduce((sum, a) => sum + a.data.length, 0);
    const report: PackageReport = {
      ...base,
      version: release.version,
      ...(previous ? { comparedWith: previous.version } : {}),
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
        `${inspection.findings.length} finding(s)${comparison}, ${report.verdict} (${Date.now() - started} ms)`,
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

  const collected = await logger.group('Parse and diff dependency files', async () => {
    const result = await collectDependencyChanges(source, dependencyFiles, {
      registries: options.registry,
    });
    manifestProblems.push(...result.problems);
    for (const m of result.manifests)
      logger.info(`${m.path} (${m.format}): ${m.changes} change(s)`);
    for (const f of result.fileFindings)
      logger.warning(`${f.file}:${f.line}: ${f.rule}: ${f.message}`);
    return result;
  });
  const { manifests, fileFindings } = collected;

  const toScan = collected.changes.filter((c) => c.change.change !== 'removed');
  const advisories = await lookUpAdvisories(
    toScan.map((c) => c.change),
    options,
  );
  const packages = await logger.group(`Inspect ${toScan.length} package(s)`, async () => {
    const limit = createLimiter(options.concurrency ?? 4);
    return Promise.all(
      collected.changes.map((item) =>
        limit(() =>
          scanCollectedChange(item, options, advisories.get(advisoryKey(item.change)) ?? []),
        ),
      ),
    );
  });

  const verdict = reportVerdict(packages, manifestProblems, options.failOn, fileFindings);
  const counted = packages.reduce((n, p) => n + p.findings.length, fileFindings.length);
  logger.info(
    `Totals: ${toScan.length} package(s) inspected, ${counted} finding(s), ` +
      `${packages.filter((p) => p.verdict === 'error').length} error(s), verdict ${verdict}`,
  );
  return {
    verdict,
    failOn: options.failOn,
    packages,
    manifestProblems,
    manifests,
    ...(fileFindings.length > 0 ? { fileFindings } : {}),
  };
}

/**
 * scanChange plus what the dependency file itself says about the package (where it comes from,
 * lockfile-only additions). A package that does not come from the registry is not fetched from
 * it: the registry's copy is not what gets installed.
 */
async function scanCollectedChange(
  item: CollectedChange,
  options: ScanOptions,
  advisories: readonly Finding[] = [],
): Promise<PackageReport> {
  const { change } = item;
  const details: Partial<PackageReport> = {
    ...(change.sourceChange ? { sourceChange: change.sourceChange } : {}),
    ...(change.via ? { via: change.via } : {}),
  };
  if (!item.fromRegistry && change.change !== 'removed') {
    (options.logger ?? silentLogger).info(
      `${change.ecosystem}:${change.name}: not fetched, it comes from ${change.resolved}`,
    );
    return {
      source: `${change.ecosystem}:${change.name}@${change.version || change.spec || ''}`,
      ecosystem: change.ecosystem,
      name: change.name,
      version: change.version,
      change: change.change,
      ...(change.from !== undefined ? { from: change.from } : {}),
      manifest: change.manifest,
      verdict: packageVerdict(item.findings, options.failOn),
      findings: item.findings,
      ...details,
    };
  }
  const report = await scanChange(change, options, advisories);
  if (item.findings.length === 0) return { ...report, ...details };
  const findings = [...item.findings, ...report.findings];
  return {
    ...report,
    ...details,
    findings,
    verdict:
      report.verdict === 'error'
        ? 'error'
        : packageVerdict(findings, options.failOn, undefined, options.gateExisting),
  };
}
