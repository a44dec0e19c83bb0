import { afterEach, describe, expect, it } from '@jest/globals';
import { createGitHubClient } from '../../src/github/client.js';
import type { PullRequestRef } from '../../src/github/context.js';
import { isPermissionError } from '../../src/github/errors.js';
import type { ChangedFile } from '../../src/github/pull-request.js';
import { planReview, postReview } from '../../src/report/review.js';
import { startGitHubDouble, type GitHubDouble } from '../github/github-double.js';
import {
  bumpedNpm,
  cleanNpm,
  evilPython,
  lockPatch,
  report,
  requirementsPatch,
  unavailable,
} from './fixtures/reports.js';

const HEAD = 'c'.repeat(40);
const pr: PullRequestRef = {
  owner: 'acme',
  repo: 'app',
  number: 1,
  baseSha: 'b'.repeat(40),
  headSha: HEAD,
};

const files: ChangedFile[] = [
  { path: 'requirements.txt', status: 'modified', patch: requirementsPatch },
  { path: 'package-lock.json', status: 'modified', patch: lockPatch },
];

describe('planReview', () => {
  it('returns an empty plan when nothing is flagged', () => {
    expect(planReview(report([cleanNpm()]), files)).toEqual({ body: '', comments: [] });
  });

  it('puts one inline comment per flagged package on its manifest line inside the hunks', () => {
    const plan = planReview(report([evilPython(), bumpedNpm(), cleanNpm(), unavailable()]), files);
    expect(plan.comments.map((c) => [c.path, c.line, c.side])).toEqual([
      ['package-lock.json', 19, 'RIGHT'],
      ['requirements.txt', 3, 'RIGHT'],
      ['requirements.txt', 4, 'RIGHT'],
    ]);
    const evil = plan.comments.find((c) => c.line === 3)!;
    expect(evil.body).toMatch(/^<!-- pkg-gate:package pypi:evil-pkg@1\.0\.0#[0-9a-f]{12} -->/);
    expect(evil.body).toContain('`py-exec-decoded`');
    expect(plan.comments.find((c) => c.line === 4)!.body).toContain('could not be inspected');
    expect(plan.body).toContain('3 packages fail the gate (fail-on: high)');
    expect(plan.body).toContain('3 are commented inline');
    expect(plan.body).not.toContain('pkg-gate:details');
  });

  it('moves packages whose line is outside the hunks, in a file without a patch, or without a manifest into the body', () => {
    const noPatch: ChangedFile[] = [
      { path: 'requirements.txt', status: 'modified', patch: requirementsPatch },
      { path: 'package-lock.json', status: 'modified' },
    ];
    const plan = planReview(
      report([
        evilPython({ manifest: { path: 'requirements.txt', line: 40 } }),
        bumpedNpm(),
        evilPython({ name: 'cli-only', manifest: undefined, source: 'evil.tgz' }),
      ]),
      noPatch,
    );
    expect(plan.comments).toEqual([]);
    expect(plan.body).toContain('3 are described below');
    expect(plan.body).toContain('In `requirements.txt` line 40 (not part of the diff');
    expect(plan.body).toContain('In `package-lock.json` line 19');
    expect(plan.body).toContain('No dependency-file line is known');
    expect(plan.body).toMatch(/<!-- pkg-gate:details [0-9a-f]{12} -->/);
    expect(plan.body.match(/<!-- pkg-gate:package /g)).toHaveLength(3);
  });

  it('never comments on a removed file or a file the PR does not touch', () => {
    const plan = planReview(report([evilPython()]), [
      { path: 'requirements.txt', status: 'removed', patch: requirementsPatch },
    ]);
    expect(plan.comments).toEqual([]);
    expect(planReview(report([evilPython()]), []).comments).toEqual([]);
  });
});

let double: GitHubDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

const client = (d: GitHubDouble) =>
  createGitHubClient('t', d.url, { throttle: false, retryBaseMs: 1 });

describe('postReview', () => {
  it('posts one COMMENT review on the head commit with the inline comments', async () => {
    double = await startGitHubDouble();
    const plan = planReview(report([evilPython(), bumpedNpm()]), files);

    const outcome = await postReview(client(double), pr, plan);

    expect(outcome).toMatchObject({ posted: true, inlineComments: 2, alreadyPosted: 0 });
    expect(double.state.reviews).toHaveLength(1);
    const [review] = double.state.reviews;
    expect(review.event).toBe('COMMENT');
    expect(review.commit_id).toBe(HEAD);
    expect(review.comments.map((c) => [c.path, c.line, c.side])).toEqual([
      ['package-lock.json', 19, 'RIGHT'],
      ['requirements.txt', 3, 'RIGHT'],
    ]);
  });

  it('stays quiet on a re-run with the same findings, and posts only what is new', async () => {
    double = await startGitHubDouble();
    const gh = client(double);
    await postReview(gh, pr, planReview(report([evilPython()]), files));

    const again = await postReview(gh, pr, planReview(report([evilPython()]), files));
    expect(again).toMatchObject({ posted: false, alreadyPosted: 1, inlineComments: 0 });
    expect(double.state.reviews).toHaveLength(1);

    const withNew = await postReview(
      gh,
      pr,
      planReview(report([evilPython(), bumpedNpm()]), files),
    );
    expect(withNew).toMatchObject({ posted: true, alreadyPosted: 1, inlineComments: 1 });
    expect(double.state.reviews[1].comments.map((c) => c.path)).toEqual(['package-lock.json']);
  });

  it('does not repeat unchanged out-of-diff details in the body', async () => {
    double = await startGitHubDouble();
    const gh = client(double);
    const outside = () =>
      planReview(report([evilPython({ manifest: { path: 'requirements.txt', line: 40 } })]), files);
    await postReview(gh, pr, outside());
    const second = await postReview(gh, pr, outside());
    expect(second.posted).toBe(false);
    expect(double.state.reviews).toHaveLength(1);
  });

  it('retries once with every comment in the body when GitHub answers 422', async () => {
    double = await startGitHubDouble({
      rejectReviewLines: [{ path: 'requirements.txt', line: 3 }],
    });
    const outcome = await postReview(
      client(double),
      pr,
      planReview(report([evilPython(), bumpedNpm()]), files),
    );

    expect(outcome).toMatchObject({ posted: true, movedToBody: 2, inlineComments: 0 });
    expect(double.requestsTo('POST', /\/reviews$/)).toHaveLength(2);
    const [review] = double.state.reviews;
    expect(review.comments).toEqual([]);
    expect(review.body).toContain('#### `requirements.txt` line 3');
    expect(review.body).toContain('`py-exec-decoded`');
    expect(review.body).toContain('`npm-install-script`');
  });

  it('replies once to an earlier thread whose package is no longer flagged', async () => {
    double = await startGitHubDouble();
    const gh = client(double);
    await postReview(gh, pr, planReview(report([evilPython(), bumpedNpm()]), files));

    const gone = await postReview(gh, pr, planReview(report([bumpedNpm()]), files));
    expect(gone).toMatchObject({ posted: false, resolvedThreads: 1 });
    const replies = double.state.reviewComments.filter((c) => c.in_reply_to_id);
    expect(replies).toHaveLength(1);
    expect(replies[0].body).toContain('no longer reports this');
    const evilThread = double.state.reviewComments.find((c) => c.body.includes('evil-pkg'))!;
    expect(replies[0].in_reply_to_id).toBe(evilThread.id);

    const allClear = await postReview(gh, pr, planReview(report([]), files));
    expect(allClear.resolvedThreads).toBe(1);
    const third = await postReview(gh, pr, planReview(report([]), files));
    expect(third.resolvedThreads).toBe(0);
    expect(double.state.reviewComments.filter((c) => c.in_reply_to_id)).toHaveLength(2);
  });

  it('lets a read-only token (fork PR) surface as a permission error for the caller to degrade', async () => {
    double = await startGitHubDouble({ forbidWrites: true });
    const error = await postReview(
      client(double),
      pr,
      planReview(report([evilPython()]), files),
    ).catch((e: unknown) => e);
    expect(isPermissionError(error)).toBe(true);
  });

  it('reads existing review comments across pages', async () => {
    double = await startGitHubDouble({ maxPerPage: 1 });
    const gh = client(double);
    const plan = planReview(report([evilPython(), bumpedNpm(), unavailable()]), files);
    await postReview(gh, pr, plan);
    const again = await postReview(gh, pr, plan);
    expect(again.alreadyPosted).toBe(3);
    expect(double.requestsTo('GET', /\/pulls\/1\/comments$/).length).toBeGreaterThanOrEqual(4);
  });
});
