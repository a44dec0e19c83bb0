import type { Ecosystem, FailOn, Severity } from '../types.js';

export const DEFAULT_CONFIG_PATH = '.github/pkg-gate.yml';

export type CommentMode = 'inline' | 'summary' | 'off';
export type ReviewEvent = 'COMMENT' | 'REQUEST_CHANGES';

export interface RuleOverride {
  severity?: Severity;
  /** `false` removes the rule's findings from the report. */
  enabled?: boolean;
}

/** One `allow:` entry of the config file, parsed and checked. */
export interface AllowEntry {
  /** The `package:` value as written, for messages (`npm:left-pad@^1.3`). */
  package: string;
  ecosystem: Ecosystem;
  /** As written for npm; PEP 503-normalised for PyPI (`Foo_Bar` → `foo-bar`). */
  name: string;
  /**
   * Versions the entry covers: a semver range for npm (`1.3.0`, `^1.3`), a PEP 440 specifier for
   * PyPI (`==2.31.0`, `>=2,<3`); undefined means every version.
   */
  versions?: string;
  /** Only findings of these rules are allowed; undefined means every rule. */
  rules?: string[];
  reason: string;
  /** `YYYY-MM-DD`: the entry applies through the end of that day (UTC), then stops applying. */
  expires?: string;
  /** 1-based line of the entry in the config file, for messages. */
  line?: number;
}

/** What `.github/pkg-gate.yml` says. Absent keys stay undefined so inputs and defaults can fill in. */
export interface PkgGateConfig {
  failOn?: FailOn;
  commentMode?: CommentMode;
  reviewEvent?: ReviewEvent;
  rules: Record<string, RuleOverride>;
  allow: AllowEntry[];
  ignorePaths: string[];
  registries: { npm?: string; pypi?: string };
  limits: { maxPackageMb?: number; timeoutSeconds?: number };
  /** Known-malicious lookups (OSV and GitHub malware advisories); default on. */
  advisories?: 'on' | 'off';
  osvUrl?: string;
  /** Names or npm scopes that must only come from the private registry (dependency confusion). */
  internalPrefixes?: string[];
  /**
   * How old, and how many releases, a package needs before findings its earlier releases already
   * had stop gating (`established-package`); absent keys take the defaults (30 days, 3).
   */
  establishedPackage?: { minAgeDays?: number; minReleases?: number };
}

export const EMPTY_CONFIG: PkgGateConfig = Object.freeze({
  rules: {},
  allow: [],
  ignorePaths: [],
  registries: {},
  limits: {},
}) as PkgGateConfig;

/** A problem in the config file, pointing at the key (`rules.npm-install-script.severity`). */
export interface ConfigIssue {
  /** Dotted path of the offending key, `allow[0].reason`; empty for the whole document. */
  key: string;
  message: string;
  /** 1-based line in the file, when known. */
  line?: number;
}

/** The config file is not valid: the run must fail closed rather than guess what was meant. */
export class ConfigError extends Error {
  constructor(
    readonly path: string,
    readonly issues: ConfigIssue[],
  ) {
    super(
      `${path} is not a valid pkg-gate configuration:\n` +
        issues.map((issue) => `  - ${formatIssue(path, issue)}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** `.github/pkg-gate.yml:4: rules.npm-install-script.severity: must be one of …` */
export function formatIssue(path: string, issue: ConfigIssue): string {
  const where = issue.line ? `${path}:${issue.line}` : path;
  return issue.key ? `${where}: ${issue.key}: ${issue.message}` : `${where}: ${issue.message}`;
}
