import pLimit, { type LimitFunction } from 'p-limit';
import type { FetchedRelease, PackageRequest, RegistryConfig } from './config.js';
import { fetchNpmRelease } from './npm.js';
import { fetchPypiRelease } from './pypi.js';

export type { FetchedRelease, PackageRequest, RegistryConfig } from './config.js';
export { FetchError, type FetchErrorCode } from './errors.js';
export { packumentUrl, resolveNpmVersion } from './npm.js';
export { chooseFiles, resolvePypiVersion } from './pypi.js';

/**
 * Resolves a changed package to an exact version and downloads its artifacts, verified against
 * the lockfile's or the index's hashes. Throws FetchError (never returns a partial release).
 */
export async function fetchRelease(
  request: PackageRequest,
  config: RegistryConfig,
): Promise<FetchedRelease> {
  switch (request.ecosystem) {
    case 'npm':
      return fetchNpmRelease(request, config);
    case 'pypi':
      return fetchPypiRelease(request, config);
  }
}

/** Bounds how many packages are fetched and analysed at once. */
export function createLimiter(concurrency: number): LimitFunction {
  return pLimit(Math.max(1, Math.floor(concurrency)));
}
