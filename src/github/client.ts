import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

export type GitHubClient = ReturnType<typeof import('@actions/github').getOctokit>;

/** Knobs for tests and unusual runners; production uses the defaults. */
export interface GitHubClientTuning {
  /** Base delay for retries of 5xx/network errors (quadratic backoff: 1×, 4×, 9×). Default 1000 ms. */
  retryBaseMs?: number;
  /** Retries of 5xx/network errors. Default 3. */
  retries?: number;
  /**
   * Longest wait, in seconds, the client accepts for a rate limit to reset before giving up
   * (the caller then degrades to annotations and the job summary). Default 60.
   */
  maxRateLimitWaitSeconds?: number;
  /**
   * The throttling plugin spaces writes (1 s apart, 3 s for notifying writes) as GitHub asks
   * of integrations. Turning it off is only for tests that post many writes. Default true.
   */
  throttle?: boolean;
  /** Where rate-limit waits are reported; the action passes core.warning. Default console.warn. */
  warn?: (message: string) => void;
}

const RATE_LIMIT_RETRIES = 2;

/**
 * Builds the octokit the run passes down to every stage. Never called at import time, so each
 * stage can be tested with a client pointed at a local double.
 */
export function createGitHubClient(
  token: string,
  apiUrl?: string,
  tuning: GitHubClientTuning = {},
): GitHubClient {
  if (!token) {
    throw new Error(
      'No GitHub token: pass the github-token input (it defaults to ${{ github.token }}).',
    );
  }
  const baseUrl = stripTrailingSlash(
    apiUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com',
  );
  const retryBaseMs = tuning.retryBaseMs ?? 1000;
  const maxWait = tuning.maxRateLimitWaitSeconds ?? 60;
  const shouldRetryRateLimit = (
    kind: string,
    retryAfter: number,
    options: { method?: string; url?: string },
    retryCount: number,
  ): boolean => {
    const retrying = retryCount < RATE_LIMIT_RETRIES && retryAfter <= maxWait;
    (tuning.warn ?? console.warn)(
      `GitHub ${kind} rate limit on ${options.method ?? ''} ${options.url ?? ''}: ` +
        (retrying ? `retrying in ${retryAfter} s.` : `giving up (reset in ${retryAfter} s).`),
    );
    return retrying;
  };
  return getOctokit(
    token,
    {
      baseUrl,
      retry: { retries: tuning.retries ?? 3, retryAfterBaseValue: retryBaseMs },
      throttle: {
        enabled: tuning.throttle ?? true,
        retryAfterBaseValue: retryBaseMs,
        onRateLimit: (retryAfter, options, _octokit, retryCount) =>
          shouldRetryRateLimit('primary', retryAfter, options, retryCount),
        onSecondaryRateLimit: (retryAfter, options, _octokit, retryCount) =>
          shouldRetryRateLimit('secondary', retryAfter, options, retryCount),
      },
    },
    retry,
    throttling,
  );
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
