import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { demoNpmPackages, demoPypiPackages } from '../src/demo/packages.js';
import {
  sriSha512,
  startFixtureRegistries,
  type FixtureNpmVersion,
  type FixturePypiFile,
  type FixtureRegistries,
} from '../src/demo/registries.js';
import { buildTarGz } from '../src/demo/tarball.js';
import { renderJson } from '../src/report/json.js';
import { renderText } from '../src/report/text.js';
import { scanChanges, type ChangedFile, type ChangeSource, type ScanOptions } from '../src/run.js';
import {
  lineOfText,
  npmLockfiles,
  pythonLockfiles,
  sha256Hex,
  type LockfileFixture,
} from './dependency-file-fixtures.js';

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

/** A PR that adds `fixture` as a new file. */
function adds(...fixtures: { path: string; content: string }[]): ChangeSource {
  return memorySource(
    fixtures.map((f) => ({ path: f.path, status: 'added' })),
    {},
    Object.fromEntries(fixtures.map((f) => [f.path, f.content])),
  );
}

async function tidyPackage(): Promise<FixturePypiFile> {
  const data = await buildTarGz([
    {
      path: 'tidy-pkg-2.0.0/PKG-INFO',
      content: 'Metadata-Version: 2.1\nName: tidy-pkg\nVersion: 2.0.0\nSummary: Tidy\n',
    },
    {
      path: 'tidy-pkg-2.0.0/tidy_pkg/__init__.py',
      content: 'def tidy(text):\n    return " ".join(text.split())\n',
    },
  ]);
  return {
    name: 'tidy-pkg',
    version: '2.0.0',
    filename: 'tidy-pkg-2.0.0.tar.gz',
    packagetype: 'sdist',
    data,
  };
}

describe('scanChanges on dependency files (issue 6)', () => {
  let registries: FixtureRegistries;
  let npm: FixtureNpmVersion[];
  let tidy: FixturePypiFile;
  let leftPadIntegrity: string;

  beforeAll(async () => {
    npm = await demoNpmPackages();
    tidy = await tidyPackage();
    registries = await startFixtureRegistries(npm, [...(await demoPypiPackages()), tidy]);
    leftPadIntegrity = sriSha512(npm.find((p) => p.version === '1.1.0')!.tarball);
  });
  afterAll(() => registries.close());

  const options = (extra: Partial<ScanOptions> = {}): ScanOptions => ({
    failOn: 'high',
    registry: {
      npmRegistry: registries.npmUrl,
      pypiUrl: registries.pypiUrl,
      retries: 0,
      timeoutMs: 5000,
    },
    compareWithPrevious: false,
    ...extra,
  });

  const forgedSri = sriSha512(new TextEncoder().encode('not the registry bytes'));
  const forgedHex = sha256Hex(new TextEncoder().encode('not the registry bytes'));

  describe('integrity and hashes from every lockfile format', () => {
    const npmCases = () => npmLockfiles('left-pad', '1.1.0', leftPadIntegrity);
    const npmForged = () => npmLockfiles('left-pad', '1.1.0', forgedSri);
    const pyCases = () => pythonLockfiles('tidy-pkg', '2.0.0', tidy.filename, sha256Hex(tidy.data));
    const pyForged = () => pythonLockfiles('tidy-pkg', '2.0.0', tidy.filename, forgedHex);

    it.each(['package-lock', 'yarn-lock', 'pnpm-lock', 'bun-lock'])(
      '%s: a matching integrity passes, a forged one is a critical finding on the lockfile line',
      async (format) => {
        const good = npmCases().find((f) => f.format === format)!;
        const passing = await scanChanges(adds(good), options());
        expect(passing.packages).toEqual([
          expect.objectContaining({ name: 'left-pad', version: '1.1.0', verdict: 'pass' }),
        ]);
        const forged = npmForged().find((f) => f.format === format)!;
        await expectIntegrityMismatch(forged, 'left-pad');
      },
    );

    it.each(['poetry-lock', 'uv-lock', 'pipfile-lock', 'pdm-lock', 'pylock', 'requirements'])(
      '%s: a matching hash passes, a forged one is a critical finding on the lockfile line',
      async (format) => {
        const good = pyCases().find((f) => f.format === format)!;
        const passing = await scanChanges(adds(good), options());
        expect(passing.packages).toEqual([
          expect.objectContaining({ name: 'tidy-pkg', version: '2.0.0', verdict: 'pass' }),
        ]);
        const forged = pyForged().find((f) => f.format === format)!;
        await expectIntegrityMismatch(forged, 'tidy-pkg');
      },
    );

    async function expectIntegrityMismatch(lockfile: LockfileFixture, name: string) {
      const report = await scanChanges(adds(lockfile), options());
      expect(report.verdict).toBe('fail');
      const pkg = report.packages.find((p) => p.name === name)!;
      expect(pkg.findings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            rule: 'integrity-mismatch',
            severity: 'critical',
            file: lockfile.path,
            line: lineOfText(lockfile.content, lockfile.entryLine),
          }),
        ]),
      );
      expect(pkg.manifest).toEqual({
        path: lockfile.path,
        line: lineOfText(lockfile.content, lockfile.entryLine),
      });
    }
  });

  it('scans a same-version package whose lockfile integrity changed, and reports both sources', async () => {
    const [base] = npmLockfiles('left-pad', '1.1.0', leftPadIntegrity);
    const [head] = npmLockfiles('left-pad', '1.1.0', forgedSri);
    registries.requests.length = 0;
    const report = await scanChanges(
      memorySource(
        [{ path: base.path, status: 'modified' }],
        { [base.path]: base.content },
        { [head.path]: head.content },
      ),
      options(),
    );
    expect(report.packages).toEqual([
      expect.objectContaining({
        name: 'left-pad',
        change: 'source-changed',
        version: '1.1.0',
        from: '1.1.0',
        sourceChange: expect.objectContaining({
          fields: ['integrity'],
          from: [expect.objectContaining({ integrity: leftPadIntegrity })],
          to: expect.objectContaining({ integrity: forgedSri }),
        }),
      }),
    ]);
    expect(report.packages[0].findings.map((f) => f.rule)).toEqual(['integrity-mismatch']);
    expect(registries.requests.some((r) => r.includes('left-pad-1.1.0.tgz'))).toBe(true);
    const json = JSON.parse(renderJson(report));
    expect(json.packages[0].change).toBe('source-changed');
    expect(json.packages[0].sourceChange.to.integrity).toBe(forgedSri);
    expect(renderText(report)).toContain('(source changed)');
    expect(renderText(report)).toContain(`source now`);
  });

  it('flags a lockfile that downloads from a foreign host, even when the bytes match', async () => {
    const [lock] = npmLockfiles('left-pad', '1.1.0', leftPadIntegrity, 'https://npm.evil.example');
    const report = await scanChanges(adds(lock), options());
    expect(report.verdict).toBe('fail');
    expect(report.packages[0].findings.filter((f) => f.rule !== 'lockfile-only-addition')).toEqual([
      expect.objectContaining({
        rule: 'lockfile-foreign-host',
        severity: 'critical',
        file: lock.path,
        line: lineOfText(lock.content, lock.entryLine),
      }),
    ]);
    // The configured registry (here 127.0.0.1) is not foreign.
    const [own] = npmLockfiles('left-pad', '1.1.0', leftPadIntegrity, registries.npmUrl);
    expect((await scanChanges(adds(own), options())).verdict).toBe('pass');
  });

  it('does not fetch a git dependency from the registry, and fails it as a registry bypass', async () => {
    registries.requests.length = 0;
    const manifest = `{\n  "name": "app",\n  "dependencies": {\n    "left-pad": "github:someone/left-pad#main"\n  }\n}\n`;
    const report = await scanChanges(adds({ path: 'package.json', content: manifest }), options());
    expect(registries.requests).toEqual([]);
    expect(report.packages).toEqual([
      expect.objectContaining({
        name: 'left-pad',
        verdict: 'fail',
        findings: [
          expect.objectContaining({
            rule: 'dependency-bypasses-registry',
            severity: 'high',
            file: 'package.json',
            line: 4,
          }),
        ],
      }),
    ]);
  });

  it('fails on a new scoped registry in .npmrc and a new extra index, and passes at fail-on critical', async () => {
    const source = () =>
      memorySource(
        [
          { path: '.npmrc', status: 'modified' },
          { path: 'requirements.txt', status: 'modified' },
        ],
        { '.npmrc': 'save-exact=true\n', 'requirements.txt': 'tidy-pkg==2.0.0\n' },
        {
          '.npmrc': 'save-exact=true\n@acme:registry=https://npm.evil.example/\n',
          'requirements.txt':
            '--extra-index-url https://pypi.evil.example/simple\ntidy-pkg==2.0.0\n',
        },
      );
    const report = await scanChanges(source(), options());
    expect(report.packages).toEqual([]);
    expect(report.fileFindings?.map((f) => [f.rule, f.severity, f.file, f.line])).toEqual([
      ['new-package-index', 'high', '.npmrc', 2],
      ['new-package-index', 'high', 'requirements.txt', 1],
    ]);
    expect(report.verdict).toBe('fail');
    expect(report.manifests).toEqual([
      { path: '.npmrc', format: 'npmrc', changes: 0 },
      { path: 'requirements.txt', format: 'requirements', changes: 0 },
    ]);
    const json = JSON.parse(renderJson(report));
    expect(json.fileFindings).toHaveLength(2);
    expect(renderText(report)).toContain('new-package-index');
    expect((await scanChanges(source(), options({ failOn: 'critical' }))).verdict).toBe('pass');
  });

  it('scans the packages of a file newly included with -r, at their own file and line', async () => {
    const report = await scanChanges(
      memorySource(
        [{ path: 'requirements.txt', status: 'modified' }],
        { 'requirements.txt': 'tidy-pkg==2.0.0\n', 'extra/more.txt': '# more\nevil-pkg==1.0.0\n' },
        {
          'requirements.txt': 'tidy-pkg==2.0.0\n-r extra/more.txt\n',
          'extra/more.txt': '# more\nevil-pkg==1.0.0\n',
        },
      ),
      options(),
    );
    expect(report.packages).toEqual([
      expect.objectContaining({
        name: 'evil-pkg',
        change: 'added',
        verdict: 'fail',
        manifest: { path: 'extra/more.txt', line: 2 },
      }),
    ]);
    expect(report.manifests).toContainEqual({
      path: 'extra/more.txt',
      format: 'requirements',
      changes: 1,
    });
  });

  it('marks a package added only to the lockfile (medium: gates at fail-on medium only)', async () => {
    const [lock] = npmLockfiles('left-pad', '1.1.0', leftPadIntegrity);
    const source = () =>
      memorySource(
        [{ path: lock.path, status: 'modified' }],
        { [lock.path]: '{\n  "lockfileVersion": 3,\n  "packages": {}\n}\n' },
        { [lock.path]: lock.content },
      );
    const report = await scanChanges(source(), options());
    expect(report.packages[0].findings).toEqual([
      expect.objectContaining({ rule: 'lockfile-only-addition', severity: 'medium' }),
    ]);
    expect(report.verdict).toBe('pass');
    expect((await scanChanges(source(), options({ failOn: 'medium' }))).verdict).toBe('fail');
  });
});

describe('the CLI text report on dependency-file details', () => {
  it('says which direct dependency brought a transitive package in, and shows file findings', () => {
    const text = renderText({
      verdict: 'fail',
      failOn: 'high',
      manifestProblems: [],
      manifests: [{ path: 'package-lock.json', format: 'package-lock', changes: 1 }],
      packages: [
        {
          source: 'npm:color-name@1.1.4',
          ecosystem: 'npm',
          name: 'color-name',
          version: '1.1.4',
          change: 'added',
          manifest: { path: 'package-lock.json', line: 30 },
          verdict: 'pass',
          via: ['chalk'],
          findings: [
            {
              rule: 'lockfile-only-addition',
              severity: 'medium',
              file: 'package-lock.json',
              line: 30,
              message: 'added without a manifest change',
              evidence: 'color-name@1.1.4',
            },
          ],
        },
      ],
      fileFindings: [
        {
          rule: 'new-package-index',
          severity: 'high',
          file: '.npmrc',
          line: 2,
          message: 'This PR adds a package source',
          evidence: '@acme:registry https://npm.evil.example/',
        },
      ],
    });
    expect(text).toContain('via chalk');
    expect(text).toContain('.npmrc:2');
    expect(text).toContain('new-package-index');
    expect(text).toMatch(/findings: 1 high, 1 medium/);
  });
});

describe("scanChanges on the project's own folders", () => {
  it('does not try to download `-e .` from the registry', async () => {
    const requests: string[] = [];
    const report = await scanChanges(
      {
        listChangedFiles: async () => [{ path: 'requirements.txt', status: 'added' }],
        readFile: async (_path, side) => (side === 'head' ? '-e .\n' : undefined),
      },
      {
        failOn: 'high',
        registry: {
          npmRegistry: 'http://127.0.0.1:9',
          pypiUrl: 'http://127.0.0.1:9',
          retries: 0,
          timeoutMs: 1000,
          fetch: async (url) => {
            requests.push(String(url));
            throw new Error('no network in this test');
          },
        },
      },
    );
    expect(requests).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.packages).toEqual([expect.objectContaining({ verdict: 'pass', findings: [] })]);
  });
});
