import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { FixtureRegistries } from '../../src/demo/registries.js';
import { pullRequest, runAction, startDemoRegistries } from './harness.js';

// The action on PRs that change only text files not named like requirements files. It runs
// src/index.ts (see harness.ts): the fast path that skipped such PRs lives in action.ts.
describe('the action on a requirements file included from elsewhere (end to end)', () => {
  let registries: FixtureRegistries;

  beforeAll(async () => {
    ({ registries } = await startDemoRegistries());
  });
  afterAll(() => registries.close());

  it('scans shared/deps.txt, included by services/api/requirements-prod.txt, and comments on its line', async () => {
    const includer = '-r ../../shared/deps.txt\nflask==3.0.0\n';
    const github = await pullRequest({
      'services/api/requirements-prod.txt': [includer, includer],
      'shared/deps.txt': ['six==1.16.0\n', 'six==1.16.0\nevil-pkg==1.0.0\n'],
    });
    try {
      const run = await runAction(github, registries, {}, { fromSource: true });
      expect(run.outputs.verdict).toBe('fail');
      const report = JSON.parse(readFileSync(run.outputs.report ?? '', 'utf8'));
      expect(report.manifests).toEqual([
        { path: 'shared/deps.txt', format: 'requirements', changes: 1 },
      ]);
      expect(report.packages).toEqual([
        expect.objectContaining({
          name: 'evil-pkg',
          verdict: 'fail',
          manifest: { path: 'shared/deps.txt', line: 2 },
        }),
      ]);
      expect(github.requestsTo('GET', /\/git\/trees\//)).toHaveLength(1);
      expect(github.state.reviews[0]?.comments).toEqual([
        expect.objectContaining({ path: 'shared/deps.txt', line: 2, side: 'RIGHT' }),
      ]);
    } finally {
      await github.close();
    }
  }, 60_000);

  it('stays quiet when no requirements file includes the changed text file', async () => {
    const github = await pullRequest({
      'requirements.txt': ['flask==3.0.0\n', 'flask==3.0.0\n'],
      'docs/notes.txt': ['old\n', 'new\n'],
    });
    try {
      const run = await runAction(github, registries, {}, { fromSource: true });
      expect(run.code).toBe(0);
      expect(run.outputs.verdict).toBe('pass');
      expect(run.stdout).toContain('No dependency changes');
      expect(github.state.reviews).toEqual([]);
      expect(github.state.issueComments).toEqual([]);
    } finally {
      await github.close();
    }
  }, 60_000);
});
