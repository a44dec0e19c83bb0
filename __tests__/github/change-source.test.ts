import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startFixtureRegistries, type FixtureRegistries } from '../../src/demo/registries.js';
import { buildTarGz } from '../../src/demo/tarball.js';
import { pullRequestSource } from '../../src/github/change-source.js';
import { createGitHubClient } from '../../src/github/client.js';
import type { PullRequestRef } from '../../src/github/context.js';
import { findMergeBase, listChangedFiles } from '../../src/github/pull-request.js';
import { scanChanges } from '../../src/run.js';
import { BASE, HEAD, pullRequest, type PullFiles, type PullRequestDouble } from '../e2e/harness.js';
import type { GitHubDoubleOptions } from './github-double.js';

// The action's change source against the GitHub REST double, run in process through the whole
// scan: a PR that changes only shared/deps.txt, which services/api/requirements-prod.txt (not
// changed, and nowhere above it) pulls in with `-r ../../shared/deps.txt`.
const pr: PullRequestRef = { owner: 'acme', repo: 'app', number: 1, baseSha: BASE, headSha: HEAD };
const unchanged = '-r ../../shared/deps.txt\nflask==3.0.0\n';
const FILES: PullFiles = {
  'services/api/requirements-prod.txt': [unchanged, unchanged],
  'services/api/app.py': ['print(1)\n', 'print(1)\n'],
  'shared/deps.txt': ['six==1.16.0\n', 'six==1.16.0\ntidy-pkg==2.0.0\n'],
};

let registries: FixtureRegistries;
let github: PullRequestDouble | undefined;

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
afterEach(async () => {
  await github?.close();
  github = undefined;
});

async function scan(options: Omit<GitHubDoubleOptions, 'files' | 'contents'> = {}) {
  github = await pullRequest(FILES, options);
  const gh = createGitHubClient('t', github.url, { throttle: false, retries: 0 });
  const changed = await listChangedFiles(gh, pr);
  let mergeBase: Promise<string> | undefined;
  const source = pullRequestSource(gh, pr, changed, () => (mergeBase ??= findMergeBase(gh, pr)));
  return scanChanges(source, {
    failOn: 'high',
    registry: {
      npmRegistry: registries.npmUrl,
      pypiUrl: registries.pypiUrl,
      retries: 0,
      timeoutMs: 5000,
    },
    compareWithPrevious: false,
  });
}

const contentPaths = (double: PullRequestDouble) =>
  double
    .requestsTo('GET', /\/contents\//)
    .map((r) => r.path.replace('/repos/acme/app/contents/', ''));

describe('pullRequestSource: requirements files included from anywhere', () => {
  it('finds the includer through one tree call and scans the added package on its line', async () => {
    const report = await scan();
    expect(report.manifestProblems).toEqual([]);
    expect(report.manifests).toEqual([
      { path: 'shared/deps.txt', format: 'requirements', changes: 1 },
    ]);
    expect(report.packages).toEqual([
      expect.objectContaining({
        name: 'tidy-pkg',
        version: '2.0.0',
        manifest: { path: 'shared/deps.txt', line: 2 },
        verdict: 'pass',
      }),
    ]);
    expect(github!.requestsTo('GET', /\/git\/trees\//)).toHaveLength(1);
    // Only files that exist are read: no probing of conventional names that are not there.
    expect([...new Set(contentPaths(github!))].sort()).toEqual([
      'services/api/requirements-prod.txt',
      'shared/deps.txt',
    ]);
  });

  it('falls back to probing the conventional places when GitHub truncates the tree', async () => {
    const report = await scan({ truncateTrees: true });
    expect(report.manifestProblems).toEqual([]);
    expect(contentPaths(github!)).toEqual(
      expect.arrayContaining(['requirements.txt', 'shared/requirements.txt']),
    );
    // The includer is in neither place: this is what the listing is for.
    expect(report.manifests).toEqual([]);
  });

  it('fails closed when the tree cannot be listed', async () => {
    const report = await scan({
      failures: [{ method: 'GET', path: /\/git\/trees\//, status: 500, times: 1 }],
    });
    expect(report.verdict).toBe('fail');
    expect(report.manifestProblems).toEqual([
      expect.objectContaining({
        path: 'shared/deps.txt',
        message: expect.stringContaining('could not be listed'),
      }),
    ]);
  });
});
