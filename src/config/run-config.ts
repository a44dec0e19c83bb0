// The configuration as a run uses it, shared by the action and `pkg-gate diff` so both read,
// check and apply `.github/pkg-gate.yml` the same way: read at the base side, merged with the
// inputs (action inputs, command-line flags), turned into scan options, and applied to the report.
import { applyPolicy, expiredEntries, withConfigProblems } from '../gate/policy.js';
import type { RegistryConfig } from '../registry/config.js';
import type { AdvisoryLookupOptions, GithubAdvisoryOptions } from '../reputation/advisories.js';
import type { ReputationOptions } from '../run.js';
import type { Report } from '../types.js';
import {
  resolveSettings,
  type EffectiveSettings,
  type InputName,
  type SettingInputs,
} from './effective.js';
import { issuesAsProblems, loadConfig, parseLoaded, type LoadedConfig } from './load.js';
import type { ConfigIssue, PkgGateConfig } from './types.js';

export const DEFAULT_OSV_URL = 'https://api.osv.dev';

/** The configuration a run decided on. */
export interface RunConfig {
  loaded: LoadedConfig;
  settings: EffectiveSettings;
}

export interface LoadRunConfigOptions {
  /** Repository-relative path of the config file. */
  path: string;
  /**
   * Reads the file at the base side (the merge base): undefined when it is not there, a throw
   * when it cannot be read. Never the head: a change must not choose the policy that judges it.
   */
  readBase: (path: string) => Promise<string | undefined>;
  /** The commit `readBase` reads at, for messages. */
  ref?: string;
  /** Whether the change itself edits the config file (its edit applies after merge). */
  changedInPr: boolean;
  /** Inputs or flags that override the file; empty or undefined means not set. */
  inputs: SettingInputs;
  inputName?: InputName;
}

/** Reads the base side's config file, checks it, and merges it with the inputs and defaults. */
export async function loadRunConfig(options: LoadRunConfigOptions): Promise<RunConfig> {
  const loaded = await loadConfig(options.readBase, options.path);
  const settings = resolveSettings(
    options.inputs,
    loaded.config,
    {
      path: options.path,
      status: loaded.status,
      ...(options.ref ? { ref: options.ref } : {}),
      changedInPr: options.changedInPr,
      issues: loaded.issues,
    },
    options.inputName,
  );
  return { loaded, settings };
}

/**
 * The problems of the change's own version of the config file, when it would be invalid. It
 * never applies to the change's own run, but merged it would fail every later one.
 */
export function headConfigIssues(
  text: string | undefined,
  path: string,
): ConfigIssue[] | undefined {
  if (text === undefined) return undefined;
  const head = parseLoaded(text, path);
  return head.status === 'invalid' ? head.issues : undefined;
}

/** Registry options from the effective settings (registries and limits). */
export function registryOptions(
  settings: EffectiveSettings,
  npmToken: string | undefined,
): RegistryConfig {
  return {
    npmRegistry: settings.npmRegistry.value,
    pypiUrl: settings.pypiUrl.value,
    npmToken: npmToken || undefined,
    maxDownloadBytes: Math.round(settings.maxPackageMb.value * 1024 * 1024),
    timeoutMs: settings.timeoutSeconds.value * 1000,
  };
}

/**
 * Known-malicious lookups: OSV at `osv` (empty = the public API; `off` turns it off) and
 * GitHub's malware advisories when `github` says where and with which token. `setting` names
 * the input or flag in the error for a bad URL.
 */
export function advisoryLookup(
  osv: string,
  github: GithubAdvisoryOptions | false,
  setting: string,
): AdvisoryLookupOptions | false {
  const value = (osv || DEFAULT_OSV_URL).trim();
  if (value !== 'off' && !/^https?:\/\/[^/]/.test(value)) {
    throw new Error(`${setting} must be an http(s) URL or off (got "${osv}")`);
  }
  if (value === 'off' && !github) return false;
  return { osvUrl: value === 'off' ? false : value.replace(/\/+$/, ''), github };
}

/**
 * The config file's reputation keys as scan options: `advisories: off` turns the lookups off
 * unless an OSV URL is given as an input (`osvSetting`), which also overrides `osv-url`.
 */
export function reputationFromConfig(
  config: PkgGateConfig,
  osvSetting: string | undefined,
  github: GithubAdvisoryOptions | false,
  setting: string,
): ReputationOptions {
  const explicit = osvSetting?.trim() ? osvSetting : undefined;
  return {
    advisories:
      config.advisories === 'off' && !explicit
        ? false
        : advisoryLookup(explicit ?? config.osvUrl ?? '', github, setting),
    internalPrefixes: config.internalPrefixes,
    established: config.establishedPackage,
  };
}

export interface PolicyContext extends RunConfig {
  /** Problems of the change's own version of the config file (see {@link headConfigIssues}). */
  headConfigIssues?: ConfigIssue[];
  /** Prefix for those problems: `this PR's version` (default `the change's version`). */
  headLabel?: string;
}

/**
 * The configured policy applied to a finished scan: rule overrides and the allowlist, verdicts
 * at the effective `fail-on`, and the configuration's own problems, which fail the run whatever
 * `fail-on` says (an invalid base file, an invalid version in the change).
 */
export function applyRunPolicy(scanned: Report, context: PolicyContext, now: Date): Report {
  const { settings, loaded } = context;
  let report = applyPolicy(
    scanned,
    { failOn: settings.failOn.value, rules: settings.rules, allow: settings.allow },
    now,
  );
  if (loaded.status === 'invalid') {
    report = withConfigProblems(report, issuesAsProblems(settings.configPath, loaded.issues));
  }
  if (context.headConfigIssues) {
    const inChange = issuesAsProblems(settings.configPath, context.headConfigIssues).map(
      (problem) => ({
        ...problem,
        message: `${context.headLabel ?? "the change's version"}: ${problem.message}`,
      }),
    );
    report = withConfigProblems(report, inChange);
  }
  return report;
}

const SETTING_NAMES = {
  'fail-on': 'failOn',
  'comment-mode': 'commentMode',
  'review-event': 'reviewEvent',
  'npm-registry': 'npmRegistry',
  'pypi-url': 'pypiUrl',
  'max-package-mb': 'maxPackageMb',
  'timeout-seconds': 'timeoutSeconds',
} as const satisfies Record<string, keyof EffectiveSettings>;

export type SettingName = keyof typeof SETTING_NAMES;

/**
 * One log line per setting (`  fail-on: critical (config)`), then ignore-paths, rule overrides
 * and allow entries (expired ones named), for the run's log. `names` picks the settings that
 * mean something to the caller (the CLI posts no comments).
 */
export function describeSettings(
  settings: EffectiveSettings,
  now: Date,
  names: readonly SettingName[] = Object.keys(SETTING_NAMES) as SettingName[],
  inputLabel = 'input',
): string[] {
  const lines = names.map((name) => {
    const setting = settings[SETTING_NAMES[name]];
    const source = setting.source === 'input' ? inputLabel : setting.source;
    return `  ${name}: ${setting.value} (${source})`;
  });
  if (settings.ignorePaths.length) lines.push(`  ignore-paths: ${settings.ignorePaths.join(', ')}`);
  const overrides = Object.keys(settings.rules).length;
  if (overrides) lines.push(`  rule overrides: ${overrides}`);
  if (settings.allow.length) {
    const expired = expiredEntries(settings.allow, now);
    lines.push(
      `  allow entries: ${settings.allow.length}${expired.length ? ` (${expired.length} expired: ${expired.map((e) => e.package).join(', ')})` : ''}`,
    );
  }
  return lines;
}
