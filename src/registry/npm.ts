import semver from 'semver';
import type { Artifact } from '../types.js';
import {
  fileNameOf,
  httpOptions,
  joinUrl,
  type FetchedRelease,
  type PackageRequest,
  type RegistryConfig,
} from './config.js';
import { FetchError } from './errors.js';
import { httpGet, httpGetJson } from './http.js';
import { checkSri, sha1HexToSri } from './integrity.js';

/** The abbreviated ("corgi") packument is a fraction of the full document's size. */
const PACKUMENT_ACCEPT = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8';

/** The parts of a packument this stage reads. */
export interface Packument {
  name?: string;
  'dist-tags'?: Record<string, string>;
  versions?: Record<string, { version?: string; dist?: NpmDist }>;
}

export interface NpmDist {
  tarball?: string;
  integrity?: string;
  shasum?: string;
}

const NPM_NAME = /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9_.~-][\w.~-]*$/i;

/** `{registry}/{name}`, with a scoped name's slash encoded as the registry API expects. */
export function packumentUrl(registry: string, name: string): string {
  if (!NPM_NAME.test(name) || name.length > 214) {
    throw new FetchError('not-found', `${JSON.stringify(name)} is not a valid npm package name`);
  }
  const encoded = name.startsWith('@')
    ? `@${encodeURIComponent(name.slice(1).split('/')[0])}%2f${encodeURIComponent(name.split('/')[1])}`
    : encodeURIComponent(name);
  return joinUrl(registry, encoded);
}

/**
 * Picks the version npm would install for `spec`: the `latest` tag when it satisfies the range
 * (as npm-pick-manifest does), else the highest satisfying version; a dist-tag name selects that
 * tag. Returns null when nothing matches.
 */
export function resolveNpmVersion(packument: Packument, spec: string | undefined): string | null {
  const versions = Object.keys(packument.versions ?? {});
  const tags = packument['dist-tags'] ?? {};
  const wanted = (spec ?? '').trim();
  const latest = tags.latest;
  if (wanted === '' || wanted === '*' || wanted === 'latest') {
    if (latest !== undefined && versions.includes(latest)) return latest;
    return semver.maxSatisfying(versions, '*');
  }
  if (Object.hasOwn(tags, wanted) && versions.includes(tags[wanted])) return tags[wanted];
  if (semver.validRange(wanted) === null) return null;
  if (latest !== undefined && versions.includes(latest) && semver.satisfies(latest, wanted)) {
    return latest;
  }
  return semver.maxSatisfying(versions, wanted);
}

export async function fetchNpmRelease(
  request: PackageRequest,
  config: RegistryConfig,
): Promise<FetchedRelease> {
  const url = packumentUrl(config.npmRegistry, request.name);
  const auth: Record<string, string> = config.npmToken
    ? { authorization: `Bearer ${config.npmToken}` }
    : {};
  const packument = (await httpGetJson(
    url,
    httpOptions(config, { accept: PACKUMENT_ACCEPT, ...auth }),
  ).catch((err: unknown) => {
    if (err instanceof FetchError && err.code === 'not-found') {
      throw new FetchError('not-found', `npm package ${request.name} was not found (${url})`, {
        url,
        status: err.status,
      });
    }
    throw err;
  })) as Packument;
  if (
    typeof packument !== 'object' ||
    packument === null ||
    typeof packument.versions !== 'object'
  ) {
    throw new FetchError('bad-response', `${url} is not an npm packument (no "versions")`, { url });
  }

  const version = request.version || resolveNpmVersion(packument, request.spec);
  if (!version) {
    throw new FetchError(
      'not-found',
      `no version of npm package ${request.name} matches ${JSON.stringify(request.spec ?? '')}`,
      { url },
    );
  }
  const dist = packument.versions?.[version]?.dist;
  if (dist === undefined) {
    throw new FetchError('not-found', `npm package ${request.name} has no version ${version}`, {
      url,
    });
  }
  if (typeof dist.tarball !== 'string' || dist.tarball === '') {
    throw new FetchError(
      'bad-response',
      `${request.name}@${version} has no dist.tarball in ${url}`,
      {
        url,
      },
    );
  }

  const tarballUrl = new URL(dist.tarball, url).toString();
  // The token belongs to the registry: a tarball hosted elsewhere must not receive it.
  const sameOrigin = new URL(tarballUrl).origin === new URL(url).origin;
  const tarball = await httpGet(tarballUrl, httpOptions(config, sameOrigin ? auth : {}));

  const expected =
    request.integrity ||
    dist.integrity ||
    (typeof dist.shasum === 'string' ? sha1HexToSri(dist.shasum) : null) ||
    undefined;
  if (expected !== undefined) {
    const check = checkSri(tarball.body, expected);
    const source = request.integrity ? 'the lockfile' : 'the registry';
    if (check === null) {
      throw new FetchError(
        'integrity',
        `${request.name}@${version}: integrity from ${source} (${expected}) names no supported hash algorithm`,
        { url: tarballUrl },
      );
    }
    if (!check.ok) {
      throw new FetchError(
        'integrity',
        `${request.name}@${version}: tarball ${check.algorithm} is ${check.algorithm}-${check.actual}, ` +
          `but ${source} expects ${expected}`,
        { url: tarballUrl },
      );
    }
  }

  const artifact: Artifact = {
    filename: fileNameOf(tarballUrl),
    url: tarballUrl,
    kind: 'npm-tarball',
    data: tarball.body,
  };
  return { version, artifacts: [artifact] };
}
