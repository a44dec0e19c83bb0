import { afterEach, describe, expect, it } from '@jest/globals';
import { createGitHubClient } from '../../src/github/client.js';
import type { PullRequestRef } from '../../src/github/context.js';
import { isPermissionError } from '../../src/github/errors.js';
import { listChangedFiles } from '../../src/github/pull-request.js';
import { startGitHubDouble, type GitHubDouble } from './github-double.js';

const pr: PullRequestRef = {
  owner: 'acme',
  repo: 'app',
  number: 1,
  baseSha: 'b'.repeat(40),
  headSha: 'c'.repeat(40),
};
const files = [{ filename: 'requirements.txt', patch: '@@ -0,0 +1 @@\n+a==1' }];

let double: GitHubDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

describe('createGitHubClient', () => {
  it('refuses an empty token with a message naming the input', () => {
    expect(() => createGitHubClient('', 'http://127.0.0.1:1')).toThrow(/github-token/);
  });

  it('takes the API URL from GITHUB_API_URL when none is given (GitHub Enterprise)', async () => {
    double = await startGitHubDouble({ files });
    const saved = process.env.GITHUB_API_URL;
    process.env.GITHUB_API_URL = `${double.url}/`;
    try {
      const gh = createGitHubClient('t', undefined, { throttle: false });
      await expect(listChangedFiles(gh, pr)).resolves.toHaveLength(1);
    } finally {
      if (saved === undefined) delete process.env.GITHUB_API_URL;
      else process.env.GITHUB_API_URL = saved;
    }
  });

  it('retries transient 5xx errors with backoff', async () => {
    double = await startGitHubDouble({
      files,
      failures: [{ method: 'GET', path: /\/files$/, status: 502, times: 2 }],
    });
    const gh = createGitHubClient('t', double.url, { retryBaseMs: 1, throttle: false });
    await expect(listChangedFiles(gh, pr)).resolves.toHaveLength(1);
    expect(double.requestsTo('GET', /\/files$/)).toHaveLength(3);
  });

  it('gives up after the configured retries', async () => {
    double = await startGitHubDouble({
      files,
      failures: [{ method: 'GET', path: /\/files$/, status: 503, times: 10 }],
    });
    const gh = createGitHubClient('t', double.url, { retryBaseMs: 1, retries: 2, throttle: false });
    await expect(listChangedFiles(gh, pr)).rejects.toMatchObject({ status: 503 });
    expect(double.requestsTo('GET', /\/files$/)).toHaveLength(3);
  });

  it('waits out a secondary rate limit (throttling plugin) and then succeeds', async () => {
    double = await startGitHubDouble({
      files,
      failures: [
        {
          method: 'GET',
          path: /\/files$/,
          status: 403,
          times: 1,
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          headers: { 'retry-after': '1' },
        },
      ],
    });
    const warnings: string[] = [];
    const gh = createGitHubClient('t', double.url, {
      retryBaseMs: 1,
      warn: (message) => warnings.push(message),
    });
    await expect(listChangedFiles(gh, pr)).resolves.toHaveLength(1);
    expect(double.requestsTo('GET', /\/files$/)).toHaveLength(2);
    expect(warnings.join('\n')).toMatch(/secondary rate limit on GET .*\/files.*retrying in 1 s/);
  });

  it('retries after a primary rate limit resets soon, and gives up when the reset is far away', async () => {
    const resetIn = (seconds: number) => String(Math.floor(Date.now() / 1000) + seconds);
    const rateLimited = (seconds: number) => ({
      method: 'GET',
      path: /\/files$/,
      status: 403,
      times: 1,
      message: 'API rate limit exceeded',
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(seconds) },
    });
    const warnings: string[] = [];
    const warn = (message: string) => warnings.push(message);

    double = await startGitHubDouble({ files, failures: [rateLimited(1)] });
    let gh = createGitHubClient('t', double.url, { retryBaseMs: 1, warn });
    await expect(listChangedFiles(gh, pr)).resolves.toHaveLength(1);
    expect(warnings.pop()).toMatch(/primary rate limit .* retrying in \d s/);
    await double.close();

    double = await startGitHubDouble({ files, failures: [rateLimited(3600)] });
    gh = createGitHubClient('t', double.url, { retryBaseMs: 1, warn });
    await expect(listChangedFiles(gh, pr)).rejects.toMatchObject({ status: 403 });
    expect(warnings.pop()).toMatch(/primary rate limit .* giving up \(reset in \d+ s\)/);
  });

  it('does not retry a permission error, which callers recognise', async () => {
    double = await startGitHubDouble({ forbidWrites: true });
    const gh = createGitHubClient('t', double.url, { retryBaseMs: 1, throttle: false });
    const error = await gh.rest.issues
      .createComment({ owner: 'acme', repo: 'app', issue_number: 1, body: 'x' })
      .catch((e: unknown) => e);
    expect(isPermissionError(error)).toBe(true);
    expect(double.requestsTo('POST', /comments$/)).toHaveLength(1);
  });
});
