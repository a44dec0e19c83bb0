import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  demoNpmPackages,
  demoPypiPackages,
  leftPadTarball,
  packageLock,
} from '../src/demo/packages.js';
import {
  sriSha512,
  startFixtureRegistries,
  type FixtureRegistries,
} from '../src/demo/registries.js';
import { scanChanges, type ChangedFile, type ChangeSource } from '../src/run.js';
import {
  osvHandler,
  startDouble,
  unreachableUrl,
  type Double,
} from './reputation/advisory-doubles.js';

function memorySource(files: ChangedFile[], head: Record<string, string>): ChangeSource {
  return {
    listChangedFiles: async () => files,
    readFile: async (path, side) => (side === 'head' ? head[path] : undefined),
  };
}

describe('reputation signals in the scan pipeline', () => {
  let registries: FixtureRegistries;
  let osv: Double;
  let squatIntegrity: string;

  beforeAll(async () => {
    const squat = await leftPadTarball('1.0.0');
    squatIntegrity = sriSha512(squat);
    registries = await startFixtureRegistries(
      [...(await demoNpmPackages()), { name: 'expresss', version: '1.0.0', tarball: squat }],
      await demoPypiPackages(),
    );
    osv = await startDouble(osvHandler({ 'npm:left-pad@1.1.0': ['MAL-2025-0001'] }));
  });
  afterAll(async () => {
    await registries.close();
    await osv.close();
  });

  const options = (osvUrl: string | false) => ({
    failOn: 'high' as const,
    registry: { npmRegistry: registries.npmUrl, pypiUrl: registries.pypiUrl, retries: 0 },
    compareWithPrevious: false,
    reputation: { advisories: { osvUrl, github: false as const } },
  });

  it('fails a package that OSV lists as malicious, with one batched query per run', async () => {
    osv.requests.length = 0;
    const report = await scanChanges(
      memorySource(
        [
          { path: 'requirements.txt', status: 'added' },
          { path: 'package-lock.json', status: 'added' },
        ],
        {
          'requirements.txt': 'evil-pkg==1.0.0\n',
          'package-lock.json': packageLock('1.1.0', sriSha512(await leftPadTarball('1.1.0'))),
        },
      ),
      options(osv.url),
    );
    const leftPad = report.packages.find((p) => p.name === 'left-pad');
    expect(leftPad?.verdict).toBe('fail');
    expect(leftPad?.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'known-malicious', severity: 'critical' }),
      ]),
    );
    expect(leftPad?.findings.find((f) => f.rule === 'known-malicious')?.message).toContain(
      'MAL-2025-0001',
    );
    expect(osv.requests.filter((r) => r.url === '/v1/querybatch')).toHaveLength(1);
  });

  it('warns once and still scans when the advisory source is unreachable', async () => {
    const warnings: string[] = [];
    const report = await scanChanges(
      memorySource([{ path: 'package-lock.json', status: 'added' }], {
        'package-lock.json': packageLock('1.1.0', sriSha512(await leftPadTarball('1.1.0'))),
      }),
      {
        ...options(await unreachableUrl()),
        logger: { info: () => {}, warning: (m) => warnings.push(m), group: (_n, fn) => fn() },
      },
    );
    expect(report.verdict).toBe('pass');
    expect(warnings.filter((w) => /OSV could not be reached/.test(w))).toHaveLength(1);
  });

  it('names the package an added typosquat imitates, without failing on the name alone', async () => {
    const lock = JSON.stringify({
      name: 'app',
      lockfileVersion: 3,
      packages: {
        '': { name: 'app' },
        'node_modules/expresss': { version: '1.0.0', integrity: squatIntegrity },
      },
    });
    const report = await scanChanges(
      memorySource([{ path: 'package-lock.json', status: 'added' }], { 'package-lock.json': lock }),
      options(false),
    );
    const squat = report.packages[0];
    const finding = squat?.findings.find((f) => f.rule === 'typosquat');
    expect(finding?.severity).toBe('medium');
    expect(finding?.message).toContain('express');
    expect(squat?.verdict).toBe('pass');
  });
});
