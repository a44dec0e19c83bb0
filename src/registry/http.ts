import { FetchError } from './errors.js';

export interface HttpOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  /** Extra attempts after the first, for network errors, 5xx and 429. */
  retries: number;
  retryBaseDelayMs: number;
  maxBytes: number;
  headers?: Record<string, string>;
}

export interface HttpResponse {
  url: string;
  status: number;
  headers: Headers;
  body: Uint8Array;
}

export const USER_AGENT = 'pkg-gate';

/** The longest a server's Retry-After may make us wait: a gate must not sit idle for minutes. */
const MAX_RETRY_AFTER_MS = 30_000;

/**
 * GETs a URL and returns the whole body, within a per-attempt timeout and a byte cap that holds
 * even when the server sends no Content-Length or a false one. Transient failures (network
 * errors, timeouts, 5xx, 429) are retried with exponential backoff; other 4xx are final.
 */
export async function httpGet(url: string, options: HttpOptions): Promise<HttpResponse> {
  for (let attempt = 0; ; attempt++) {
    let delayHint: number | undefined;
    try {
      return await attemptGet(url, options);
    } catch (err) {
      const error = asFetchError(err, url, options.timeoutMs);
      const transient =
        error.code === 'network' ||
        (error.code === 'bad-response' &&
          error.status !== undefined &&
          (error.status >= 500 || error.status === 429));
      if (!transient || attempt >= options.retries) throw error;
      delayHint = (error as RetryHinted).retryAfterMs;
    }
    const backoff = options.retryBaseDelayMs * 2 ** attempt;
    const jitter = Math.random() * options.retryBaseDelayMs;
    await sleep(Math.min(delayHint ?? backoff + jitter, MAX_RETRY_AFTER_MS));
  }
}

export async function httpGetJson(url: string, options: HttpOptions): Promise<unknown> {
  const response = await httpGet(url, options);
  try {
    return JSON.parse(new TextDecoder().decode(response.body));
  } catch (err) {
    throw new FetchError('bad-response', `${url} did not return valid JSON`, {
      url,
      status: response.status,
      cause: err,
    });
  }
}

type RetryHinted = FetchError & { retryAfterMs?: number };

async function attemptGet(url: string, options: HttpOptions): Promise<HttpResponse> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const response = await options.fetch(url, {
    signal,
    redirect: 'follow',
    headers: { 'user-agent': USER_AGENT, ...options.headers },
  });
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    if (response.status === 404 || response.status === 410) {
      throw new FetchError('not-found', `${url} returned ${response.status}`, {
        url,
        status: response.status,
      });
    }
    const error: RetryHinted = new FetchError(
      'bad-response',
      `${url} returned ${response.status} ${response.statusText}`.trim(),
      { url, status: response.status },
    );
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    if (retryAfter !== undefined) error.retryAfterMs = retryAfter;
    throw error;
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(url, options.maxBytes, `declares ${declared} bytes`);
  }
  const body = await readCapped(response, url, options.maxBytes);
  return { url: response.url || url, status: response.status, headers: response.headers, body };
}

async function readCapped(response: Response, url: string, maxBytes: number): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(url, maxBytes, `sent more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function tooLarge(url: string, maxBytes: number, detail: string): FetchError {
  return new FetchError(
    'too-large',
    `${url} ${detail}, over the ${formatMiB(maxBytes)} download limit`,
    { url },
  );
}

function asFetchError(err: unknown, url: string, timeoutMs: number): FetchError {
  if (err instanceof FetchError) return err;
  const name = (err as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new FetchError('network', `${url} did not answer within ${timeoutMs} ms`, {
      url,
      cause: err,
    });
  }
  const cause = (err as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const detail =
    cause?.code ?? cause?.message ?? (err as Error | undefined)?.message ?? String(err);
  return new FetchError('network', `${url} could not be reached (${detail})`, { url, cause: err });
}

function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function formatMiB(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
