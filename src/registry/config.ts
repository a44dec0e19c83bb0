import type { Artifact, Ecosystem } from '../types.js';
import type { HttpOptions } from './http.js';

export interface RegistryConfig {
  /** npm registry base URL, e.g. `https://registry.npmjs.org`; may carry a path. */
  npmRegistry: string;
  /** PyPI base URL, e.g. `https://pypi.org`; the JSON API lives under `/pypi/`. */
  pypiUrl: string;
  /** Per-request timeout (each attempt). Default 30 s. */
  timeoutMs?: number;
  /** Extra attempts on network errors, 5xx and 429. Default 2. */
  retries?: number;
  /** First backoff delay; doubles each attempt. Default 500 ms. */
  retryBaseDelayMs?: number;
  /** Cap for any single response body (metadata or artifact). Default 200 MiB. */
  maxDownloadBytes?: number;
  fetch?: typeof fetch;
  /** Bearer token for the npm registry; sent only to the registry's own origin. */
  npmToken?: string;
}

export interface PackageRequest {
  ecosystem: Ecosystem;
  name: string;
  /** Exact version; empty to resolve `spec` against the index. */
  version: string;
  spec?: string;
  /** SRI from the lockfile; takes precedence over the registry's. */
  integrity?: string;
  /** `--hash=` values from a requirements file, as `sha256:<hex>`. */
  hashes?: string[];
}

export interface FetchedRelease {
  version: string;
  artifacts: Artifact[];
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRIES = 2;
export const DEFAULT_RETRY_BASE_DELAY_MS = 500;
export const DEFAULT_MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024;

export function httpOptions(config: RegistryConfig, headers?: Record<string, string>): HttpOptions {
  return {
    fetch: config.fetch ?? globalThis.fetch,
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retries: config.retries ?? DEFAULT_RETRIES,
    retryBaseDelayMs: config.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS,
    maxBytes: config.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES,
    headers,
  };
}

/** Joins a base URL (with or without a trailing slash or a path) and a path. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

export function fileNameOf(url: string): string {
  try {
    const segments = new URL(url).pathname.split('/');
    return decodeURIComponent(segments[segments.length - 1] || 'download');
  } catch {
    return 'download';
  }
}
