import type { Ecosystem } from '../types.js';
import { httpGetJson } from './http.js';
import { httpOptions, joinUrl, type RegistryConfig } from './config.js';
import { packumentUrl } from './npm.js';
import { normalisePypiName } from './pypi.js';

export interface RegistryMetadata {
  /** The full npm packument, or PyPI's project document `/pypi/NAME/json`. */
  metadata: unknown;
  /** PyPI only: `/pypi/NAME/VERSION/json` of the new version and, for bumps, the previous one. */
  versionMetadata?: unknown[];
}

/**
 * Registry metadata for reputation signals (publish times, publishers, provenance, yanks). The
 * npm install fetch asks for the abbreviated packument, which lacks all of these, so this asks
 * for the full document.
 */
export async function fetchRegistryMetadata(
  request: { ecosystem: Ecosystem; name: string; version: string; from?: string },
  config: RegistryConfig,
): Promise<RegistryMetadata> {
  if (request.ecosystem === 'npm') {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (config.npmToken) headers.authorization = `Bearer ${config.npmToken}`;
    return {
      metadata: await httpGetJson(
        packumentUrl(config.npmRegistry, request.name),
        httpOptions(config, headers),
      ),
    };
  }
  const name = normalisePypiName(request.name);
  const options = httpOptions(config, { accept: 'application/json' });
  const versions = [request.version, ...(request.from ? [request.from] : [])].filter(Boolean);
  const [metadata, ...versionMetadata] = await Promise.all([
    httpGetJson(joinUrl(config.pypiUrl, `pypi/${encodeURIComponent(name)}/json`), options),
    ...versions.map((v) =>
      httpGetJson(
        joinUrl(config.pypiUrl, `pypi/${encodeURIComponent(name)}/${encodeURIComponent(v)}/json`),
        options,
      ).catch(() => undefined),
    ),
  ]);
  return { metadata, versionMetadata: versionMetadata.filter((v) => v !== undefined) };
}
