import type { Ecosystem } from '../../types.js';

/** The registries a project uses; the same shape as the fetch stage's RegistryConfig. */
export interface RegistryHosts {
  npmRegistry: string;
  pypiUrl: string;
}

/**
 * The public registries every tool writes into lockfiles by default. npm writes
 * registry.npmjs.org, Yarn registry.yarnpkg.com (a CNAME of the same registry); pip and uv
 * download from files.pythonhosted.org and read the index at pypi.org.
 */
export const DEFAULT_REGISTRY_HOSTS: Record<Ecosystem, readonly string[]> = {
  npm: ['registry.npmjs.org', 'registry.yarnpkg.com'],
  pypi: ['pypi.org', 'files.pythonhosted.org', 'pypi.python.org'],
};

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Hosts a lockfile may download from: the configured registry and the public default. */
export function allowedHosts(registries: RegistryHosts, ecosystem: Ecosystem): Set<string> {
  const configured = hostOf(ecosystem === 'npm' ? registries.npmRegistry : registries.pypiUrl);
  return new Set([...DEFAULT_REGISTRY_HOSTS[ecosystem], ...(configured ? [configured] : [])]);
}

export type SourceKind =
  'registry-url' | 'url' | 'git' | 'local-archive' | 'local-folder' | 'other';

export interface ClassifiedSource {
  kind: SourceKind;
  /** Lower-cased host name, for URLs and git remotes. */
  host?: string;
}

const ARCHIVE = /\.(tgz|tar\.gz|tar\.bz2|tar\.xz|tar|zip|whl)$/i;
const VCS_SCHEME = /^(git|hg|svn|bzr)(\+[a-z]+)?:/i;
const HOSTED_GIT = /^(github|gitlab|bitbucket|gist):/i;
const SCP_LIKE = /^[\w.-]+@[\w.-]+:/;
// npm's `user/repo` shorthand for GitHub (package.json only; requirement names have no slash).
const GITHUB_SHORTHAND = /^[\w.-]+\/[\w.-]+(#.*)?$/;

function stripQueryAndFragment(location: string): string {
  return location.replace(/[?#].*$/, '');
}

/**
 * What kind of place a lockfile or manifest source points at. `registry-url` is an http(s) URL
 * shaped like a registry's own download (an npm `/-/name-version.tgz` tarball, or a Python index
 * rather than an archive), which a tampered lockfile would imitate; `url` is any other download.
 */
export function classifySource(ecosystem: Ecosystem, resolved: string): ClassifiedSource {
  const location = resolved.trim();
  if (VCS_SCHEME.test(location) || HOSTED_GIT.test(location) || SCP_LIKE.test(location)) {
    const host = gitHost(location);
    return host ? { kind: 'git', host } : { kind: 'git' };
  }
  if (/^https?:\/\//i.test(location)) {
    const host = hostOf(location);
    const path = stripQueryAndFragment(location);
    if (/\.git$/i.test(path) || /#[0-9a-f]{7,40}$/i.test(location)) {
      return { kind: 'git', ...(host ? { host } : {}) };
    }
    const registryShaped =
      ecosystem === 'npm' ? /\/-\/[^/]+\.tgz$/i.test(path) : !ARCHIVE.test(path);
    return { kind: registryShaped ? 'registry-url' : 'url', ...(host ? { host } : {}) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    return { kind: 'url', ...(hostOf(location) ? { host: hostOf(location)! } : {}) };
  }
  const path = location.replace(/^(file|link|portal):/i, '');
  if (
    /^(file|link|portal):/i.test(location) ||
    /^(\.{1,2}[\\/]|\/|~\/|[A-Za-z]:\\)/.test(path) ||
    path === '.'
  ) {
    return { kind: ARCHIVE.test(stripQueryAndFragment(path)) ? 'local-archive' : 'local-folder' };
  }
  if (ecosystem === 'npm' && GITHUB_SHORTHAND.test(location))
    return { kind: 'git', host: 'github.com' };
  if (ARCHIVE.test(location)) return { kind: 'local-archive' };
  if (/[\\/]/.test(location)) return { kind: 'local-folder' };
  return { kind: 'other' };
}

function gitHost(location: string): string | undefined {
  if (HOSTED_GIT.test(location)) {
    const provider = location.split(':')[0].toLowerCase();
    return provider === 'gist'
      ? 'gist.github.com'
      : `${provider}.${provider === 'bitbucket' ? 'org' : 'com'}`;
  }
  const withoutVcs = location.replace(VCS_SCHEME, '');
  const scp = /^[\w.-]+@([\w.-]+):/.exec(withoutVcs);
  if (scp) return scp[1].toLowerCase();
  return hostOf(withoutVcs.replace(/^\/\//, 'ssh://'));
}

/** True when a folder path climbs above the repository root or is absolute. */
export function leavesRepository(manifestPath: string, localPath: string): boolean {
  const path = localPath.replace(/^(file|link|portal):/i, '').replace(/\\/g, '/');
  if (path.startsWith('/') || path.startsWith('~') || /^[A-Za-z]:\//.test(path)) return true;
  const depth = manifestPath.split('/').length - 1;
  let level = depth;
  for (const segment of path.split('/')) {
    if (segment === '..') level--;
    else if (segment !== '.' && segment !== '') level++;
    if (level < 0) return true;
  }
  return false;
}
