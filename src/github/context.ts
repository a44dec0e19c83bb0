import { readFileSync } from 'node:fs';

/** The pull request a run inspects: where it lives and the two commits its diff compares. */
export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
  baseSha: string;
  headSha: string;
}

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];

/**
 * Reads the pull request from the runner's environment (the event payload file), so no API call
 * and no checkout is needed to know what to inspect.
 */
export function readPullRequest(env: NodeJS.ProcessEnv): PullRequestRef {
  const eventName = env.GITHUB_EVENT_NAME;
  if (!eventName) {
    throw new Error(
      'GITHUB_EVENT_NAME is not set: pkg-gate must run in a GitHub Actions workflow triggered by pull_request or pull_request_target.',
    );
  }
  if (!PULL_REQUEST_EVENTS.includes(eventName)) {
    throw new Error(
      `pkg-gate inspects pull requests, but this workflow was triggered by "${eventName}". Run it on: pull_request (or pull_request_target).`,
    );
  }
  const eventPath = env.GITHUB_EVENT_PATH;
  if (!eventPath) {
    throw new Error('GITHUB_EVENT_PATH is not set: the runner did not provide the event payload.');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(eventPath, 'utf8'));
  } catch (error) {
    throw new Error(
      `Could not read the event payload at ${eventPath}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const pullRequest = field(payload, 'pull_request');
  if (!pullRequest || typeof pullRequest !== 'object') {
    throw new Error(`The ${eventName} event payload at ${eventPath} has no pull_request object.`);
  }
  const number = field(pullRequest, 'number');
  const baseSha = field(field(pullRequest, 'base'), 'sha');
  const headSha = field(field(pullRequest, 'head'), 'sha');
  if (typeof number !== 'number' || !Number.isInteger(number) || number <= 0) {
    throw new Error(
      `The event payload has no valid pull_request.number (got ${JSON.stringify(number)}).`,
    );
  }
  if (!isSha(baseSha)) {
    throw new Error(
      `The event payload has no valid pull_request.base.sha (got ${JSON.stringify(baseSha)}).`,
    );
  }
  if (!isSha(headSha)) {
    throw new Error(
      `The event payload has no valid pull_request.head.sha (got ${JSON.stringify(headSha)}).`,
    );
  }
  const fullName = env.GITHUB_REPOSITORY || field(field(payload, 'repository'), 'full_name');
  const [owner, repo, ...rest] = typeof fullName === 'string' ? fullName.split('/') : [];
  if (!owner || !repo || rest.length > 0) {
    throw new Error(
      `GITHUB_REPOSITORY must be "owner/repo" (got ${JSON.stringify(fullName ?? null)}).`,
    );
  }
  return { owner, repo, number, baseSha, headSha };
}

function field(value: unknown, key: string): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

function isSha(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{7,64}$/i.test(value);
}
