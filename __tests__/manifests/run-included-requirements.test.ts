import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFixtureRegistries, type FixtureRegistries } from '../../src/demo/registries.js';
import { buildTarGz } from '../../src/demo/tarball.js';
import { scanChanges, type ChangedFile, type ChangeSource } from '../../src/run.js';

// A run, not just the collect stage: the PR touches only deps/base.txt, which no name-based
// discovery recognises, and an unchanged requirements.txt includes it.
describe('scanChanges on a requirements file included under another name', () => {
  let registries: FixtureRegistries;

  beforeAll(async () => {
    const data = await buildTarGz([
      {
        path: 'tidy-pkg-2.0.0/PKG-INFO',
        content: 'Metadata-Version: 2.1\nName: tidy-pkg\nVersion: 2.0.0\nSummary: Tidy\n',
      },
      { path: 'tidy-pkg-2.0.0/tidy_pkg/__init__.py', content: 'def tidy():\n    return 1\n' },
    ]);
    registries = await startFixtureRegistries(
      [],
      [
        {
          name: 'tidy-pkg',
          version: '2.0.0',
          filename: 'tidy-pkg-2.0.0.tar.gz',
          packagetype: 'sdist',
          data,
        },
      ],
    );
  });
  afterAll(() => registries.close());

  it('scans the package the PR adds there, on its own line', async () => {
    const unchanged = { 'requirements.txt': '-r deps/base.txt\n' };
    const base: Record<string, string> = { ...unchanged, 'deps/base.txt': '# shared pins\n' };
    const head: Record<string, string> = {
      ...unchanged,
      'deps/base.txt': '# shared pins\ntidy-pkg==2.0.0\n',
    };
    const changed: ChangedFile[] = [{ path: 'deps/base.txt', status: 'modified' }];
    const source: ChangeSource = {
      listChangedFiles: async () => changed,
      readFile: async (path, side) => (side === 'base' ? base : head)[path],
    };
    const report = await scanChanges(source, {
      failOn: 'high',
      registry: {
        npmRegistry: registries.npmUrl,
        pypiUrl: registries.pypiUrl,
        retries: 0,
        timeoutMs: 5000,
      },
      compareWithPrevious: false,
    });
    expect(report.manifestProblems).toEqual([]);
    expect(report.manifests).toEqual([
      { path: 'deps/base.txt', format: 'requirements', changes: 1 },
    ]);
    expect(report.packages).toEqual([
      expect.objectContaining({
        name: 'tidy-pkg',
        version: '2.0.0',
        manifest: { path: 'deps/base.txt', line: 2 },
        verdict: 'pass',
      }),
    ]);
  });
});
