import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { readDirectory } from '../archive/directory.js';
import {
  resolveSettings,
  type ConfigState,
  type EffectiveSettings,
  type InputName,
  type SettingInputs,
} from '../config/effective.js';
import { partitionIgnored } from '../config/ignore.js';
import { checkConfigPath } from '../config/load.js';
import {
  advisoryLookup,
  applyRunPolicy,
  describeSettings,
  headConfigIssues,
  loadRunConfig,
  registryOptions,
  reputationFromConfig,
  type RunConfig,
  type SettingName,
} from '../config/run-config.js';
import {
  DEFAULT_CONFIG_PATH,
  EMPTY_CONFIG,
  formatIssue,
  type ConfigIssue,
} from '../config/types.js';
import { runDemo } from '../demo/index.js';
import { packageVerdict, reportVerdict } from '../gate/index.js';
import { inspectArtifacts, inspectUnpacked } from '../inspect.js';
import { fetchRelease, type RegistryConfig } from '../registry/index.js';
import { renderJson } from '../report/json.js';
import { renderText } from '../report/text.js';
import type { AdvisoryLookupOptions } from '../reputation/index.js';
import type { GithubAdvisoryOptions } from '../reputation/advisories.js';
import {
  consoleLogger,
  scanChanges,
  silentLogger,
  type ChangedFile,
  type ChangeSource,
  type Logger,
} from '../run.js';
import { createGitSource, type GitChangeSource } from '../sources/git.js';
import type { Ecosystem, FailOn, PackageReport, Report } from '../types.js';

export const USAGE = `pkg-gate — inspect packages for malware and command-jacking before they merge

Usage:
  pkg-gate inspect <archive|directory|npm:NAME@VERSION|pypi:NAME==VERSION>...
                   [--ecosystem npm|pypi] [--format text|json] [--fail-on LEVEL] [--config FILE]
  pkg-gate diff --base REF --head REF [--repo DIR] [--format text|json] [--fail-on LEVEL]
                [--config PATH | --no-config]
  pkg-gate demo [--format text|json]

Options:
  --fail-on LEVEL        critical|high|medium|low|info|none (default: the config's, else high)
  --config PATH          diff: the configuration file, read at the merge base of --base and
                         --head, never from the working tree or --head (default
                         .github/pkg-gate.yml; a missing default means defaults apply).
                         inspect: a local configuration file (rules, allow, fail-on,
                         registries, limits); none unless given
  --no-config            diff: do not read a configuration file
  --npm-registry URL     npm registry (env PKG_GATE_NPM_REGISTRY, then the config's, default
                         https://registry.npmjs.org)
  --pypi-url URL         PyPI base URL (env PKG_GATE_PYPI_URL, then the config's, default
                         https://pypi.org)
  --osv-url URL|off      OSV API for known-malicious lookups in diff (env PKG_GATE_OSV_URL,
                         then the config's osv-url, default https://api.osv.dev; off disables)
  --quiet                no progress lines on stderr

Flags and environment variables override the configuration file; the file overrides defaults.

Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 error (bad arguments, unreadable
input, invalid configuration file).`;

class UsageError extends Error {}

/** The configuration file cannot be used: exit 2, with the errors on their lines. */
class ConfigFileError extends Error {}

const ECOSYSTEMS: readonly Ecosystem[] = ['npm', 'pypi'];

/** Errors name the flag: `--fail-on must be one of …`. */
const flagName: InputName = (name) => `--${name}`;

/** The settings the CLI uses (it posts no comments), for the log. */
const CLI_SETTINGS: readonly SettingName[] = [
  'fail-on',
  'npm-registry',
  'pypi-url',
  'max-package-mb',
  'timeout-seconds',
];

interface SettingFlags {
  'fail-on'?: string;
  'npm-registry'?: string;
  'pypi-url'?: string;
}

/** Flags, then environment variables: both override the configuration file, as action inputs do. */
function flagInputs(flags: SettingFlags, env: NodeJS.ProcessEnv): SettingInputs {
  return {
    failOn: flags['fail-on'],
    npmRegistry: flags['npm-registry'] ?? env.PKG_GATE_NPM_REGISTRY,
    pypiUrl: flags['pypi-url'] ?? env.PKG_GATE_PYPI_URL,
  };
}

/** Flag values as settings with no configuration file; a bad value is a usage error. */
function flagSettings(flags: SettingFlags, env: NodeJS.ProcessEnv): EffectiveSettings {
  const state: ConfigState = { path: DEFAULT_CONFIG_PATH, status: 'absent' };
  return asUsageError(() => resolveSettings(flagInputs(flags, env), EMPTY_CONFIG, state, flagName));
}

function asUsageError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function registryConfigFrom(flags: SettingFlags, env: NodeJS.ProcessEnv): RegistryConfig {
  return registryOptions(flagSettings(flags, env), env.PKG_GATE_NPM_TOKEN);
}

/**
 * Registry options for a run. PKG_GATE_NPM_TOKEN is the user's own credential: it is not sent
 * to a registry that only the repository's configuration names (a repository cloned from
 * elsewhere could name any server), only to one named by a flag, the environment or the default.
 */
function runRegistry(
  settings: EffectiveSettings,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): RegistryConfig {
  const token = env.PKG_GATE_NPM_TOKEN || undefined;
  if (token && settings.npmRegistry.source === 'config') {
    logger.warning(
      `PKG_GATE_NPM_TOKEN is not sent to ${settings.npmRegistry.value}, which only ${settings.configPath} names; ` +
        'pass --npm-registry or set PKG_GATE_NPM_REGISTRY to that URL to send it.',
    );
    return registryOptions(settings, undefined);
  }
  return registryOptions(settings, token);
}

/** GitHub's malware advisories when the environment has a token for them. */
function githubAdvisories(env: NodeJS.ProcessEnv): GithubAdvisoryOptions | false {
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  return token ? { apiUrl: env.GITHUB_API_URL || 'https://api.github.com', token } : false;
}

/** Known-malicious lookups for `diff`: OSV unless turned off; GitHub's needs a token. */
export function advisoriesFrom(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
): AdvisoryLookupOptions | false {
  return asUsageError(() =>
    advisoryLookup(flag ?? env.PKG_GATE_OSV_URL ?? '', githubAdvisories(env), '--osv-url'),
  );
}

/** The configuration file's problems, one `file:line: key: message` per line. */
function issueLines(path: string, issues: readonly ConfigIssue[]): string {
  return issues.map((issue) => `  - ${formatIssue(path, issue)}`).join('\n');
}

/** `diff`'s configuration, with the head's own version checked when the change edits it. */
interface DiffConfig extends RunConfig {
  headConfigIssues?: ConfigIssue[];
}

/**
 * Reads the configuration at the merge base, as the action does for a PR: the change under
 * review (the head, or uncommitted edits) must not choose the policy that judges it. An invalid
 * or unreadable file, or a `--config` path the merge base does not have, is an error.
 */
async function diffConfig(
  source: GitChangeSource,
  changed: readonly ChangedFile[],
  configPath: string | undefined,
  explicit: boolean,
  inputs: SettingInputs,
  logger: Logger,
): Promise<DiffConfig> {
  const at = source.mergeBase.slice(0, 7);
  if (configPath === undefined) {
    logger.info('Configuration: none (--no-config); flags and defaults apply.');
    return loadRunConfig({
      path: DEFAULT_CONFIG_PATH,
      readBase: async () => undefined,
      changedInPr: false,
      inputs,
      inputName: flagName,
    });
  }
  const changedInPr = changed.some((f) => f.path === configPath || f.previousPath === configPath);
  const run = await loadRunConfig({
    path: configPath,
    readBase: (path) => source.readTrackedFile(path, 'base'),
    ref: source.mergeBase,
    changedInPr,
    inputs,
    inputName: flagName,
  });
  const { loaded } = run;
  if (loaded.status === 'invalid') {
    throw new ConfigFileError(
      `${configPath} at ${at} (the merge base) is not a valid pkg-gate configuration; nothing was scanned:\n` +
        issueLines(configPath, loaded.issues),
    );
  }
  if (loaded.status === 'absent' && explicit) {
    throw new UsageError(
      `--config ${configPath}: no such file at ${at}, the merge base of --base and --head ` +
        '(the configuration is read there, never from the working tree or --head)',
    );
  }
  logger.info(
    loaded.status === 'absent'
      ? `Configuration: no ${configPath} at ${at} (the merge base); flags and defaults apply.`
      : `Configuration: ${configPath} at ${at} (the merge base).`,
  );
  for (const issue of loaded.issues) logger.warning(formatIssue(configPath, issue));
  let headIssues: ConfigIssue[] | undefined;
  if (changedInPr) {
    logger.info(
      `  --head changes ${configPath}: the change applies once merged, not to this diff.`,
    );
    // Like the action: the head's version never judges its own change, but an invalid one
    // would fail every later run, so it fails this one.
    const headText = await source.readTrackedFile(configPath, 'head').catch((error: unknown) => {
      logger.warning(
        `Could not read the head's ${configPath} to check it: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    });
    headIssues = headConfigIssues(headText, configPath);
  }
  return { ...run, ...(headIssues ? { headConfigIssues: headIssues } : {}) };
}

/** `inspect --config FILE`: a local file the user names; there is no change under review. */
async function inspectConfig(
  path: string,
  inputs: SettingInputs,
  logger: Logger,
): Promise<RunConfig> {
  const run = await loadRunConfig({
    path,
    readBase: async (file) => {
      try {
        return await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    changedInPr: false,
    inputs,
    inputName: flagName,
  });
  if (run.loaded.status === 'absent') throw new UsageError(`--config ${path}: no such file`);
  if (run.loaded.status === 'invalid') {
    throw new ConfigFileError(
      `${path} is not a valid pkg-gate configuration; nothing was inspected:\n` +
        issueLines(path, run.loaded.issues),
    );
  }
  logger.info(`Configuration: ${path}.`);
  for (const issue of run.loaded.issues) logger.warning(formatIssue(path, issue));
  return run;
}

/** `npm:name@1.0.0`, `npm:@scope/name@1.0.0`, `pypi:name==1.0` → registry coordinates. */
export function parseRegistryTarget(
  target: string,
): { ecosystem: Ecosystem; name: string; version: string } | undefined {
  const npm = /^npm:((?:@[^/@\s]+\/)?[^@\s]+)@(\S+)$/.exec(target);
  if (npm) return { ecosystem: 'npm', name: npm[1] ?? '', version: npm[2] ?? '' };
  const pypi = /^pypi:([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)$/.exec(target);
  if (pypi) return { ecosystem: 'pypi', name: pypi[1] ?? '', version: pypi[2] ?? '' };
  if (/^(npm|pypi):/.test(target)) {
    throw new UsageError(
      `"${target}": write npm:NAME@VERSION or pypi:NAME==VERSION with an exact version`,
    );
  }
  return undefined;
}

async function inspectTarget(
  target: string,
  ecosystem: Ecosystem | undefined,
  failOn: FailOn,
  registry: () => RegistryConfig,
): Promise<PackageReport> {
  const started = Date.now();
  const coordinates = parseRegistryTarget(target);
  const errorReport = (message: string): PackageReport => ({
    source: target,
    ecosystem: coordinates?.ecosystem ?? ecosystem ?? 'npm',
    name: coordinates?.name ?? '',
    version: coordinates?.version ?? '',
    verdict: 'error',
    findings: [],
    error: message,
  });
  try {
    let inspection;
    let downloadedBytes = 0;
    if (coordinates) {
      const release = await fetchRelease(coordinates, registry());
      downloadedBytes = release.artifacts.reduce((n, a) => n + a.data.length, 0);
      inspection = await inspectArtifacts(release.artifacts, coordinates);
    } else {
      const info = await stat(target).catch(() => undefined);
      if (!info) return errorReport(`${target}: no such file or directory`);
      if (info.isDirectory()) {
        inspection = await inspectUnpacked(
          [{ filename: target, result: await readDirectory(target) }],
          { ecosystem },
        );
      } else {
        const data = new Uint8Array(await readFile(target));
        downloadedBytes = data.length;
        inspection = await inspectArtifacts([{ filename: target, data }], { ecosystem });
      }
    }
    return {
      source: target,
      ecosystem: inspection.identity.ecosystem,
      name: inspection.identity.name ?? '',
      version: inspection.identity.version ?? '',
      verdict: packageVerdict(inspection.findings, failOn),
      findings: inspection.findings,
      stats: {
        downloadedBytes,
        files: inspection.files,
        unpackedBytes: inspection.unpackedBytes,
        millis: Date.now() - started,
      },
    };
  } catch (error) {
    return errorReport(error instanceof Error ? error.message : String(error));
  }
}

function output(report: Report, format: string): void {
  process.stdout.write(
    format === 'json'
      ? `${renderJson(report)}\n`
      : renderText(report, { color: process.stdout.isTTY }),
  );
}

function exitCode(report: Report): number {
  return report.verdict === 'fail' ? 1 : 0;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return command ? 0 : 2;
    }
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        ecosystem: { type: 'string' },
        format: { type: 'string', default: 'text' },
        // No default: unset lets the configuration file decide, then `high`.
        'fail-on': { type: 'string' },
        'npm-registry': { type: 'string' },
        'pypi-url': { type: 'string' },
        'osv-url': { type: 'string' },
        config: { type: 'string' },
        'no-config': { type: 'boolean', default: false },
        base: { type: 'string' },
        head: { type: 'string' },
        repo: { type: 'string', default: '.' },
        quiet: { type: 'boolean', default: false },
      },
    });
    if (!['text', 'json'].includes(values.format ?? '')) {
      throw new UsageError(`--format must be text or json (got "${values.format}")`);
    }
    // Checked before anything is read, with no file: a bad flag is the caller's mistake.
    const fromFlags = flagSettings(values, env);
    const ecosystem = values.ecosystem as Ecosystem | undefined;
    if (ecosystem !== undefined && !ECOSYSTEMS.includes(ecosystem)) {
      throw new UsageError(`--ecosystem must be npm or pypi (got "${values.ecosystem}")`);
    }
    if (values.config !== undefined && values['no-config']) {
      throw new UsageError('--config and --no-config exclude each other');
    }
    if (command !== 'diff' && values['no-config']) {
      throw new UsageError(
        '--no-config is for diff (inspect reads no file unless --config names one)',
      );
    }
    if (command === 'demo' && values.config !== undefined) {
      throw new UsageError('--config is for diff and inspect');
    }
    const logger: Logger = values.quiet ? silentLogger : consoleLogger;
    const now = new Date();

    switch (command) {
      case 'inspect': {
        if (positionals.length === 0) throw new UsageError('inspect needs at least one target');
        const run =
          values.config !== undefined
            ? await inspectConfig(values.config, flagInputs(values, env), logger)
            : undefined;
        const settings = run?.settings ?? fromFlags;
        const failOn = settings.failOn.value;
        let registry: RegistryConfig | undefined;
        const packages: PackageReport[] = [];
        for (const target of positionals) {
          packages.push(
            await inspectTarget(target, ecosystem, failOn, () => {
              registry ??= runRegistry(settings, env, logger);
              return registry;
            }),
          );
        }
        const inspected: Report = {
          verdict: reportVerdict(packages, [], failOn),
          failOn,
          packages,
          manifestProblems: [],
          manifests: [],
        };
        const report = run ? applyRunPolicy(inspected, run, now) : inspected;
        output(report, values.format ?? 'text');
        const errors = report.packages.filter((p) => p.verdict === 'error');
        for (const pkg of errors) process.stderr.write(`pkg-gate: ${pkg.source}: ${pkg.error}\n`);
        return errors.length > 0 ? 2 : exitCode(report);
      }
      case 'diff': {
        if (!values.base || !values.head)
          throw new UsageError('diff needs --base REF and --head REF');
        if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
        const configPath = values['no-config']
          ? undefined
          : asUsageError(() => checkConfigPath(values.config ?? DEFAULT_CONFIG_PATH, '--config'));
        const osvSetting = values['osv-url'] ?? env.PKG_GATE_OSV_URL;
        advisoriesFrom(osvSetting, env); // a bad --osv-url fails before any git or network

        const source = await createGitSource(values.repo ?? '.', values.base, values.head);
        const changed = await source.listChangedFiles();
        const run = await diffConfig(
          source,
          changed,
          configPath,
          values.config !== undefined,
          flagInputs(values, env),
          logger,
        );
        const { settings, loaded } = run;
        for (const line of describeSettings(settings, now, CLI_SETTINGS, 'flag or environment')) {
          logger.info(line);
        }
        const { kept, ignored } = partitionIgnored(changed, settings.ignorePaths);
        if (ignored.length) {
          logger.info(`Skipped by ignore-paths: ${ignored.map((f) => f.path).join(', ')}`);
        }
        // The scan sees only what ignore-paths keeps; the rest of the source is the git one.
        const scanSource: ChangeSource = { ...source, listChangedFiles: async () => kept };
        const scanned = await scanChanges(scanSource, {
          failOn: settings.failOn.value,
          registry: runRegistry(settings, env, logger),
          logger,
          reputation: reputationFromConfig(
            loaded.config,
            osvSetting,
            githubAdvisories(env),
            '--osv-url',
          ),
        });
        const report = applyRunPolicy(scanned, { ...run, headLabel: "the head's version" }, now);
        output(report, values.format ?? 'text');
        return exitCode(report);
      }
      case 'demo': {
        const report = await runDemo(fromFlags.failOn.value, logger);
        output(report, values.format ?? 'text');
        return exitCode(report);
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `pkg-gate: ${message}${error instanceof UsageError ? ' (see pkg-gate --help)' : ''}\n`,
    );
    return 2;
  }
}
