import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoNpmPackages, demoPypiPackages, packageLock } from '../../src/demo/packages.js';
import {
  sriSha512,
  startFixtureRegistries,
  type FixtureRegistries,
} from '../../src/demo/registries.js';
import {
  startGitHubDouble,
  type DoublePullFile,
  type GitHubDouble,
} from '../github/github-double.js';

// Runs the bundled action exactly as a runner does: node dist/index.js with INPUT_* and GITHUB_*
// variables, against a GitHub REST double and fixture registries on 127.0.0.1.
const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
const BASE = 'a'.repeat(40);
const MERGE_BASE = 'b'.repeat(40);
const HEAD = 'c'.repeat(40);

/** A real unified-diff hunk text for GitHub's `patch` field, from git itself. */
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
  millis: number;
}

function runAction(
  github: GitHubDouble,
  registries: FixtureRegistries,
  inputs: Record<string, string> = {},
): Promise<RunResult> {
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
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'dist', 'index.js')],
      { env, cwd: dir },
      (error, stdout) => {
        const outputs: Record<string, string> = {};
        const raw = readFileSync(join(dir, 'output'), 'utf8');
        // GITHUB_OUTPUT uses heredoc blocks: name<<DELIM \n value \n DELIM
        const block = /^(.+?)<<(\S+)\n([\s\S]*?)\n\2$/gm;
        for (let m = block.exec(raw); m; m = block.exec(raw)) outputs[m[1] ?? ''] = m[3] ?? '';
        resolve({
          code: error ? ((error as { code?: number }).code ?? 1) : 0,
          stdout,
          outputs,
          summary: readFileSync(join(dir, 'summary'), 'utf8'),
          millis: Date.now() - started,
        });
      },
    );
  });
}

describe('the bundled action on a pull request (end to end)', () => {
  let registries: FixtureRegistries;
  let lock: (version: string) => string;

  beforeAll(async () => {
    const npm = await demoNpmPackages();
    registries = await startFixtureRegistries(npm, await demoPypiPackages());
    lock = (version) =>
      packageLock(version, sriSha512(npm.find((p) => p.version === version)!.tarball));
  });
  afterAll(() => registries.close());

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
      maxPerPage: 2,
      contents: { [MERGE_BASE]: base, [HEAD]: head },
    });
  }

  it('reviews the manifest line of a malicious package, fails, and stays quiet on a re-run', async () => {
    const github = await pullRequest({
      'requirements.txt': [
        'flask==3.0.0\nrequests==2.31.0\n',
        'flask==3.0.0\nrequests==2.31.0\nevil-pkg==1.0.0\n',
      ],
      'frontend/package-lock.json': [lock('1.0.0'), lock('1.1.0')],
      'src/app.py': ['print(1)\n', 'print(2)\n'],
    });
    try {
      const first = await runAction(github, registries);
      expect(first.code).not.toBe(0);
      expect(first.outputs.verdict).toBe('fail');
      expect(Number(first.outputs.findings)).toBeGreaterThan(0);
      const report = JSON.parse(readFileSync(first.outputs.report ?? '', 'utf8'));
      const evil = report.packages.find((p: { name: string }) => p.name === 'evil-pkg');
      expect(evil).toMatchObject({
        verdict: 'fail',
        change: 'added',
        manifest: { path: 'requirements.txt', line: 3 },
      });
      expect(report.packages.find((p: { name: string }) => p.name === 'left-pad')).toMatchObject({
        verdict: 'pass',
        change: 'bumped',
        from: '1.0.0',
        version: '1.1.0',
      });

      // The old side is the merge base, not the stale base sha.
      expect(
        github.requestsTo('GET', new RegExp(`/contents/.*`)).every((r) => r.query.ref !== BASE),
      ).toBe(true);
      // One review, its inline comment on the line that added evil-pkg.
      expect(github.state.reviews).toHaveLength(1);
      expect(github.state.reviews[0]?.event).toBe('COMMENT');
      const inline = github.state.reviews[0]?.comments ?? [];
      expect(inline).toEqual([
        expect.objectContaining({ path: 'requirements.txt', line: 3, side: 'RIGHT' }),
      ]);
      expect(inline[0]?.body).toContain('evil-pkg');
      // One summary comment; annotations and a job summary.
      expect(github.state.issueComments).toHaveLength(1);
      expect(first.stdout).toMatch(/::error [^\n]*file=requirements\.txt,line=3/);
      expect(first.summary).toContain('evil-pkg');
      expect(first.summary).toContain('left-pad');
      expect(first.stdout).toMatch(/::group::/);

      const second = await runAction(github, registries);
      expect(second.code).not.toBe(0);
      expect(github.state.issueComments).toHaveLength(1); // updated in place, not duplicated
      expect(github.requestsTo('PATCH', /\/issues\/comments\/\d+$/)).toHaveLength(1);
      const inlineTotal = github.state.reviews.reduce((n, r) => n + r.comments.length, 0);
      expect(inlineTotal).toBe(1); // the same finding on the same line is not re-posted
    } finally {
      await github.close();
    }
  });

  it('passes a PR that only bumps a benign package', async () => {
    const github = await pullRequest({ 'package-lock.json': [lock('1.0.0'), lock('1.1.0')] });
    try {
      const result = await runAction(github, registries);
      expect(result.code).toBe(0);
      expect(result.outputs.verdict).toBe('pass');
      expect(github.state.reviews.flatMap((r) => r.comments)).toEqual([]);
    } finally {
      await github.close();
    }
  });

  it('passes a PR without dependency changes at once, in one line', async () => {
    const github = await pullRequest({ 'src/app.py': ['print(1)\n', 'print(2)\n'] });
    try {
      const result = await runAction(github, registries);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/No dependency changes/);
      expect(result.outputs.verdict).toBe('pass');
      expect(result.millis).toBeLessThan(10_000); // generous for a loaded CI box; bench measures it
      expect(github.requestsTo('GET', /\/contents\//)).toEqual([]);
    } finally {
      await github.close();
    }
  });

  it('annotates a malformed lockfile, still scans the other files, and fails closed', async () => {
    const github = await pullRequest({
      'package-lock.json': [
        lock('1.0.0'),
        '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/left-pad": \n',
      ],
      'requirements.txt': ['', 'ghost-package==1.0.0\n'],
    });
    try {
      const result = await runAction(github, registries, { 'comment-mode': 'summary' });
      expect(result.code).not.toBe(0);
      expect(result.stdout).toMatch(/::error .*file=package-lock\.json/);
      const report = JSON.parse(readFileSync(result.outputs.report ?? '', 'utf8'));
      expect(report.packages[0]).toMatchObject({ name: 'ghost-package', verdict: 'error' });
      expect(report.packages[0].error).toMatch(/could not be fetched/);
      expect(github.state.reviews).toEqual([]); // summary mode: no review
      expect(github.state.issueComments).toHaveLength(1);
    } finally {
      await github.close();
    }
  });

  it('degrades to annotations and the job summary when the token cannot write (fork PR)', async () => {
    const github = await startGitHubDouble({
      baseSha: BASE,
      headSha: HEAD,
      mergeBaseSha: MERGE_BASE,
      forbidWrites: true,
      files: [
        { filename: 'requirements.txt', status: 'added', patch: patchOf('', 'evil-pkg==1.0.0\n') },
      ],
      contents: { [HEAD]: { 'requirements.txt': 'evil-pkg==1.0.0\n' } },
    });
    try {
      const result = await runAction(github, registries);
      expect(result.code).not.toBe(0);
      expect(result.outputs.verdict).toBe('fail');
      expect(result.stdout).toMatch(/read-only/);
      expect(result.summary).toContain('evil-pkg');
    } finally {
      await github.close();
    }
  });
});
