import { afterEach, describe, expect, it } from '@jest/globals';
import { createGitHubClient } from '../../src/github/client.js';
import type { PullRequestRef } from '../../src/github/context.js';
import { isPermissionError } from '../../src/github/errors.js';
import {
  renderSummaryComment,
  SUMMARY_MARKER,
  updateSummaryCommentIfPresent,
  upsertSummaryComment,
} from '../../src/report/summary-comment.js';
import { startGitHubDouble, type GitHubDouble } from '../github/github-double.js';
import {
  bumpedNpm,
  cleanNpm,
  evilPython,
  lowFinding,
  report,
  unavailable,
} from './fixtures/reports.js';

const pr: PullRequestRef = {
  owner: 'acme',
  repo: 'app',
  number: 1,
  baseSha: 'b'.repeat(40),
  headSha: 'c'.repeat(40),
};
const human = { login: 'octocat', type: 'User' };

describe('renderSummaryComment', () => {
  it('starts with the marker and gives the verdict, a table of every package and failing details', () => {
    const md = renderSummaryComment(report([evilPython(), bumpedNpm(), cleanNpm(), unavailable()]));
    expect(md.startsWith(`${SUMMARY_MARKER}\n`)).toBe(true);
    expect(md).toContain('❌ 3 of 4 changed packages fail (fail-on: high)');
    expect(md).toContain('| `is-number` | npm | added 7.0.0 | ✅ passes | none |');
    expect(md).toContain('| `left-pad` | npm | 1.0.0 → 1.1.0 | ❌ fails the gate | 1 high |');
    expect(md).toContain(
      '<details><summary>❌ evil-pkg added 1.0.0: fails the gate (1 critical)</summary>',
    );
    expect(md).toContain('❌ `evil-pkg` added 1.0.0 (PyPI) — **fails the gate**');
    expect(md).toContain('`py-exec-decoded` · `setup.py:12`');
    expect(md).toContain(
      '<details><summary>⚠️ ghost added 9.9.9: could not be inspected (fails the gate)</summary>',
    );
    expect(md).toContain('PyPI answered 404');
    expect(md).toContain('Dependency files seen (2)');
  });

  it('says so when all is clear instead of disappearing', () => {
    expect(renderSummaryComment(report([cleanNpm()]))).toContain(
      '✅ 1 changed package inspected, no findings (fail-on: high)',
    );
    expect(renderSummaryComment(report([], { manifests: [] }))).toContain(
      '✅ no dependency changes in this PR',
    );
  });

  it('folds findings below the threshold and lists unreadable dependency files', () => {
    const md = renderSummaryComment(
      report([cleanNpm({ findings: [lowFinding] })], {
        manifestProblems: [
          { path: 'package-lock.json', line: 7, message: 'Unexpected token } in JSON' },
        ],
      }),
    );
    expect(md).toContain('1 dependency file could not be read');
    expect(md).toContain('- `package-lock.json:7`: Unexpected token } in JSON');
    expect(md).toMatch(
      /<details><summary>Findings below the threshold \(1 package\)<\/summary>[\s\S]*npm-bin-shadow/,
    );
  });

  it('keeps as many table rows as fit when the package table alone is over the limit', () => {
    const many = Array.from({ length: 3000 }, (_, i) => cleanNpm({ name: `pkg-${i}` }));
    const md = renderSummaryComment(report(many));
    expect(md.length).toBeLessThanOrEqual(65_536);
    expect(md).toContain('| `pkg-0` | npm | added 7.0.0 | ✅ passes | none |');
    expect(md).toContain('Truncated to fit a GitHub comment');
  });

  it('stays under the GitHub comment size limit for a huge report', () => {
    const many = Array.from({ length: 400 }, (_, i) =>
      evilPython({
        name: `evil-${i}`,
        findings: Array.from({ length: 10 }, () => ({
          ...evilPython().findings[0],
          evidence: 'x'.repeat(150),
        })),
      }),
    );
    const md = renderSummaryComment(report(many));
    expect(md.length).toBeLessThanOrEqual(65_536);
    expect(md).toContain('Truncated to fit a GitHub comment');
  });
});

let double: GitHubDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

describe('upsertSummaryComment', () => {
  it('creates the comment once and updates it in place afterwards', async () => {
    double = await startGitHubDouble({ issueComments: [{ body: 'LGTM', user: human }] });
    const gh = createGitHubClient('t', double.url, { throttle: false });

    await expect(upsertSummaryComment(gh, pr, `${SUMMARY_MARKER}\nfirst`)).resolves.toBe('created');
    await expect(upsertSummaryComment(gh, pr, `${SUMMARY_MARKER}\nsecond`)).resolves.toBe(
      'updated',
    );

    const ours = double.state.issueComments.filter((c) => c.body.startsWith(SUMMARY_MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0].body).toBe(`${SUMMARY_MARKER}\nsecond`);
    expect(double.requestsTo('PATCH', /\/issues\/comments\/\d+$/)).toHaveLength(1);
  });

  it('finds its comment on a later page and leaves a human quoting the marker alone', async () => {
    double = await startGitHubDouble({
      maxPerPage: 2,
      issueComments: [
        { body: `Why does it say ${SUMMARY_MARKER}?`, user: human },
        { body: 'a', user: human },
        { body: 'b', user: human },
        { body: `${SUMMARY_MARKER}\nold`, user: { login: 'github-actions[bot]', type: 'Bot' } },
      ],
    });
    const gh = createGitHubClient('t', double.url, { throttle: false });
    await expect(upsertSummaryComment(gh, pr, `${SUMMARY_MARKER}\nnew`)).resolves.toBe('updated');
    expect(double.state.issueComments.map((c) => c.body)).toEqual([
      `Why does it say ${SUMMARY_MARKER}?`,
      'a',
      'b',
      `${SUMMARY_MARKER}\nnew`,
    ]);
  });

  it('updates an existing summary when asked only to update, and creates none otherwise', async () => {
    double = await startGitHubDouble();
    const gh = createGitHubClient('t', double.url, { throttle: false });
    await expect(updateSummaryCommentIfPresent(gh, pr, `${SUMMARY_MARKER}\nclear`)).resolves.toBe(
      false,
    );
    expect(double.state.issueComments).toEqual([]);
    await upsertSummaryComment(gh, pr, `${SUMMARY_MARKER}\nfails`);
    await expect(updateSummaryCommentIfPresent(gh, pr, `${SUMMARY_MARKER}\nclear`)).resolves.toBe(
      true,
    );
    expect(double.state.issueComments.map((c) => c.body)).toEqual([`${SUMMARY_MARKER}\nclear`]);
  });

  it('surfaces a 403 on a read-only token as a permission error', async () => {
    double = await startGitHubDouble({ forbidWrites: true });
    const gh = createGitHubClient('t', double.url, { throttle: false });
    const error = await upsertSummaryComment(gh, pr, `${SUMMARY_MARKER}\nx`).catch(
      (e: unknown) => e,
    );
    expect(isPermissionError(error)).toBe(true);
  });
});
