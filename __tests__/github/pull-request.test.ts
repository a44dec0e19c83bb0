import { afterEach, describe, expect, it } from '@jest/globals';
import { createGitHubClient } from '../../src/github/client.js';
import type { PullRequestRef } from '../../src/github/context.js';
import {
  findMergeBase,
  listChangedFiles,
  listFilesAt,
  readFileAt,
} from '../../src/github/pull-request.js';
import { startGitHubDouble, type GitHubDouble } from './github-double.js';

const BASE = 'b'.repeat(40);
const HEAD = 'c'.repeat(40);
const MERGE_BASE = 'd'.repeat(40);
const pr: PullRequestRef = { owner: 'acme', repo: 'app', number: 1, baseSha: BASE, headSha: HEAD };

let double: GitHubDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

describe('listChangedFiles', () => {
  it('follows Link pagination and keeps path, previous path, status and patch', async () => {
    const files = Array.from({ length: 5 }, (_, i) => ({
      filename: `pkg${i}/requirements.txt`,
      status: 'modified',
      patch: `@@ -1 +1 @@\n-a==${i}\n+a==${i + 1}`,
    }));
    files.push({
      filename: 'package-lock.json',
      status: 'renamed',
      previous_filename: 'old/package-lock.json',
    } as never);
    double = await startGitHubDouble({ files, maxPerPage: 2 });
    const gh = createGitHubClient('t0ken', double.url, { throttle: false });

    const changed = await listChangedFiles(gh, pr);

    expect(changed.map((f) => f.path)).toEqual([...files.map((f) => f.filename)]);
    expect(changed[0]).toEqual({
      path: 'pkg0/requirements.txt',
      status: 'modified',
      patch: files[0].patch,
    });
    expect(changed[5]).toEqual({
      path: 'package-lock.json',
      previousPath: 'old/package-lock.json',
      status: 'renamed',
    });
    const pages = double.requestsTo('GET', /\/pulls\/1\/files$/);
    expect(pages).toHaveLength(3);
    expect(pages[0].query.per_page).toBe('100');
    expect(pages[0].headers.authorization).toBe('token t0ken');
  });
});

describe('findMergeBase', () => {
  it('asks compare for base...head and returns the merge base commit', async () => {
    double = await startGitHubDouble({ mergeBaseSha: MERGE_BASE });
    const gh = createGitHubClient('t', double.url, { throttle: false });
    await expect(findMergeBase(gh, pr)).resolves.toBe(MERGE_BASE);
    expect(double.requestsTo('GET', /\/compare\//)[0].path).toBe(
      `/repos/acme/app/compare/${BASE}...${HEAD}`,
    );
  });

  it('fails clearly when GitHub does not know the commits', async () => {
    double = await startGitHubDouble();
    const gh = createGitHubClient('t', double.url, { throttle: false });
    await expect(findMergeBase(gh, { ...pr, headSha: 'e'.repeat(40) })).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe('readFileAt', () => {
  it('reads a nested file at a ref through the raw media type', async () => {
    double = await startGitHubDouble({
      contents: { [HEAD]: { 'services/api/requirements.txt': 'requests==2.32.0\n' } },
    });
    const gh = createGitHubClient('t', double.url, { throttle: false });
    await expect(readFileAt(gh, pr, 'services/api/requirements.txt', HEAD)).resolves.toBe(
      'requests==2.32.0\n',
    );
    const [request] = double.requestsTo('GET', /\/contents\//);
    expect(request.path).toBe('/repos/acme/app/contents/services/api/requirements.txt');
    expect(request.query.ref).toBe(HEAD);
    expect(String(request.headers.accept)).toContain('raw');
  });

  it('returns the whole text of a lockfile over 1 MB (the JSON form would be empty)', async () => {
    const big = JSON.stringify({ lockfileVersion: 3, padding: 'x'.repeat(1_500_000) });
    double = await startGitHubDouble({ contents: { [MERGE_BASE]: { 'package-lock.json': big } } });
    const gh = createGitHubClient('t', double.url, { throttle: false });
    const text = await readFileAt(gh, pr, 'package-lock.json', MERGE_BASE);
    expect(text).toHaveLength(big.length);
  });

  it('decodes UTF-8 when the raw response comes back as binary', async () => {
    double = await startGitHubDouble({
      contents: { [HEAD]: { 'requirements.txt': 'naïve==1.0 # ünïcode\n' } },
      rawContentType: 'application/vnd.github.raw',
    });
    const gh = createGitHubClient('t', double.url, { throttle: false });
    await expect(readFileAt(gh, pr, 'requirements.txt', HEAD)).resolves.toBe(
      'naïve==1.0 # ünïcode\n',
    );
  });

  it('returns undefined for a file missing at that ref and rethrows other errors', async () => {
    double = await startGitHubDouble({
      contents: { [HEAD]: { 'requirements.txt': 'a==1\n' } },
      failures: [
        {
          method: 'GET',
          path: /contents\/broken/,
          status: 401,
          times: 1,
          message: 'Bad credentials',
        },
      ],
    });
    const gh = createGitHubClient('t', double.url, { throttle: false });
    await expect(readFileAt(gh, pr, 'requirements.txt', MERGE_BASE)).resolves.toBeUndefined();
    await expect(readFileAt(gh, pr, 'broken.txt', HEAD)).rejects.toMatchObject({ status: 401 });
  });
});

describe('listFilesAt', () => {
  const files = {
    'requirements.txt': '-r shared/deps.txt\n',
    'shared/deps.txt': 'a==1\n',
    'services/api/requirements-prod.txt': '-r ../../shared/deps.txt\n',
  };

  it('lists every file of the commit in one recursive tree call, folders left out', async () => {
    double = await startGitHubDouble({ contents: { [MERGE_BASE]: files } });
    const gh = createGitHubClient('t', double.url, { throttle: false });
    const listed = await listFilesAt(gh, pr, MERGE_BASE);
    expect(listed?.sort()).toEqual(Object.keys(files).sort());
    const requests = double.requestsTo('GET', /\/git\/trees\//);
    expect(requests).toHaveLength(1);
    expect(requests[0].path).toBe(`/repos/acme/app/git/trees/${MERGE_BASE}`);
    expect(requests[0].query.recursive).toBe('1');
  });

  it('returns undefined for a truncated tree, whose list is incomplete', async () => {
    double = await startGitHubDouble({ contents: { [MERGE_BASE]: files }, truncateTrees: true });
    const gh = createGitHubClient('t', double.url, { throttle: false });
    await expect(listFilesAt(gh, pr, MERGE_BASE)).resolves.toBeUndefined();
  });

  it('rethrows errors', async () => {
    double = await startGitHubDouble({
      contents: { [MERGE_BASE]: files },
      failures: [{ method: 'GET', path: /git\/trees/, status: 401, times: 1 }],
    });
    const gh = createGitHubClient('t', double.url, { throttle: false });
    await expect(listFilesAt(gh, pr, MERGE_BASE)).rejects.toMatchObject({ status: 401 });
  });
});
