import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { demoNpmPackages, demoPypiPackages, packageLock } from '../src/demo/packages.js';
import {
  sriSha512,
  startFixtureRegistries,
  type FixtureRegistries,
} from '../src/demo/registries.js';
import { scanChanges, type ChangedFile, type ChangeSource } from '../src/run.js';

function memorySource(
  files: ChangedFile[],
  base: Record<string, string>,
  head: Record<string, string>,
): ChangeSource {
  return {
    listChangedFiles: async () => files,
    readFile: async (path, side) => (side === 'base' ? base : head)[path],
  };
}

describe('scanChanges (the pipeline behind the action, diff and demo)', () => {
  let registries: FixtureRegistries;
  let lock: (version: string) => string;

  beforeAll(async () => {
    const npm = await demoNpmPackages();
    registries = await startFixtureRegistries(npm, await demoPypiPackages());
    lock = (version) =>
      packageLock(version, sriSha512(npm.find((p) => p.version === version)!.tarball));
  });
  afterAll(() => registries.close());

  const options = () => ({
    failOn: 'high' as const,
    registry: {
      npmRegistry: registries.npmUrl,
      pypiUrl: registries.pypiUrl,
      retries: 0,
      timeoutMs: 5000,
    },
  });

  it('downloads only added and bumped packages and flags the malicious one', async () => {
    registries.requests.length = 0;
    const report = await scanChanges(
      memorySource(
        [
          { path: 'requirements.txt', status: 'modified' },
          { path: 'web/package-lock.json', status: 'modified' },
          { path: 'README.md', status: 'modified' },
        ],
        { 'requirements.txt': 'requests==2.31.0\n', 'web/package-lock.json': lock('1.0.0') },
        {
          'requirements.txt': 'requests==2.31.0\nevil-pkg==1.0.0\n',
          'web/package-lock.json': lock('1.1.0'),
        },
      ),
      options(),
    );
    expect(report.verdict).toBe('fail');
    const evil = report.packages.find((p) => p.name === 'evil-pkg');
    expect(evil).toMatchObject({
      change: 'added',
      version: '1.0.0',
      verdict: 'fail',
      manifest: { path: 'requirements.txt', line: 2 },
    });
    expect(evil?.findings.some((f) => f.severity === 'critical')).toBe(true);
    const leftPad = report.packages.find((p) => p.name === 'left-pad');
    expect(leftPad).toMatchObject({
      change: 'bumped',
      from: '1.0.0',
      version: '1.1.0',
      verdict: 'pass',
    });
    expect(report.manifests.map((m) => [m.path, m.changes])).toEqual([
      ['requirements.txt', 1],
      ['web/package-lock.json', 1],
    ]);
    // requests is unchanged: never asked for. left-pad's old version is fetched only to tell
    // what is new in 1.1.0.
    expect(registries.requests.some((r) => r.includes('requests'))).toBe(false);
    expect(registries.requests.some((r) => r.includes('left-pad-1.1.0.tgz'))).toBe(true);
    expect(registries.requests.some((r) => r.includes('left-pad-1.0.0.tgz'))).toBe(true);
  });

  it('passes a benign-only change, and can skip the previous version', async () => {
    registries.requests.length = 0;
    const report = await scanChanges(
      memorySource(
        [{ path: 'package-lock.json', status: 'modified' }],
        { 'package-lock.json': lock('1.0.0') },
        { 'package-lock.json': lock('1.1.0') },
      ),
      { ...options(), compareWithPrevious: false },
    );
    expect(report.verdict).toBe('pass');
    expect(report.packages).toHaveLength(1);
    expect(registries.requests.some((r) => r.includes('left-pad-1.0.0.tgz'))).toBe(false);
  });

  it('lets a lockfile changed in the same PR decide the versions of the package.json beside it', async () => {
    const manifest = (range: string) =>
      JSON.stringify({ name: 'demo-app', dependencies: { 'left-pad': range } }, null, 2);
    const report = await scanChanges(
      memorySource(
        [
          { path: 'package.json', status: 'modified' },
          { path: 'package-lock.json', status: 'modified' },
        ],
        { 'package.json': manifest('^1.0.0'), 'package-lock.json': lock('1.0.0') },
        { 'package.json': manifest('^1.1.0'), 'package-lock.json': lock('1.1.0') },
      ),
      { ...options(), compareWithPrevious: false },
    );
    expect(report.packages.map((p) => [p.name, p.version, p.manifest?.path])).toEqual([
      ['left-pad', '1.1.0', 'package-lock.json'],
    ]);
    expect(report.manifests).toEqual([
      { path: 'package.json', format: 'package-json', changes: 0 },
      { path: 'package-lock.json', format: 'package-lock', changes: 1 },
    ]);
  });

  it('reports a malformed lockfile and still scans the other files', async () => {
    const report = await scanChanges(
      memorySource(
        [
          { path: 'package-lock.json', status: 'modified' },
          { path: 'requirements.txt', status: 'added' },
        ],
        { 'package-lock.json': lock('1.0.0') },
        {
          'package-lock.json': '{\n  "lockfileVersion": 3,\n  "packages": {\n',
          'requirements.txt': 'evil-pkg==1.0.0\n',
        },
      ),
      options(),
    );
    expect(report.manifestProblems).toHaveLength(1);
    expect(report.manifestProblems[0]?.path).toBe('package-lock.json');
    expect(report.packages.map((p) => p.name)).toEqual(['evil-pkg']);
    expect(report.verdict).toBe('fail');
  });

  it('fails closed on a package the registry does not have', async () => {
    const report = await scanChanges(
      memorySource(
        [{ path: 'requirements.txt', status: 'added' }],
        {},
        { 'requirements.txt': 'ghost-package==9.9.9\n' },
      ),
      options(),
    );
    expect(report.packages[0]).toMatchObject({ name: 'ghost-package', verdict: 'error' });
    expect(report.packages[0]?.error).toMatch(/could not be fetched/);
    expect(report.verdict).toBe('fail');
    const relaxed = await scanChanges(
      memorySource(
        [{ path: 'requirements.txt', status: 'added' }],
        {},
        { 'requirements.txt': 'ghost-package==9.9.9\n' },
      ),
      { ...options(), failOn: 'critical' },
    );
    expect(relaxed.verdict).toBe('pass');
  });

  it('does not download removed packages', async () => {
    registries.requests.length = 0;
    const report = await scanChanges(
      memorySource(
        [{ path: 'requirements.txt', status: 'modified' }],
        { 'requirements.txt': 'evil-pkg==1.0.0\n' },
        { 'requirements.txt': '' },
      ),
      options(),
    );
    expect(report.packages).toEqual([
      expect.objectContaining({ name: 'evil-pkg', change: 'removed', verdict: 'pass' }),
    ]);
    expect(registries.requests).toEqual([]);
    expect(report.verdict).toBe('pass');
  });
});
