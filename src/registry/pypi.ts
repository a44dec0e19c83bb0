import { maxSatisfying, valid, validRange } from '@renovatebot/pep440';
import type { Artifact, ArtifactKind } from '../types.js';
import {
  httpOptions,
  joinUrl,
  type FetchedRelease,
  type PackageRequest,
  type RegistryConfig,
} from './config.js';
import { FetchError } from './errors.js';
import { httpGet, httpGetJson } from './http.js';
import { hexDigest } from './integrity.js';

/** One file of a release as the PyPI JSON API describes it. */
export interface PypiFile {
  filename?: string;
  url?: string;
  packagetype?: string;
  digests?: { sha256?: string };
  yanked?: boolean;
}

export interface PypiReleaseDocument {
  info?: { name?: string; version?: string };
  urls?: PypiFile[];
}

export interface PypiProjectDocument {
  info?: { name?: string; version?: string };
  releases?: Record<string, PypiFile[]>;
}

const PYPI_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const HASH_ALGORITHMS = new Set(['sha256', 'sha384', 'sha512']);

/**
 * Chooses what pip could install and an analyst needs to see: the sdist (its setup.py runs at
 * install time) and a pure-Python wheel; a platform wheel only when neither exists.
 */
export function chooseFiles(files: PypiFile[]): PypiFile[] {
  const usable = files.filter((file) => typeof file.url === 'string' && file.url !== '');
  const sdist = usable.find((file) => file.packagetype === 'sdist');
  const wheels = usable.filter(
    (file) => file.packagetype === 'bdist_wheel' || file.filename?.endsWith('.whl'),
  );
  const pureWheel =
    wheels.find((file) => /-py3-none-any\.whl$/i.test(file.filename ?? '')) ??
    wheels.find((file) => /-none-any\.whl$/i.test(file.filename ?? ''));
  const chosen = [sdist, pureWheel].filter((file): file is PypiFile => file !== undefined);
  if (chosen.length === 0 && wheels.length > 0) chosen.push(wheels[0]);
  return chosen;
}

/**
 * The version pip would pick for `spec` among the releases: highest match by PEP 440, skipping
 * releases whose every file is yanked, with pre-releases only when the spec names one or
 * nothing else matches (PEP 440's rule, which the library implements).
 */
export function resolvePypiVersion(
  releases: Record<string, PypiFile[]>,
  spec: string | undefined,
): string | null {
  const installable = Object.entries(releases)
    .filter(([version, files]) => valid(version) !== null && hasInstallableFile(files))
    .map(([version]) => version);
  const wanted = (spec ?? '').trim();
  if (wanted !== '' && wanted !== '*' && !validRange(wanted)) return null;
  return maxSatisfying(installable, wanted === '*' ? '' : wanted);
}

function hasInstallableFile(files: PypiFile[] | undefined): boolean {
  return Array.isArray(files) && files.some((file) => file.yanked !== true);
}

export async function fetchPypiRelease(
  request: PackageRequest,
  config: RegistryConfig,
): Promise<FetchedRelease> {
  if (!PYPI_NAME.test(request.name)) {
    throw new FetchError(
      'not-found',
      `${JSON.stringify(request.name)} is not a valid PyPI project name`,
    );
  }
  const options = httpOptions(config, { accept: 'application/json' });
  const name = encodeURIComponent(normalisePypiName(request.name));
  let version = request.version;
  if (!version) {
    const projectUrl = joinUrl(config.pypiUrl, `pypi/${name}/json`);
    const project = (await getDocument(projectUrl, options, `PyPI project ${request.name}`)) as
      PypiProjectDocument | undefined;
    if (typeof project?.releases !== 'object' || project.releases === null) {
      throw new FetchError('bad-response', `${projectUrl} has no "releases"`, { url: projectUrl });
    }
    const resolved = resolvePypiVersion(project.releases, request.spec);
    if (resolved === null) {
      throw new FetchError(
        'not-found',
        `no installable release of ${request.name} matches ${JSON.stringify(request.spec ?? '')}`,
        { url: projectUrl },
      );
    }
    version = resolved;
  }

  const releaseUrl = joinUrl(config.pypiUrl, `pypi/${name}/${encodeURIComponent(version)}/json`);
  const release = (await getDocument(
    releaseUrl,
    options,
    `${request.name}==${version}`,
  )) as PypiReleaseDocument;
  if (!Array.isArray(release?.urls)) {
    throw new FetchError('bad-response', `${releaseUrl} has no "urls" list`, { url: releaseUrl });
  }

  const allowed = parseRequiredHashes(request.hashes);
  let candidates = release.urls;
  if (allowed !== null) {
    if (allowed.size === 0) {
      throw new FetchError(
        'integrity',
        `${request.name}==${version}: the requirement's --hash values use no algorithm pip accepts (sha256, sha384, sha512)`,
        { url: releaseUrl },
      );
    }
    // pip installs only a file whose hash the requirement lists; we inspect the same ones.
    candidates = candidates.filter((file) => mayMatch(file, allowed));
    if (candidates.length === 0) {
      throw new FetchError(
        'integrity',
        `no file of ${request.name}==${version} on the index has a hash the requirement lists ` +
          `(${[...allowed].join(', ')})`,
        { url: releaseUrl },
      );
    }
  }
  const chosen = chooseFiles(candidates);
  if (chosen.length === 0) {
    throw new FetchError(
      'not-found',
      `${request.name}==${version} has no sdist or wheel on the index`,
      { url: releaseUrl },
    );
  }

  const artifacts: Artifact[] = [];
  for (const file of chosen) {
    artifacts.push(await download(file, releaseUrl, request, version, allowed, config));
  }
  return { version, artifacts };
}

async function download(
  file: PypiFile,
  releaseUrl: string,
  request: PackageRequest,
  version: string,
  allowed: Set<string> | null,
  config: RegistryConfig,
): Promise<Artifact> {
  const url = new URL(file.url as string, releaseUrl).toString();
  const filename = file.filename || url.split('/').pop() || 'download';
  const response = await httpGet(url, httpOptions(config));
  const label = `${request.name}==${version} (${filename})`;

  const expected = file.digests?.sha256?.toLowerCase();
  const actual = hexDigest('sha256', response.body);
  if (expected !== undefined && expected !== actual) {
    throw new FetchError(
      'integrity',
      `${label}: downloaded sha256 ${actual} differs from the index's ${expected}`,
      { url },
    );
  }
  if (allowed !== null && !matchesAny(response.body, allowed)) {
    throw new FetchError(
      'integrity',
      `${label}: downloaded sha256 ${actual} is not among the requirement's --hash values`,
      { url },
    );
  }
  const kind: ArtifactKind =
    file.packagetype === 'bdist_wheel' || filename.endsWith('.whl') ? 'wheel' : 'sdist';
  return { filename, url, kind, data: response.body };
}

async function getDocument(
  url: string,
  options: ReturnType<typeof httpOptions>,
  what: string,
): Promise<unknown> {
  try {
    return await httpGetJson(url, options);
  } catch (err) {
    if (err instanceof FetchError && err.code === 'not-found') {
      throw new FetchError('not-found', `${what} was not found on the index (${url})`, {
        url,
        status: err.status,
      });
    }
    throw err;
  }
}

/**
 * PEP 503 normal form. PyPI redirects any spelling to it, and simple private indexes often
 * serve only this form.
 */
export function normalisePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** `--hash=algo:hex` values, lower-cased; null when the requirement gives none. */
function parseRequiredHashes(hashes: string[] | undefined): Set<string> | null {
  if (hashes === undefined || hashes.length === 0) return null;
  const parsed = new Set<string>();
  for (const hash of hashes) {
    const [algorithm, hex] = hash.trim().toLowerCase().split(':', 2);
    if (hex && HASH_ALGORITHMS.has(algorithm)) parsed.add(`${algorithm}:${hex}`);
  }
  return parsed;
}

/** False only when the index's sha256 proves the file cannot match the listed hashes. */
function mayMatch(file: PypiFile, allowed: Set<string>): boolean {
  const digest = file.digests?.sha256?.toLowerCase();
  const listsSha256 = [...allowed].some((hash) => hash.startsWith('sha256:'));
  if (digest === undefined || !listsSha256) return true;
  return allowed.has(`sha256:${digest}`);
}

function matchesAny(data: Uint8Array, allowed: Set<string>): boolean {
  const algorithms = new Set([...allowed].map((hash) => hash.split(':')[0]));
  return [...algorithms].some((algorithm) =>
    allowed.has(`${algorithm}:${hexDigest(algorithm, data)}`),
  );
}
