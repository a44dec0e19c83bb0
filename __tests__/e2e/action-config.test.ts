import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import type { FixtureRegistries } from '../../src/demo/registries.js';
import type { GitHubDouble } from '../github/github-double.js';
import {
  annotationsOf,
  pullRequest,
  root,
  runAction,
  startDemoRegistries,
  type PullFiles,
} from './harness.js';

// Issue 7 end to end: the bundled action with a config file on the base branch, quiet re-runs,
// allowlists, an invalid config, fork PRs, a 422, SARIF and the new outputs.
const CONFIG = '.github/pkg-gate.yml';
const EVIL_REQUIREMENTS: [string, string] = [
  'flask==3.0.0\nrequests==2.31.0\n',
  'flask==3.0.0\nrequests==2.31.0\nevil-pkg==1.0.0\n',
];
/** Leave the inputs the config file can set unset, so the file decides. */
const FILE_DECIDES = { 'fail-on': '', 'comment-mode': '' };

interface JsonReport {
  verdict: string;
  packages: {
    name: string;
    verdict: string;
    findings: { rule: string; allowed?: { reason: string; entry: string; expires?: string } }[];
  }[];
  configProblems?: { path: string; line: number | null; message: string }[];
}

function readReport(path: string | undefined): JsonReport {
  return JSON.parse(readFileSync(path ?? '', 'utf8')) as JsonReport;
}

function inlineComments(github: GitHubDouble) {
  return github.state.reviews.flatMap((r) => r.comments);
}

function summaryComment(github: GitHubDouble): string {
  expect(github.state.issueComments).toHaveLength(1);
  return github.state.issueComments[0]?.body ?? '';
}

/** A config file that exists on the base branch and is not changed by the PR. */
function baseConfig(text: string): PullFiles {
  return { [CONFIG]: [text, text] };
}

describe('the bundled action with a config file (end to end)', () => {
  let registries: FixtureRegistries;
  let lock: (version: string) => string;

  beforeAll(async () => {
    ({ registries, lock } = await startDemoRegistries());
  });
  afterAll(() => registries.close());

  it('stays quiet on a second run with no change, and answers a finding that disappears', async () => {
    const github = await pullRequest({ 'requirements.txt': EVIL_REQUIREMENTS });
    try {
      const first = await runAction(github, registries);
      expect(first.code).not.toBe(0);
      expect(inlineComments(github)).toEqual([
        expect.objectContaining({ path: 'requirements.txt', line: 3 }),
      ]);
      const firstSummary = summaryComment(github);

      const second = await runAction(github, registries);
      expect(second.code).not.toBe(0);
      expect(github.state.reviews).toHaveLength(1); // nothing new: no second review
      expect(inlineComments(github)).toHaveLength(1);
      expect(github.requestsTo('PATCH', /\/issues\/comments\/\d+$/)).toHaveLength(1);
      expect(summaryComment(github)).toBe(firstSummary);

      // The next push reverts the requirements change: evil-pkg and its finding are gone.
      github.push({
        'requirements.txt': [EVIL_REQUIREMENTS[0], EVIL_REQUIREMENTS[0]],
        'src/app.py': ['print(1)\n', 'print(2)\n'],
      });

      const third = await runAction(github, registries);
      const thread = github.state.reviewComments.find((c) => !c.in_reply_to_id);
      const replies = github.state.reviewComments.filter((c) => c.in_reply_to_id === thread?.id);
      expect(replies).toHaveLength(1);
      expect(replies[0]?.body).toMatch(/no longer reports this/);
      expect(summaryComment(github)).not.toBe(firstSummary); // updated in place
      expect(summaryComment(github)).toContain('no dependency changes in this PR');
      expect(third.code).toBe(0);
      expect(third.outputs.verdict).toBe('pass');
    } finally {
      await github.close();
    }
  });

  it('passes a package the base branch allows, keeping its findings marked with the reason', async () => {
    const github = await pullRequest({
      ...baseConfig(
        'allow:\n  - package: pypi:evil-pkg@1.0.0\n    reason: our own test fixture, reviewed by security\n',
      ),
      'requirements.txt': EVIL_REQUIREMENTS,
    });
    try {
      const result = await runAction(github, registries);
      expect(result.code).toBe(0);
      expect(result.outputs.verdict).toBe('pass');
      const evil = readReport(result.outputs.report).packages.find((p) => p.name === 'evil-pkg')!;
      expect(evil.verdict).toBe('pass');
      expect(evil.findings.length).toBeGreaterThan(0);
      expect(
        evil.findings.every(
          (f) =>
            f.allowed?.reason === 'our own test fixture, reviewed by security' &&
            f.allowed.entry === 'pypi:evil-pkg@1.0.0',
        ),
      ).toBe(true);
      expect(inlineComments(github)).toEqual([]); // nothing to act on
      expect(summaryComment(github)).toContain(
        'allowed: our own test fixture, reviewed by security',
      );
      expect(result.summary).toContain('Effective settings');
      expect(result.summary).toMatch(/pypi:evil-pkg@1\.0\.0.*allows \d+ findings?/);
      // Annotations still show the findings, as notices.
      const evilAnnotations = annotationsOf(result.stdout).filter((a) =>
        a.properties.title?.includes('evil-pkg'),
      );
      expect(evilAnnotations.length).toBeGreaterThan(0);
      expect(evilAnnotations.every((a) => a.level === 'notice')).toBe(true);
    } finally {
      await github.close();
    }
  });

  it('applies an allow entry until its expiry date, then fails and says it expired', async () => {
    const entry = (expires: string) =>
      `allow:\n  - package: pypi:evil-pkg\n    reason: temporary exception\n    expires: ${expires}\n`;
    const current = await pullRequest({
      ...baseConfig(entry('2999-12-31')),
      'requirements.txt': EVIL_REQUIREMENTS,
    });
    const expired = await pullRequest({
      ...baseConfig(entry('2020-01-31')),
      'requirements.txt': EVIL_REQUIREMENTS,
    });
    try {
      const before = await runAction(current, registries);
      expect(before.code).toBe(0);
      expect(before.outputs.verdict).toBe('pass');

      const after = await runAction(expired, registries);
      expect(after.code).not.toBe(0);
      expect(after.outputs.verdict).toBe('fail');
      const evil = readReport(after.outputs.report).packages.find((p) => p.name === 'evil-pkg')!;
      expect(evil.findings.some((f) => f.allowed)).toBe(false);
      expect(after.summary).toMatch(/allow entry has expired/);
      expect(after.summary).toContain('`pypi:evil-pkg` expired on 2020-01-31');
      expect(summaryComment(expired)).toMatch(/allow entry has expired/);
      expect(inlineComments(expired)).toEqual([
        expect.objectContaining({ path: 'requirements.txt', line: 3 }),
      ]);
    } finally {
      await current.close();
      await expired.close();
    }
  });

  it('ignores an allow entry the PR adds to the config itself, and says the config changed', async () => {
    const github = await pullRequest({
      [CONFIG]: [
        'fail-on: high\n',
        'fail-on: high\nallow:\n  - package: pypi:evil-pkg\n    reason: trust me\n',
      ],
      'requirements.txt': EVIL_REQUIREMENTS,
    });
    try {
      const result = await runAction(github, registries);
      expect(result.code).not.toBe(0);
      expect(result.outputs.verdict).toBe('fail');
      expect(summaryComment(github)).toContain('This PR changes');
      expect(result.summary).toContain('applies only after it is merged');
      // The config was read at the merge base only.
      const configReads = github.requestsTo('GET', /\/contents\/\.github\/pkg-gate\.yml$/);
      expect(configReads.map((r) => r.query.ref)).toContain('b'.repeat(40));
    } finally {
      await github.close();
    }
  });

  it('fails closed with a clear error pointing at the bad key when the config is invalid', async () => {
    const github = await pullRequest({
      ...baseConfig('fail-on: none\nrules:\n  npm-install-script:\n    severity: hgih\n'),
      'package-lock.json': [lock('1.0.0'), lock('1.1.0')], // benign: would pass
    });
    try {
      const result = await runAction(github, registries, FILE_DECIDES);
      expect(result.code).not.toBe(0);
      expect(result.outputs.verdict).toBe('fail');
      const error = annotationsOf(result.stdout).find(
        (a) => a.level === 'error' && a.properties.file === CONFIG,
      );
      expect(error?.properties.line).toBe('4');
      expect(error?.message).toContain(
        'rules.npm-install-script.severity: must be one of critical, high, medium, low, info (got "hgih")',
      );
      expect(result.stdout).toMatch(/::error::pkg-gate: .*not a valid configuration/);
      expect(readReport(result.outputs.report).configProblems).toEqual([
        {
          path: CONFIG,
          line: 4,
          message:
            'rules.npm-install-script.severity: must be one of critical, high, medium, low, info (got "hgih")',
        },
      ]);
      expect(result.summary).toContain('is not a valid pkg-gate configuration');
      expect(summaryComment(github)).toContain('fails until the file on the base branch is fixed');
    } finally {
      await github.close();
    }
  });

  it('fails a PR that makes the config invalid, even without dependency changes', async () => {
    const github = await pullRequest({
      [CONFIG]: ['fail-on: high\n', 'fail-on: high\nallow:\n  - package: npm:left-pad\n'],
      'src/app.py': ['print(1)\n', 'print(2)\n'],
    });
    try {
      const result = await runAction(github, registries);
      expect(result.code).not.toBe(0);
      expect(result.outputs.verdict).toBe('fail');
      expect(annotationsOf(result.stdout)).toContainEqual(
        expect.objectContaining({
          level: 'error',
          properties: expect.objectContaining({ file: CONFIG, line: '3' }),
          message: expect.stringContaining("this PR's version: allow[0]: reason is required"),
        }),
      );
      expect(summaryComment(github)).toContain('**The new version is not valid**');
      expect(result.stdout).toMatch(
        /::error::pkg-gate: this PR makes \.github\/pkg-gate\.yml invalid/,
      );
    } finally {
      await github.close();
    }
  });

  it('downloads nothing when an invalid config may name private registries', async () => {
    const github = await pullRequest({
      ...baseConfig('registries:\n  npm: https://user:pw@npm.corp.example\n'),
      'requirements.txt': EVIL_REQUIREMENTS,
    });
    try {
      const seen = registries.requests.length;
      const result = await runAction(github, registries, {
        'npm-registry': '',
        'pypi-url': '',
        ...FILE_DECIDES,
      });
      expect(result.code).not.toBe(0);
      expect(result.outputs.verdict).toBe('fail');
      expect(registries.requests.length).toBe(seen);
      expect(result.stdout).toMatch(/No package was downloaded/);
      expect(result.stdout).not.toContain('user:pw');
      expect(summaryComment(github)).toContain('No package was inspected');
    } finally {
      await github.close();
    }
  });

  it('takes fail-on, rule overrides and ignore-paths from the file, with inputs overriding it', async () => {
    const config =
      'fail-on: critical\nrules:\n  py-exec-decoded: { enabled: false }\nignore-paths: [examples/**]\n';
    const files: PullFiles = {
      ...baseConfig(config),
      'requirements.txt': EVIL_REQUIREMENTS,
      'examples/requirements.txt': ['', 'evil-pkg==1.0.0\n'],
    };
    const fromFile = await pullRequest(files);
    const overridden = await pullRequest(files);
    try {
      const result = await runAction(fromFile, registries, FILE_DECIDES);
      const report = readReport(result.outputs.report);
      expect(report.packages.map((p) => p.name)).toEqual(['evil-pkg']); // examples/ skipped
      expect(report.packages[0]?.findings.map((f) => f.rule)).not.toContain('py-exec-decoded');
      expect(result.summary).toMatch(/`fail-on` \| `critical` \| config file/);
      expect(result.summary).toMatch(/Skipped by ignore-paths:.*examples\/requirements\.txt/);

      const withInput = await runAction(overridden, registries, { 'fail-on': 'low' });
      expect(withInput.code).not.toBe(0);
      expect(withInput.summary).toMatch(/`fail-on` \| `low` \| input/);
    } finally {
      await fromFile.close();
      await overridden.close();
    }
  });

  it('requests changes when asked and the verdict is fail', async () => {
    const github = await pullRequest({
      ...baseConfig('review-event: REQUEST_CHANGES\n'),
      'requirements.txt': EVIL_REQUIREMENTS,
    });
    try {
      const result = await runAction(github, registries);
      expect(result.code).not.toBe(0);
      expect(github.state.reviews.map((r) => r.event)).toEqual(['REQUEST_CHANGES']);
    } finally {
      await github.close();
    }
  });

  it('degrades to annotations, job summary and outputs when writes answer 403 (fork PR)', async () => {
    const github = await pullRequest(
      { ...baseConfig('fail-on: high\n'), 'requirements.txt': EVIL_REQUIREMENTS },
      { forbidWrites: true },
    );
    try {
      const result = await runAction(github, registries);
      expect(result.code).not.toBe(0);
      expect(result.outputs.verdict).toBe('fail');
      expect(result.stdout).toMatch(/read-only/);
      expect(annotationsOf(result.stdout)).toContainEqual(
        expect.objectContaining({
          level: 'error',
          properties: expect.objectContaining({ file: 'requirements.txt', line: '3' }),
        }),
      );
      expect(result.summary).toContain('evil-pkg');
      expect(readFileSync(result.outputs['sarif-file'] ?? '', 'utf8')).toContain('evil-pkg');
      expect(github.state.reviews).toEqual([]);
      expect(github.state.issueComments).toEqual([]);
    } finally {
      await github.close();
    }
  });

  it('moves a comment GitHub rejects with 422 into the review body', async () => {
    const github = await pullRequest(
      { 'requirements.txt': EVIL_REQUIREMENTS },
      { rejectReviewLines: [{ path: 'requirements.txt', line: 3 }] },
    );
    try {
      const result = await runAction(github, registries);
      expect(result.code).not.toBe(0);
      expect(github.requestsTo('POST', /\/pulls\/1\/reviews$/)).toHaveLength(2);
      expect(github.state.reviews).toHaveLength(1);
      expect(github.state.reviews[0]?.comments).toEqual([]);
      expect(github.state.reviews[0]?.body).toContain('evil-pkg');
      expect(github.state.reviews[0]?.body).toContain('GitHub did not accept an inline comment');
      expect(result.stdout).toMatch(/1 moved to the body/);
    } finally {
      await github.close();
    }
  });

  it('writes a schema-valid SARIF file and the changed-packages output', async () => {
    const github = await pullRequest({
      'requirements.txt': EVIL_REQUIREMENTS,
      'package-lock.json': [lock('1.0.0'), lock('1.1.0')],
    });
    try {
      const result = await runAction(github, registries);
      const sarif = JSON.parse(readFileSync(result.outputs['sarif-file'] ?? '', 'utf8'));
      const schema = JSON.parse(
        readFileSync(`${root}/__tests__/report/fixtures/sarif-schema-2.1.0.json`, 'utf8'),
      );
      const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
      addFormats(ajv);
      const validate = ajv.compile(schema);
      expect(validate(sarif) ? [] : validate.errors).toEqual([]);
      const results = sarif.runs[0].results as {
        ruleId: string;
        locations: {
          physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
        }[];
      }[];
      const report = readReport(result.outputs.report);
      const findingCount = report.packages.reduce((n, p) => n + p.findings.length, 0);
      expect(results).toHaveLength(findingCount);
      expect(
        results.every(
          (r) =>
            r.locations[0]?.physicalLocation.artifactLocation.uri === 'requirements.txt' &&
            r.locations[0]?.physicalLocation.region.startLine === 3,
        ),
      ).toBe(true);

      expect(JSON.parse(result.outputs['changed-packages'] ?? '')).toEqual(
        expect.arrayContaining([
          { ecosystem: 'pypi', name: 'evil-pkg', version: '1.0.0', from: null, change: 'added' },
          { ecosystem: 'npm', name: 'left-pad', version: '1.1.0', from: '1.0.0', change: 'bumped' },
        ]),
      );
    } finally {
      await github.close();
    }
  });
});
