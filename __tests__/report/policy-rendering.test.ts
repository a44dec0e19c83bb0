// How the repository's policy shows in every channel: allowed findings, config notices, the
// effective-settings block, REQUEST_CHANGES reviews and their dismissal.
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveSettings } from '../../src/config/effective.js';
import { parseLoaded } from '../../src/config/load.js';
import { applyPolicy } from '../../src/gate/policy.js';
import { createGitHubClient } from '../../src/github/client.js';
import type { PullRequestRef } from '../../src/github/context.js';
import { planAnnotations } from '../../src/report/annotations.js';
import { renderJobSummary } from '../../src/report/job-summary.js';
import { renderJson } from '../../src/report/json.js';
import { dismissChangeRequests, planReview, postReview } from '../../src/report/review.js';
import type { RunNotes } from '../../src/report/settings.js';
import { renderSummaryComment } from '../../src/report/summary-comment.js';
import { renderText } from '../../src/report/text.js';
import { startGitHubDouble, type GitHubDouble } from '../github/github-double.js';
import {
  bumpedNpm,
  evilPython,
  report,
  requirementsPatch,
  unavailable,
} from './fixtures/reports.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const PATH = '.github/pkg-gate.yml';
const pr: PullRequestRef = {
  owner: 'acme',
  repo: 'app',
  number: 1,
  baseSha: 'b'.repeat(40),
  headSha: 'c'.repeat(40),
};

function setup(yaml: string, extra: Partial<Parameters<typeof resolveSettings>[2]> = {}) {
  const loaded = parseLoaded(yaml, PATH);
  const settings = resolveSettings({}, loaded.config, {
    path: PATH,
    status: loaded.status,
    issues: loaded.issues,
    ref: 'b'.repeat(40),
    ...extra,
  });
  const notes: RunNotes = { settings, now: NOW };
  const apply = (r: ReturnType<typeof report>) =>
    applyPolicy(
      r,
      { failOn: settings.failOn.value, rules: settings.rules, allow: settings.allow },
      NOW,
    );
  return { loaded, settings, notes, apply };
}

const ALLOW_LEFT_PAD =
  'allow:\n  - package: npm:left-pad@^1.1\n    reason: vendored fork, reviewed\n    expires: 2027-03-31\n  - package: pypi:old-thing\n    reason: gone\n    expires: 2025-01-01\n';

describe('allowed findings in the report channels', () => {
  const { notes, apply } = setup(ALLOW_LEFT_PAD);
  const allowedReport = apply(report([bumpedNpm(), evilPython()]));

  it('shows an allowed package as "allowed: <reason>" and its findings with the reason', () => {
    const comment = renderSummaryComment(allowedReport, notes);
    expect(comment).toMatch(
      /\| `left-pad` \| npm \| 1\.0\.0 → 1\.1\.0 \| ✅ allowed: vendored fork, reviewed \|/,
    );
    expect(comment).toContain('· allowed: vendored fork, reviewed (until 2027-03-31)');
    expect(comment).toContain('1 of 2 changed packages fails'); // evil-pkg still fails
  });

  it('turns allowed findings into notices, not errors', () => {
    const leftPad = planAnnotations(allowedReport).filter((a) => a.title.includes('left-pad'));
    expect(leftPad).toEqual([
      expect.objectContaining({
        level: 'notice',
        title: 'npm-install-script in left-pad@1.1.0 (allowed)',
        message: expect.stringMatching(
          /^allowed by npm:left-pad@\^1\.1: vendored fork, reviewed\./,
        ),
      }),
    ]);
  });

  it('adds allowed to the JSON only where present, keeping the other fields stable', () => {
    const json = JSON.parse(renderJson(allowedReport));
    const leftPad = json.packages.find((p: { name: string }) => p.name === 'left-pad');
    expect(leftPad.findings[0].allowed).toEqual({
      reason: 'vendored fork, reviewed',
      entry: 'npm:left-pad@^1.1',
      expires: '2027-03-31',
    });
    expect(Object.keys(leftPad)).toEqual([
      'source',
      'ecosystem',
      'name',
      'version',
      'change',
      'from',
      'manifest',
      'verdict',
      'findings',
    ]);
    const evil = json.packages.find((p: { name: string }) => p.name === 'evil-pkg');
    expect('allowed' in evil.findings[0]).toBe(false);
    expect('configProblems' in json).toBe(false);
  });

  it('keeps allowed packages out of the review (their old threads get the gone reply)', () => {
    const plan = planReview(allowedReport, [
      { path: 'requirements.txt', status: 'modified', patch: requirementsPatch },
    ]);
    expect(plan.comments.map((c) => c.path)).toEqual(['requirements.txt']);
    expect(plan.body).not.toContain('left-pad');
  });

  it('marks allowed findings in the CLI text too', () => {
    expect(renderText(allowedReport)).toContain('(allowed: vendored fork, reviewed)');
  });

  it('shows a waived uninspectable package with its error and the reason', () => {
    const { apply: applyGhost } = setup(
      'allow:\n  - package: pypi:ghost\n    reason: private mirror only\n',
    );
    const waived = applyGhost(report([unavailable()]));
    expect(waived.verdict).toBe('pass');
    expect(renderSummaryComment(waived)).toContain(
      'could not be inspected; allowed: private mirror only',
    );
    expect(planAnnotations(waived)).toEqual([
      expect.objectContaining({ level: 'notice', title: expect.stringContaining('(allowed)') }),
    ]);
    expect(JSON.parse(renderJson(waived)).packages[0].allowed).toEqual({
      reason: 'private mirror only',
      entry: 'pypi:ghost',
    });
  });
});

describe('config notices and the effective-settings block', () => {
  it('prints every setting with its origin, the overrides and the allowlist with its use, folded', () => {
    const { notes, apply } = setup(
      `fail-on: medium\nrules:\n  npm-install-script: { severity: low }\n  py-exec-decoded: { enabled: false }\nignore-paths: [examples/**]\n${ALLOW_LEFT_PAD}`,
    );
    const summary = renderJobSummary(apply(report([bumpedNpm()])), {
      ...notes,
      ignoredFiles: ['examples/package-lock.json'],
    });
    const block = summary.slice(summary.indexOf('<details><summary>⚙️ Effective settings'));
    expect(block).toMatch(
      /^<details><summary>⚙️ Effective settings \(\.github\/pkg-gate\.yml from the base branch at bbbbbbb; inputs override it\)<\/summary>/,
    );
    expect(block).toContain('| `fail-on` | `medium` | config file |');
    expect(block).toContain('| `review-event` | `COMMENT` | default |');
    expect(block).toContain('| `ignore-paths` | `examples/**` | config file |');
    expect(block).toContain('| `npm-install-script` | severity low |');
    expect(block).toContain('| `py-exec-decoded` | disabled |');
    expect(block).toContain(
      '| `npm:left-pad@^1.1` | every rule | vendored fork, reviewed | 2027-03-31 | allows 1 finding |',
    );
    expect(block).toContain('| `pypi:old-thing` | every rule | gone | 2025-01-01 | ⏰ expired |');
    expect(block).toContain('**Skipped by ignore-paths:** `examples/package-lock.json`');
    expect(block.trimEnd().endsWith('</details>')).toBe(true);
  });

  it('lists expired allow entries in plain sight', () => {
    const { notes, apply } = setup(ALLOW_LEFT_PAD);
    const comment = renderSummaryComment(apply(report([bumpedNpm()])), notes);
    expect(comment).toContain('#### ⏰ 1 allow entry has expired and no longer applies');
    expect(comment).toContain('- `pypi:old-thing` expired on 2025-01-01 (line 5): gone');
  });

  it('says when the PR changes the config, and what would be wrong with its new version', () => {
    const { notes, apply } = setup('fail-on: high\n', { changedInPr: true });
    const comment = renderSummaryComment(apply(report([bumpedNpm()])), {
      ...notes,
      headConfigIssues: [{ key: 'allow[0]', line: 2, message: 'reason is required' }],
    });
    expect(comment).toContain('**This PR changes `.github/pkg-gate.yml`.**');
    expect(comment).toContain('**The new version is not valid**, so this check fails');
    expect(comment).toContain('- `.github/pkg-gate.yml:2` `allow[0]`: reason is required');
  });

  it('explains an invalid config and fails the headline even without packages', () => {
    const loaded = parseLoaded('fail-on: sometimes\n', PATH);
    expect(loaded.status).toBe('invalid');
    const settings = resolveSettings({}, loaded.config, {
      path: PATH,
      status: 'invalid',
      issues: loaded.issues,
    });
    const failed = {
      ...report([]),
      verdict: 'fail' as const,
      configProblems: [{ path: PATH, line: 1, message: 'fail-on: must be one of …' }],
    };
    const comment = renderSummaryComment(failed, { settings, now: NOW });
    expect(comment).toContain('❌ the pkg-gate configuration is invalid');
    expect(comment).toContain('is not a valid pkg-gate configuration');
    expect(comment).toContain(
      '- `.github/pkg-gate.yml:1` `fail-on`: must be one of critical, high, medium, low, info, none \\(got "sometimes"\\)',
    );
    expect(renderJobSummary(failed, { settings, now: NOW })).toContain(
      '❌ fail: 0 changed packages, 0 failing, invalid pkg-gate configuration',
    );
    expect(planAnnotations(failed)[0]).toMatchObject({ level: 'error', file: PATH, startLine: 1 });
  });

  it('shows config warnings (unknown rule ids) without failing', () => {
    const { notes } = setup('rules:\n  npm-instal-script: { severity: low }\n');
    expect(notes.settings.configStatus).toBe('loaded');
    const comment = renderSummaryComment(report([]), notes);
    expect(comment).toContain('Warnings in `.github/pkg-gate.yml`');
    expect(comment).toContain('did you mean "npm-install-script"?');
  });
});

describe('review-event', () => {
  let double: GitHubDouble | undefined;
  afterEach(async () => {
    await double?.close();
    double = undefined;
  });

  it('posts REQUEST_CHANGES when asked, also when GitHub rejects a line and the review is retried', async () => {
    double = await startGitHubDouble({
      rejectReviewLines: [{ path: 'requirements.txt', line: 3 }],
    });
    const gh = createGitHubClient('t', double.url, { throttle: false, retryBaseMs: 1 });
    const plan = planReview(report([evilPython()]), [
      { path: 'requirements.txt', status: 'modified', patch: requirementsPatch },
    ]);
    const outcome = await postReview(gh, pr, plan, { event: 'REQUEST_CHANGES' });
    expect(outcome.movedToBody).toBe(1);
    expect(double.state.reviews.map((r) => r.event)).toEqual(['REQUEST_CHANGES']);
  });

  it('dismisses only pkg-gate’s own earlier change requests once the gate passes', async () => {
    const dismissed: { id: string; body: unknown }[] = [];
    const reviews = [
      {
        id: 1,
        state: 'CHANGES_REQUESTED',
        body: '<!-- pkg-gate:review -->\n### 🛡️ pkg-gate: 1 package fails',
      },
      { id: 2, state: 'CHANGES_REQUESTED', body: 'Please rename this variable.' },
      { id: 3, state: 'COMMENTED', body: '<!-- pkg-gate:review -->\nolder comment' },
      { id: 4, state: 'DISMISSED', body: '<!-- pkg-gate:review -->\nalready dismissed' },
    ];
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const path = (req.url ?? '').split('?')[0];
        res.setHeader('content-type', 'application/json');
        if (req.method === 'GET' && path === '/repos/acme/app/pulls/1/reviews')
          return res.end(JSON.stringify(reviews));
        const match = /^\/repos\/acme\/app\/pulls\/1\/reviews\/(\d+)\/dismissals$/.exec(path ?? '');
        if (req.method === 'PUT' && match) {
          dismissed.push({ id: match[1] ?? '', body: JSON.parse(raw) });
          return res.end(JSON.stringify({ id: Number(match[1]), state: 'DISMISSED' }));
        }
        res.statusCode = 404;
        res.end('{"message":"Not Found"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const gh = createGitHubClient(
        't',
        `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        { throttle: false, retryBaseMs: 1 },
      );
      expect(await dismissChangeRequests(gh, pr)).toBe(1);
      expect(dismissed).toEqual([
        {
          id: '1',
          body: expect.objectContaining({
            event: 'DISMISS',
            message: expect.stringContaining('pkg-gate passes as of ccccccc'),
          }),
        },
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
