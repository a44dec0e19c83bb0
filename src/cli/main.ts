import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { readDirectory } from '../archive/directory.js';
import { runDemo } from '../demo/index.js';
import { packageVerdict, parseFailOn, reportVerdict } from '../gate/index.js';
import { inspectArtifacts, inspectUnpacked } from '../inspect.js';
import { fetchRelease, type RegistryConfig } from '../registry/index.js';
import { renderJson } from '../report/json.js';
import { renderText } from '../report/text.js';
import { consoleLogger, scanChanges, silentLogger, type Logger } from '../run.js';
import { createGitSource } from '../sources/git.js';
import type { AdvisoryLookupOptions } from '../reputation/index.js';
import type { Ecosystem, FailOn, PackageReport, Report } from '../types.js';

export const USAGE = `pkg-gate — inspect packages for malware and command-jacking before they merge

Usage:
  pkg-gate inspect <archive|directory|npm:NAME@VERSION|pypi:NAME==VERSION>...
                   [--ecosystem npm|pypi] [--format text|json] [--fail-on LEVEL]
  pkg-gate diff --base REF --head REF [--repo DIR] [--format text|json] [--fail-on LEVEL]
  pkg-gate demo [--format text|json]

Options:
  --fail-on LEVEL        critical|high|medium|low|info|none (default: high)
  --npm-registry URL     npm registry (env PKG_GATE_NPM_REGISTRY, default https://registry.npmjs.org)
  --pypi-url URL         PyPI base URL (env PKG_GATE_PYPI_URL, default https://pypi.org)
  --osv-url URL|off      OSV API for known-malicious lookups in diff (env PKG_GATE_OSV_URL,
                         default https://api.osv.dev; off disables)
  --quiet                no progress lines on stderr

Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 error (bad arguments, unreadable input).`;

class UsageError extends Error {}

const ECOSYSTEMS: readonly Ecosystem[] = ['npm', 'pypi'];

export function registryConfigFrom(
  flags: { 'npm-registry'?: string; 'pypi-url'?: string },
  env: NodeJS.ProcessEnv,
): RegistryConfig {
  const clean = (url: string) => url.replace(/\/+$/, '');
  const config = {
    npmRegistry: clean(
      flags['npm-registry'] ?? env.PKG_GATE_NPM_REGISTRY ?? 'https://registry.npmjs.org',
    ),
    pypiUrl: clean(flags['pypi-url'] ?? env.PKG_GATE_PYPI_URL ?? 'https://pypi.org'),
    npmToken: env.PKG_GATE_NPM_TOKEN || undefined,
  };
  for (const [name, url] of Object.entries({
    'npm-registry': config.npmRegistry,
    'pypi-url': config.pypiUrl,
  })) {
    if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--${name} must be an http(s) URL`);
  }
  return config;
}

/** Known-malicious lookups for `diff`: OSV unless turned off; GitHub's needs a token. */
export function advisoriesFrom(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
): AdvisoryLookupOptions | false {
  const osv = (flag ?? env.PKG_GATE_OSV_URL ?? 'https://api.osv.dev').trim();
  if (osv !== 'off' && !/^https?:\/\/[^/]/.test(osv)) {
    throw new UsageError('--osv-url must be an http(s) URL or off');
  }
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  const github = token
    ? { apiUrl: env.GITHUB_API_URL || 'https://api.github.com', token }
    : (false as const);
  if (osv === 'off' && !github) return false;
  return { osvUrl: osv === 'off' ? false : osv.replace(/\/+$/, ''), github };
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
        'fail-on': { type: 'string', default: 'high' },
        'npm-registry': { type: 'string' },
        'pypi-url': { type: 'string' },
        'osv-url': { type: 'string' },
        base: { type: 'string' },
        head: { type: 'string' },
        repo: { type: 'string', default: '.' },
        quiet: { type: 'boolean', default: false },
      },
    });
    if (!['text', 'json'].includes(values.format ?? '')) {
      throw new UsageError(`--format must be text or json (got "${values.format}")`);
    }
    let failOn: FailOn;
    try {
      failOn = parseFailOn(values['fail-on'] ?? 'high');
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const ecosystem = values.ecosystem as Ecosystem | undefined;
    if (ecosystem !== undefined && !ECOSYSTEMS.includes(ecosystem)) {
      throw new UsageError(`--ecosystem must be npm or pypi (got "${values.ecosystem}")`);
    }
    const logger: Logger = values.quiet ? silentLogger : consoleLogger;
    const registry = () => registryConfigFrom(values, env);

    switch (command) {
      case 'inspect': {
        if (positionals.length === 0) throw new UsageError('inspect needs at least one target');
        const packages: PackageReport[] = [];
        for (const target of positionals) {
          packages.push(await inspectTarget(target, ecosystem, failOn, registry));
        }
        const report: Report = {
          verdict: reportVerdict(packages, [], failOn),
          failOn,
          packages,
          manifestProblems: [],
          manifests: [],
        };
        output(report, values.format ?? 'text');
        const errors = packages.filter((p) => p.verdict === 'error');
        for (const pkg of errors) process.stderr.write(`pkg-gate: ${pkg.source}: ${pkg.error}\n`);
        return errors.length > 0 ? 2 : exitCode(report);
      }
      case 'diff': {
        if (!values.base || !values.head)
          throw new UsageError('diff needs --base REF and --head REF');
        if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
        const source = await createGitSource(values.repo ?? '.', values.base, values.head);
        const report = await scanChanges(source, {
          failOn,
          registry: registry(),
          logger,
          reputation: { advisories: advisoriesFrom(values['osv-url'], env) },
        });
        output(report, values.format ?? 'text');
        return exitCode(report);
      }
      case 'demo': {
        const report = await runDemo(failOn, logger);
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
