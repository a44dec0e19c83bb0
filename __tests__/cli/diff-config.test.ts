import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { demoNpmPackages, demoPypiPackages, packageLock } from '../../src/demo/packages.js';
import {
  sriSha512,
  startFixtureRegistries,
  type FixtureRegistries,
} from '../../src/demo/registries.js';

// `pkg-gate diff` with the repository's configuration file: read at the merge base like the
// action reads it for a PR, never from the head or the working tree; flags override it.
const CONFIG = '.github/pkg-gate.yml';
const BASE_REQUIREMENTS = 'requests==2.31.0\n';
const EVIL_REQUIREMENTS = 'requests==2.31.0\nevil-pkg==1.0.0\n';
const ALLOW_EVIL = 'allow:\n  - package: pypi:evil-pkg@1.0.0\n    reason: our own fixture\n';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

interface JsonReport {
  verdict: string;
  failOn: string;
  packages: {
    name: string;
    verdict: string;
    findings: { rule: string; allowed?: { reason: string; entry: string } }[];
  }[];
  configProblems?: { path: string; line: number | null; message: string }[];
}

/** Runs the CLI in process; stderr collects both error messages and progress lines. */
async function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const log = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    stderr += `${args.join(' ')}\n`;
  });
  try {
    return { code: await main(argv, { PKG_GATE_OSV_URL: 'off', ...env }), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    log.mockRestore();
  }
}

function report(run: Run): JsonReport {
  return JSON.parse(run.stdout) as JsonReport;
}

/** Files per path; undefined removes the file. */
type Files = Record<string, string | undefined>;

const repos: string[] = [];

function write(repo: string, files: Files): void {
  for (const [path, text] of Object.entries(files)) {
    const file = join(repo, path);
    if (text === undefined) {
      rmSync(file, { force: true });
    } else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
  }
}

function git(repo: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], {
    cwd: repo,
    stdio: 'ignore',
  });
}

/** A repository whose `main` has `base` and whose `feature` branch commits `head` on top. */
function repository(base: Files, head: Files): string {
  const repo = mkdtempSync(join(tmpdir(), 'pkg-gate-cli-config-'));
  repos.push(repo);
  git(repo, 'init', '-q', '-b', 'main');
  write(repo, base);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '--allow-empty', '-m', 'base');
  git(repo, 'checkout', '-q', '-b', 'feature');
  write(repo, head);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '--allow-empty', '-m', 'head');
  return repo;
}

function diff(repo: string, ...flags: string[]): string[] {
  return [
    'diff',
    '--base',
    'main',
    '--head',
    'feature',
    '--repo',
    repo,
    '--format',
    'json',
    ...flags,
  ];
}

describe('pkg-gate diff with the configuration file', () => {
  let registries: FixtureRegistries;
  let other: FixtureRegistries;
  let integrity: (version: string) => string;
  /** The configuration's `registries:` pointing at the fixture registries. */
  let registriesKey: string;

  beforeAll(async () => {
    const npm = await demoNpmPackages();
    const pypi = await demoPypiPackages();
    registries = await startFixtureRegistries(npm, pypi);
    other = await startFixtureRegistries(npm, pypi);
    integrity = (version) => sriSha512(npm.find((p) => p.version === version)!.tarball);
    registriesKey = `registries:\n  npm: ${registries.npmUrl}\n  pypi: ${registries.pypiUrl}\n`;
  });
  afterAll(async () => {
    await registries.close();
    await other.close();
    for (const repo of repos) rmSync(repo, { recursive: true, force: true });
  });

  it("applies the merge base's allowlist and registries, not the head's edit or the working tree", async () => {
    const repo = repository(
      { 'requirements.txt': BASE_REQUIREMENTS, [CONFIG]: registriesKey + ALLOW_EVIL },
      // The head drops the allowance and tightens fail-on: that applies only after merge.
      { 'requirements.txt': EVIL_REQUIREMENTS, [CONFIG]: `${registriesKey}fail-on: info\n` },
    );
    write(repo, { [CONFIG]: 'fail-on: [not valid\n' }); // uncommitted: never read
    const seen = registries.requests.length;

    const run = await cli(diff(repo));
    expect(run.code).toBe(0);
    const result = report(run);
    expect(result.verdict).toBe('pass');
    expect(result.failOn).toBe('high');
    const evil = result.packages.find((p) => p.name === 'evil-pkg')!;
    expect(evil.findings.length).toBeGreaterThan(0);
    expect(
      evil.findings.every(
        (f) => f.allowed?.reason === 'our own fixture' && f.allowed.entry === 'pypi:evil-pkg@1.0.0',
      ),
    ).toBe(true);
    // Downloaded from the registries the configuration names.
    expect(registries.requests.slice(seen).some((r) => r.startsWith('pypi '))).toBe(true);
    expect(run.stderr).toMatch(
      /Configuration: \.github\/pkg-gate\.yml at [0-9a-f]{7} \(the merge base\)/,
    );
    expect(run.stderr).toContain('--head changes .github/pkg-gate.yml');
  });

  it('ignores an allow entry the head adds to the configuration', async () => {
    const repo = repository(
      { 'requirements.txt': BASE_REQUIREMENTS, [CONFIG]: registriesKey },
      { 'requirements.txt': EVIL_REQUIREMENTS, [CONFIG]: registriesKey + ALLOW_EVIL },
    );
    const run = await cli(diff(repo));
    expect(run.code).toBe(1);
    const evil = report(run).packages.find((p) => p.name === 'evil-pkg')!;
    expect(evil.verdict).toBe('fail');
    expect(evil.findings.some((f) => f.allowed)).toBe(false);
  });

  it("takes fail-on from the file, and flags override the file's fail-on and registries", async () => {
    const repo = repository(
      { 'requirements.txt': BASE_REQUIREMENTS, [CONFIG]: `${registriesKey}fail-on: none\n` },
      { 'requirements.txt': EVIL_REQUIREMENTS },
    );
    const fromFile = await cli(diff(repo));
    expect(fromFile.code).toBe(0);
    expect(report(fromFile)).toMatchObject({ verdict: 'pass', failOn: 'none' });
    expect(fromFile.stderr).toContain('fail-on: none (config)');

    const seenByOther = other.requests.length;
    const seenByConfigured = registries.requests.length;
    const overridden = await cli(diff(repo, '--fail-on', 'high', '--pypi-url', other.pypiUrl));
    expect(overridden.code).toBe(1);
    expect(report(overridden)).toMatchObject({ verdict: 'fail', failOn: 'high' });
    expect(overridden.stderr).toContain('fail-on: high (flag or environment)');
    // The package came from the flag's registry, not the file's.
    expect(other.requests.slice(seenByOther).some((r) => r.startsWith('pypi '))).toBe(true);
    expect(registries.requests.slice(seenByConfigured).some((r) => r.startsWith('pypi '))).toBe(
      false,
    );

    // The environment overrides the file too, like a flag.
    const fromEnv = await cli(diff(repo), { PKG_GATE_PYPI_URL: other.pypiUrl });
    expect(fromEnv.stderr).toContain(`pypi-url: ${other.pypiUrl} (flag or environment)`);
  });

  it('exits 2 on an invalid configuration with the file and line, scanning nothing', async () => {
    const repo = repository(
      {
        'requirements.txt': BASE_REQUIREMENTS,
        [CONFIG]: `${registriesKey}rules:\n  py-exec-decoded:\n    severity: hgih\n`,
      },
      { 'requirements.txt': EVIL_REQUIREMENTS },
    );
    const seen = registries.requests.length;
    const run = await cli(diff(repo, '--fail-on', 'none'));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /pkg-gate: \.github\/pkg-gate\.yml at [0-9a-f]{7} \(the merge base\) is not a valid pkg-gate configuration; nothing was scanned/,
    );
    expect(run.stderr).toContain(
      '.github/pkg-gate.yml:6: rules.py-exec-decoded.severity: must be one of critical, high, medium, low, info (got "hgih")',
    );
    expect(registries.requests.length).toBe(seen);

    // --no-config skips the file: the scan runs with flags and defaults.
    const skipped = await cli(diff(repo, '--no-config', '--pypi-url', registries.pypiUrl));
    expect(skipped.code).toBe(1);
    expect(report(skipped).packages.map((p) => p.name)).toEqual(['evil-pkg']);
    expect(skipped.stderr).toContain('Configuration: none (--no-config)');
  });

  it('exits 2 when the configuration is not a file at the merge base', async () => {
    const repo = repository(
      { 'requirements.txt': BASE_REQUIREMENTS, '.github/pkg-gate.yml/x': 'x\n' },
      { 'requirements.txt': EVIL_REQUIREMENTS },
    );
    const run = await cli(diff(repo));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/could not be read: .*is a directory, not a file/);
  });

  it('fails when the head makes the configuration invalid, pointing at the line', async () => {
    const repo = repository(
      { 'requirements.txt': BASE_REQUIREMENTS, [CONFIG]: registriesKey },
      // Only the configuration changes: the check still runs, and fails.
      { [CONFIG]: `${registriesKey}allow:\n  - package: npm:left-pad\n` },
    );
    const run = await cli(diff(repo));
    expect(run.code).toBe(1);
    expect(report(run).configProblems).toEqual([
      {
        path: CONFIG,
        line: 5,
        message: expect.stringMatching(/^the head's version: allow\[0\]: reason is required/),
      },
    ]);
    const text = await cli(diff(repo).filter((a) => a !== 'json' && a !== '--format'));
    expect(text.stdout).toContain(
      ".github/pkg-gate.yml:5: invalid pkg-gate configuration: the head's version: allow[0]: reason is required",
    );
  });

  it('reads --config PATH at the merge base too, and refuses one that is not there', async () => {
    const repo = repository(
      { 'requirements.txt': BASE_REQUIREMENTS, 'ci/gate.yml': registriesKey + ALLOW_EVIL },
      {
        'requirements.txt': EVIL_REQUIREMENTS,
        'ci/gate.yml': registriesKey,
        'ci/new.yml': registriesKey + ALLOW_EVIL,
      },
    );
    const named = await cli(diff(repo, '--config', 'ci/gate.yml'));
    expect(named.code).toBe(0);
    expect(named.stderr).toContain('Configuration: ci/gate.yml at');

    // Only the head has it: using it would let the change pick its own policy.
    const headOnly = await cli(diff(repo, '--config', 'ci/new.yml'));
    expect(headOnly.code).toBe(2);
    expect(headOnly.stderr).toMatch(
      /--config ci\/new\.yml: no such file at [0-9a-f]{7}, the merge base of --base and --head/,
    );

    const outside = await cli(diff(repo, '--config', '../gate.yml'));
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/--config must be a path inside the repository/);

    const both = await cli(diff(repo, '--config', 'ci/gate.yml', '--no-config'));
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/exclude each other/);
  });

  it("skips the file's ignore-paths and applies its rule overrides", async () => {
    const repo = repository(
      {
        'requirements.txt': BASE_REQUIREMENTS,
        [CONFIG]: `${registriesKey}ignore-paths: [examples/**]\nrules:\n  py-exec-decoded: { enabled: false }\n`,
      },
      { 'requirements.txt': EVIL_REQUIREMENTS, 'examples/requirements.txt': 'evil-pkg==1.0.0\n' },
    );
    const run = await cli(diff(repo));
    const result = report(run);
    expect(result.packages).toHaveLength(1); // examples/ skipped
    expect(result.packages[0]?.findings.map((f) => f.rule)).not.toContain('py-exec-decoded');
    expect(run.stderr).toContain('Skipped by ignore-paths: examples/requirements.txt');
  });

  it('sends PKG_GATE_NPM_TOKEN to a registry the file names only when a flag or env names it too', async () => {
    const authorizations: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      authorizations.push(req.headers.authorization);
      res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const repo = repository(
        {
          'package-lock.json': packageLock('1.0.0', integrity('1.0.0')),
          [CONFIG]: `registries:\n  npm: ${url}\n`,
        },
        { 'package-lock.json': packageLock('1.1.0', integrity('1.1.0')) },
      );
      const fromFile = await cli(diff(repo), { PKG_GATE_NPM_TOKEN: 'secret' });
      expect(fromFile.code).toBe(1); // the fake registry has nothing: fails closed
      expect(authorizations.length).toBeGreaterThan(0);
      expect(authorizations.every((a) => a === undefined)).toBe(true);
      expect(fromFile.stderr).toContain(`PKG_GATE_NPM_TOKEN is not sent to ${url}`);

      authorizations.length = 0;
      await cli(diff(repo), { PKG_GATE_NPM_TOKEN: 'secret', PKG_GATE_NPM_REGISTRY: url });
      expect(authorizations).toContain('Bearer secret');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('pkg-gate inspect --config', () => {
  let archive: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pkg-gate-cli-inspect-'));
    const [sdist] = await demoPypiPackages();
    archive = join(dir, sdist!.filename);
    writeFileSync(archive, sdist!.data);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('applies the allowlist and rule overrides of a local file; an invalid one exits 2', async () => {
    const without = await cli(['inspect', archive, '--format', 'json']);
    expect(without.code).toBe(1);

    const allow = join(dir, 'allow.yml');
    writeFileSync(allow, ALLOW_EVIL);
    const allowed = await cli(['inspect', archive, '--format', 'json', '--config', allow]);
    expect(allowed.code).toBe(0);
    expect(report(allowed).packages[0]?.findings.every((f) => f.allowed)).toBe(true);

    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, 'fail-on: high\nallow:\n  - package: pypi:evil-pkg\n');
    const invalid = await cli(['inspect', archive, '--config', bad]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain(`${bad}:3: allow[0]: reason is required`);

    const missing = await cli(['inspect', archive, '--config', join(dir, 'none.yml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/none\.yml: no such file/);
  });
});
