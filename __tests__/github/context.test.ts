import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPullRequest } from '../../src/github/context.js';

const BASE = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);

function eventFile(payload: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'pkg-gate-event-'));
  const path = join(dir, 'event.json');
  writeFileSync(path, typeof payload === 'string' ? payload : JSON.stringify(payload));
  return path;
}

const pullRequestPayload = {
  action: 'synchronize',
  number: 42,
  pull_request: { number: 42, base: { sha: BASE, ref: 'main' }, head: { sha: HEAD, ref: 'f' } },
  repository: { full_name: 'payload-owner/payload-repo' },
};

describe('readPullRequest', () => {
  it('reads number, shas and repository from a pull_request event', () => {
    const env = {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventFile(pullRequestPayload),
      GITHUB_REPOSITORY: 'acme/app',
    };
    expect(readPullRequest(env)).toEqual({
      owner: 'acme',
      repo: 'app',
      number: 42,
      baseSha: BASE,
      headSha: HEAD,
    });
  });

  it('accepts pull_request_target and falls back to the payload repository', () => {
    const env = {
      GITHUB_EVENT_NAME: 'pull_request_target',
      GITHUB_EVENT_PATH: eventFile(pullRequestPayload),
    };
    expect(readPullRequest(env)).toMatchObject({ owner: 'payload-owner', repo: 'payload-repo' });
  });

  it('rejects other events with a message naming the event', () => {
    const env = {
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: eventFile({}),
      GITHUB_REPOSITORY: 'a/b',
    };
    expect(() => readPullRequest(env)).toThrow(/triggered by "push".*pull_request/);
  });

  it('explains a missing event name, payload path, unreadable payload or missing pull_request', () => {
    expect(() => readPullRequest({})).toThrow(/GITHUB_EVENT_NAME is not set/);
    expect(() => readPullRequest({ GITHUB_EVENT_NAME: 'pull_request' })).toThrow(
      /GITHUB_EVENT_PATH is not set/,
    );
    expect(() =>
      readPullRequest({
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: '/nonexistent/e.json',
      }),
    ).toThrow(/Could not read the event payload at \/nonexistent\/e.json/);
    expect(() =>
      readPullRequest({
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventFile('{not json'),
      }),
    ).toThrow(/Could not read the event payload/);
    expect(() =>
      readPullRequest({
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventFile({ action: 'opened' }),
        GITHUB_REPOSITORY: 'a/b',
      }),
    ).toThrow(/no pull_request object/);
  });

  it('rejects payloads without a valid number or shas, and a malformed repository', () => {
    const withPr = (pr: unknown) => ({
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventFile({ pull_request: pr }),
      GITHUB_REPOSITORY: 'acme/app',
    });
    expect(() => readPullRequest(withPr({ base: { sha: BASE }, head: { sha: HEAD } }))).toThrow(
      /pull_request.number/,
    );
    expect(() => readPullRequest(withPr({ number: 1, base: {}, head: { sha: HEAD } }))).toThrow(
      /pull_request.base.sha/,
    );
    expect(() =>
      readPullRequest(withPr({ number: 1, base: { sha: BASE }, head: { sha: 'not a sha' } })),
    ).toThrow(/pull_request.head.sha/);
    expect(() =>
      readPullRequest({ ...withPr(pullRequestPayload.pull_request), GITHUB_REPOSITORY: 'justone' }),
    ).toThrow(/owner\/repo/);
  });
});
