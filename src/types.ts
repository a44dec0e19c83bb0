// Domain types shared by every stage of the pipeline:
// discover → parse manifests → diff → fetch → unpack → analyze → report → gate.
// Field names that appear in the JSON report are a public contract: keep them stable.

export type Ecosystem = 'npm' | 'pypi';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Ordered from least to most severe; index comparisons implement "at or above". */
export const SEVERITY_ORDER: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

export type FailOn = Severity | 'none';

export function severityRank(severity: Severity): number {
  return SEVERITY_ORDER.indexOf(severity);
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITY_ORDER as readonly string[]).includes(value);
}

/** True when `severity` is at or above the `failOn` threshold. */
export function meetsThreshold(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'none' && severityRank(severity) >= severityRank(failOn);
}

// ---------------------------------------------------------------- manifests

/** One package pinned (or declared) by a dependency file, with the line that declares it. */
export interface DeclaredPackage {
  ecosystem: Ecosystem;
  /** Name as the registry knows it (PyPI names are normalised per PEP 503 for comparison only). */
  name: string;
  /** Exact version when the file pins one; undefined for ranges/unpinned requirements. */
  version?: string;
  /** Version specifier or range as written, when not an exact pin. */
  spec?: string;
  /** 1-based line in the dependency file. */
  line: number;
  /** SRI string from a lockfile (`sha512-…`). */
  integrity?: string;
  /** Resolved download URL from a lockfile. */
  resolved?: string;
  /** `--hash=sha256:…` values from requirements files, as `sha256:<hex>`. */
  hashes?: string[];
}

export type ManifestFormat =
  | 'requirements'
  | 'package-lock'
  | 'package-json'
  | 'yarn-lock'
  | 'pnpm-lock'
  | 'bun-lock'
  | 'poetry-lock'
  | 'uv-lock'
  | 'pipfile-lock'
  | 'pdm-lock'
  | 'pylock'
  | 'pyproject'
  | 'pipfile'
  // Registry configuration: no packages, diffed for the registries they add.
  | 'npmrc'
  | 'yarnrc';

export interface ParsedManifest {
  path: string;
  format: ManifestFormat;
  packages: DeclaredPackage[];
}

/**
 * `source-changed`: same name and version on both sides, but the lockfile now records another
 * resolved URL, integrity or hash, so the artifact may differ: it is scanned like a new version.
 */
export type ChangeKind = 'added' | 'bumped' | 'downgraded' | 'removed' | 'source-changed';

/** Where one copy of a package comes from and how its download is verified, as a lockfile says. */
export interface PackageSourceRecord {
  integrity?: string;
  resolved?: string;
  hashes?: string[];
}

/** For a `source-changed` package: what the base side recorded and what the head side records. */
export interface SourceChangeDetails {
  /** Every base copy of this version (nested copies may differ). */
  from: PackageSourceRecord[];
  to: PackageSourceRecord;
  fields: ('integrity' | 'resolved' | 'hashes')[];
}

export interface ManifestLocation {
  path: string;
  line: number;
}

export interface PackageChange {
  ecosystem: Ecosystem;
  name: string;
  /**
   * New exact version (or, for `removed`, the version that was removed). Empty when the
   * dependency file gives only a range (`spec`): the fetch stage resolves it against the index.
   */
  version: string;
  /** Range or specifier as written, when the file does not pin an exact version. */
  spec?: string;
  /** Previous version, for bumped/downgraded/removed. */
  from?: string;
  change: ChangeKind;
  manifest: ManifestLocation;
  integrity?: string;
  resolved?: string;
  hashes?: string[];
  /** For `source-changed`: the old and new source of this version. */
  sourceChange?: SourceChangeDetails;
  /**
   * For a transitive package, the direct dependencies of the project that bring it in, where the
   * lockfile records the dependency graph.
   */
  via?: string[];
}

// ---------------------------------------------------------------- fetch + unpack

export type ArtifactKind = 'npm-tarball' | 'sdist' | 'wheel';

export interface Artifact {
  filename: string;
  url: string;
  kind: ArtifactKind;
  data: Uint8Array;
}

/** A regular file from a package archive; `path` is relative to the package root, `/`-separated. */
export interface PackageFile {
  path: string;
  data: Uint8Array;
  /** Size before any truncation by unpack limits. */
  size: number;
  /** True when `data` holds only the first bytes of a file larger than the per-file limit. */
  truncated?: boolean;
  /** Unix mode bits from the archive, when it records them. */
  mode?: number;
}

export interface UnpackLimits {
  maxTotalBytes: number;
  maxFiles: number;
  maxFileBytes: number;
  /** Files over maxFileBytes keep this many leading bytes (enough to recognise binaries). */
  keepHeadBytes: number;
}

export interface UnpackResult {
  files: PackageFile[];
  /** Things the reader skipped or could not read; reported, never silently dropped. */
  problems: UnpackProblem[];
}

export interface UnpackProblem {
  kind: 'truncated' | 'corrupt' | 'limit' | 'unsafe-path' | 'link' | 'unsupported';
  message: string;
  path?: string;
}

// ---------------------------------------------------------------- analysis

export interface Finding {
  rule: string;
  severity: Severity;
  /** Path inside the package (or the dependency file, for manifest findings). */
  file: string;
  /** 1-based line; 0 when the finding is about the whole file. */
  line: number;
  /** One or two sentences: what was found and why it matters. */
  message: string;
  /** Short code snippet or decoded value that shows the behaviour. */
  evidence: string;
  /**
   * For a bumped package, or an added one with an earlier release on the registry: the release
   * compared with, which already shipped the same behaviour. Such findings are shown but do not
   * gate by default (that code was already out there); findings without it are new in this
   * version.
   */
  alreadyIn?: string;
  /**
   * With `alreadyIn`: why the earlier release does not vouch for this finding (the package is
   * too young or has too few releases on the registry), so it gates as if it were new.
   */
  notVouched?: string;
  /**
   * For a finding new in this version of a compared package: when this version was published
   * relative to the release before it (`published 2 years after 1.4.1`). Informational: a quick
   * release after a long quiet spell is how account takeovers look.
   */
  releaseTiming?: string;
  /**
   * Set by the repository's allowlist (`.github/pkg-gate.yml` `allow:`): the finding stays in the
   * report but does not gate.
   */
  allowed?: AllowedBy;
}

/** The allowlist entry that waives a finding or an uninspectable package. */
export interface AllowedBy {
  reason: string;
  /** The entry's `package:` value as written, e.g. `npm:left-pad@^1.3`. */
  entry: string;
  /** `YYYY-MM-DD`, when the entry expires. */
  expires?: string;
}

/** The unit the analyzers inspect: the unpacked files of one package release. */
export interface PackageUnderTest {
  ecosystem: Ecosystem;
  name?: string;
  version?: string;
  files: PackageFile[];
}

// ---------------------------------------------------------------- report + gate

export type PackageVerdict = 'pass' | 'fail' | 'error';

export interface PackageReport {
  /** Where the package came from: the CLI argument, or `ecosystem:name@version` for a PR change. */
  source: string;
  ecosystem: Ecosystem;
  name: string;
  version: string;
  change?: ChangeKind;
  from?: string;
  manifest?: ManifestLocation;
  verdict: PackageVerdict;
  findings: Finding[];
  error?: string;
  stats?: PackageStats;
  /** For `source-changed`: the old and new source of this version. */
  sourceChange?: SourceChangeDetails;
  /**
   * The release this version was compared with: the previous version of a bump or downgrade, or,
   * for an added package, the release before it on the registry.
   */
  comparedWith?: string;
  /** For a transitive package: the direct dependencies that bring it in. */
  via?: string[];
  /** A package that could not be inspected, waived by an allowlist entry (its verdict is pass). */
  allowed?: AllowedBy;
}

export interface PackageStats {
  downloadedBytes: number;
  files: number;
  unpackedBytes: number;
  millis: number;
}

export interface ManifestProblem {
  path: string;
  line?: number;
  message: string;
}

export interface Report {
  verdict: 'pass' | 'fail';
  failOn: FailOn;
  packages: PackageReport[];
  /** Dependency files that could not be read or parsed. */
  manifestProblems: ManifestProblem[];
  /** Dependency files seen in the change, with how many package changes each produced. */
  manifests: { path: string; format: ManifestFormat; changes: number }[];
  /**
   * Findings about a dependency file itself rather than one package (a new package index in a
   * requirements file, a new registry in .npmrc); `file` is the dependency file's path. They gate
   * like package findings.
   */
  fileFindings?: Finding[];
  /**
   * Problems in the repository's pkg-gate configuration file. A configuration that cannot be
   * read fails the run whatever `fail-on` says: the gate must not guess what was meant.
   */
  configProblems?: ManifestProblem[];
}
