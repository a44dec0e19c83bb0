import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoNpmPackages, demoPypiPackages } from '../../src/demo/packages.js';
import {
  sriSha512,
  startFixtureRegistries,
  type FixtureNpmVersion,
  type FixturePypiFile,
  type FixtureRegistries,
} from '../../src/demo/registries.js';
import { buildTarGz } from '../../src/demo/tarball.js';
import {
  lineOfText,
  npmLockfiles,
  pythonLockfiles,
  sha256Hex,
} from '../dependency-file-fixtures.js';
import {
  startGitHubDouble,
  type DoublePullFile,
  type GitHubDouble,
} from '../github/github-double.js';

// The bundled action (node dist/index.js, as a runner starts it) on PRs that change lockfiles
// other than package-lock.json: a Python lockfile (poetry.lock, uv.lock) and non-npm JavaScript
// lockfiles (yarn.lock, pnpm-lock.yaml, bun.lock), plus registry configuration (.npmrc).
// Run `npm run bundle` first.
const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
const BASE = 'a'.repeat(40);
const MERGE_BASE = 'b'.repeat(40);
const HEAD = 'c'.repeat(40);

function patchOf(before: string, after: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pkg-gate-patch-'));
  try {
    writeFileSync(join(dir, 'a'), before);
    writeFileSync(join(dir, 'b'), after);
    let out = '';
    try {
      execFileSync('git', ['diff', '--no-index', '-U3', 'a', 'b'], { cwd: dir, encoding: 'utf8' });
    } catch (error) {
      out = (error as { stdout: string }).stdout; // exit 1 means "files differ"
    }
    return out.slice(out.indexOf('@@'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface RunResult {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  report: {
    verdict: string;
    packages: Record<string, unknown>[];
    manifests: { path: string; format: string; changes: number }[];
    fileFindings?: Record<string, unknown>[];
  };
}

function runAction(github: GitHubDouble, registries: FixtureRegistries): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pkg-gate-runner-'));
  const eventPath = join(dir, 'event.json');
  writeFileSync(
    eventPath,
    JSON.stringify({
      action: 'synchronize',
      number: 1,
      pull_request: {
        number: 1,
        base: { sha: BASE, ref: 'main' },
        head: { sha: HEAD, ref: 'feature' },
      },
      repository: { name: 'app', owner: { login: 'acme' } },
    }),
  );
  writeFileSync(join(dir, 'output'), '');
  writeFileSync(join(dir, 'summary'), '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_API_URL: github.url,
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    RUNNER_TEMP: dir,
    'INPUT_GITHUB-TOKEN': 'test-token',
    'INPUT_FAIL-ON': 'high',
    'INPUT_NPM-REGISTRY': registries.npmUrl,
    'INPUT_PYPI-URL': registries.pypiUrl,
    'INPUT_COMMENT-MODE': 'inline',
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'dist', 'index.js')],
      { env, cwd: dir },
      (error, stdout) => {
        const outputs: Record<string, string> = {};
        const raw = readFileSync(join(dir, 'output'), 'utf8');
        const block = /^(.+?)<<(\S+)\n([\s\S]*?)\n\2$/gm;
        for (let m = block.exec(raw); m; m = block.exec(raw)) outputs[m[1] ?? ''] = m[3] ?? '';
        resolve({
          code: error ? ((error as { code?: number }).code ?? 1) : 0,
          stdout,
          outputs,
          summary: readFileSync(join(dir, 'summary'), 'utf8'),
          report: JSON.parse(readFileSync(outputs.report ?? '', 'utf8')),
        });
      },
    );
  });
}

function pullRequest(files: Record<string, [string | undefined, string | undefined]>) {
  const pullFiles: DoublePullFile[] = [];
  const base: Record<string, string> = {};
  const head: Record<string, string> = {};
  for (const [path, [before, after]] of Object.entries(files)) {
    if (before !== undefined) base[path] = before;
    if (after !== undefined) head[path] = after;
    pullFiles.push({
      filename: path,
      status: before === undefined ? 'added' : after === undefined ? 'removed' : 'modified',
      patch: patchOf(before ?? '', after ?? ''),
    });
  }
  return startGitHubDouble({
    baseSha: BASE,
    headSha: HEAD,
    mergeBaseSha: MERGE_BASE,
    files: pullFiles,
    contents: { [MERGE_BASE]: base, [HEAD]: head },
  });
}

interface PyRelease {
  name: string;
  version: string;
  filename: string;
  hex: string;
}

/** poetry.lock (lock-version 2.0) with one [[package]] table per release. */
function poetryLock(releases: PyRelease[]): string {
  const tables = releases.map(
    (r) =>
      `[[package]]\nname = "${r.name}"\nversion = "${r.version}"\ndescription = ""\noptional = false\npython-versions = "*"\nfiles = [\n    {file = "${r.filename}", hash = "sha256:${r.hex}"},\n]\n`,
  );
  return `# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.\n\n${tables.join('\n')}\n[metadata]\nlock-version = "2.0"\npython-versions = "^3.9"\ncontent-hash = "0000"\n`;
}

function pyproject(dependencies: string[]): string {
  return `[project]\nname = "app"\nversion = "0.1.0"\ndependencies = [\n${dependencies.map((d) => `    "${d}",\n`).join('')}]\n`;
}

describe('the bundled action on Python and non-npm JavaScript lockfiles (end to end)', () => {
  let registries: FixtureRegistries;
  let npm: FixtureNpmVersion[];
  let evil: FixturePypiFile;
  let tidy: FixturePypiFile;
  const sri = (version: string) => sriSha512(npm.find((p) => p.version === version)!.tarball);
  const release = (file: FixturePypiFile): PyRelease => ({
    name: file.name,
    version: file.version,
    filename: file.filename,
    hex: sha256Hex(file.data),
  });

  beforeAll(async () => {
    npm = await demoNpmPackages();
    [evil] = await demoPypiPackages();
    tidy = {
      name: 'tidy-pkg',
      version: '2.0.0',
      filename: 'tidy-pkg-2.0.0.tar.gz',
      packagetype: 'sdist',
      data: await buildTarGz([
        {
          path: 'tidy-pkg-2.0.0/PKG-INFO',
          content: 'Metadata-Version: 2.1\nName: tidy-pkg\nVersion: 2.0.0\n',
        },
        {
          path: 'tidy-pkg-2.0.0/tidy_pkg/__init__.py',
          content: 'def tidy(text):\n    return " ".join(text.split())\n',
        },
      ]),
    };
    registries = await startFixtureRegistries(npm, [evil, tidy]);
  });
  afterAll(() => registries.close());

  it('comments on the poetry.lock line of a malicious package, passes a yarn.lock bump, and lists every file', async () => {
    const yarn = (version: string) =>
      npmLockfiles('left-pad', version, sri(version)).find((f) => f.format === 'yarn-lock')!;
    const poetryHead = poetryLock([release(evil), release(tidy)]);
    const github = await pullRequest({
      'py/pyproject.toml': [pyproject(['tidy-pkg>=2']), pyproject(['tidy-pkg>=2', 'evil-pkg>=1'])],
      'py/poetry.lock': [poetryLock([release(tidy)]), poetryHead],
      'web/yarn.lock': [yarn('1.0.0').content, yarn('1.1.0').content],
    });
    try {
      const result = await runAction(github, registries);
      expect(result.code).not.toBe(0);
      expect(result.outputs.verdict).toBe('fail');
      const evilLine = lineOfText(poetryHead, 'name = "evil-pkg"');
      expect(result.report.packages).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            name: 'evil-pkg',
            change: 'added',
            verdict: 'fail',
            manifest: { path: 'py/poetry.lock', line: evilLine },
          }),
          expect.objectContaining({
            name: 'left-pad',
            change: 'bumped',
            from: '1.0.0',
            version: '1.1.0',
            verdict: 'pass',
            manifest: { path: 'web/yarn.lock', line: 5 },
          }),
        ]),
      );
      // The pyproject.toml change is decided by the poetry.lock beside it: scanned once.
      expect(result.report.packages.filter((p) => p.name === 'evil-pkg')).toHaveLength(1);
      const inline = github.state.reviews.flatMap((r) => r.comments);
      expect(inline).toEqual([
        expect.objectContaining({ path: 'py/poetry.lock', line: evilLine, side: 'RIGHT' }),
      ]);
      // Every dependency file seen, with its format and number of changes.
      expect(result.report.manifests).toEqual([
        { path: 'py/pyproject.toml', format: 'pyproject', changes: 0 },
        { path: 'py/poetry.lock', format: 'poetry-lock', changes: 1 },
        { path: 'web/yarn.lock', format: 'yarn-lock', changes: 1 },
      ]);
      expect(result.summary).toMatch(/py\/poetry\.lock`? \| poetry-lock \| 1/);
      expect(result.summary).toMatch(/web\/yarn\.lock`? \| yarn-lock \| 1/);
    } finally {
      await github.close();
    }
  });

  it('passes a benign uv.lock and pnpm-lock.yaml change with a zero exit code', async () => {
    const uv = pythonLockfiles('tidy-pkg', '2.0.0', tidy.filename, sha256Hex(tidy.data)).find(
      (f) => f.format === 'uv-lock',
    )!;
    const pnpm = (version: string) =>
      npmLockfiles('left-pad', version, sri(version)).find((f) => f.format === 'pnpm-lock')!;
    const github = await pullRequest({
      'pyproject.toml': [pyproject([]), pyproject(['tidy-pkg>=2'])],
      'uv.lock': [undefined, uv.content],
      'pnpm-lock.yaml': [pnpm('1.0.0').content, pnpm('1.1.0').content],
    });
    try {
      const result = await runAction(github, registries);
      expect(result.report.packages.map((p) => [p.name, p.change, p.verdict])).toEqual([
        ['tidy-pkg', 'added', 'pass'],
        ['left-pad', 'bumped', 'pass'],
      ]);
      expect(result.code).toBe(0);
      expect(result.outputs.verdict).toBe('pass');
      expect(github.state.reviews.flatMap((r) => r.comments)).toEqual([]);
    } finally {
      await github.close();
    }
  });

  it('fails a tampered bun.lock integrity and a new .npmrc registry, with annotations on both files', async () => {
    const bun = (integrity: string) =>
      npmLockfiles('left-pad', '1.1.0', integrity).find((f) => f.format === 'bun-lock')!;
    const forged = sriSha512(new TextEncoder().encode('forged'));
    const github = await pullRequest({
      'bun.lock': [bun(sri('1.1.0')).content, bun(forged).content],
      '.npmrc': ['', '@acme:registry=https://npm.evil.example/\n'],
    });
    try {
      const result = await runAction(github, registries);
      expect(result.code).not.toBe(0);
      const leftPad = result.report.packages.find((p) => p.name === 'left-pad')!;
      expect(leftPad).toMatchObject({ change: 'source-changed', version: '1.1.0' });
      expect(leftPad.findings).toEqual([
        expect.objectContaining({
          rule: 'integrity-mismatch',
          severity: 'critical',
          file: 'bun.lock',
        }),
      ]);
      expect(result.report.fileFindings).toEqual([
        expect.objectContaining({ rule: 'new-package-index', file: '.npmrc', line: 1 }),
      ]);
      expect(result.stdout).toMatch(/::error [^\n]*file=bun\.lock/);
      expect(result.stdout).toMatch(/::error [^\n]*file=\.npmrc,line=1/);
      expect(result.summary).toContain('new-package-index');
    } finally {
      await github.close();
    }
  });
});
