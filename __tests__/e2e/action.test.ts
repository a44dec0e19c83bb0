import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { FixtureRegistries } from '../../src/demo/registries.js';
import { startGitHubDouble } from '../github/github-double.js';
import {
  BASE,
  HEAD,
  MERGE_BASE,
  patchOf,
  pullRequest,
  runAction,
  startDemoRegistries,
} from './harness.js';

// Runs the bundled action exactly as a runner does (see harness.ts).
describe('the bundled action on a pull request (end to end)', () => {
  let registries: FixtureRegistries;
  let lock: (version: string) => string;

  beforeAll(async () => {
    ({ registries, lock } = await startDemoRegistries());
  });
  afterAll(() => registries.close());

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

  it('fails a package that GitHub lists as malware, asking once per run with the token', async () => {
    const github = await pullRequest(
      { 'package-lock.json': [lock('1.0.0'), lock('1.1.0')] },
      {
        advisories: [
          {
            ghsa_id: 'GHSA-xxxx-yyyy-zzzz',
            type: 'malware',
            html_url: 'https://github.com/advisories/GHSA-xxxx-yyyy-zzzz',
            summary: 'Malware in left-pad',
            vulnerabilities: [
              {
                package: { ecosystem: 'npm', name: 'left-pad' },
                vulnerable_version_range: '= 1.1.0',
              },
            ],
          },
        ],
      },
    );
    try {
      const result = await runAction(github, registries);
      expect(result.code).not.toBe(0);
      const report = JSON.parse(readFileSync(result.outputs.report ?? '', 'utf8'));
      const finding = report.packages[0].findings.find(
        (f: { rule: string }) => f.rule === 'known-malicious',
      );
      expect(finding).toMatchObject({ severity: 'critical' });
      expect(finding.message).toContain('GHSA-xxxx-yyyy-zzzz');
      const asked = github.requestsTo('GET', /^\/advisories$/);
      expect(asked.length).toBeGreaterThan(0);
      expect(
        asked.every(
          (r) =>
            r.headers.authorization === 'token test-token' ||
            r.headers.authorization === 'Bearer test-token',
        ),
      ).toBe(true);
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
