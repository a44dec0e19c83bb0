import type { Severity } from '../types.js';
import { allRules } from './index.js';
import type { RuleMeta } from './rule.js';
import { reputationRules } from '../reputation/rules.js';

/**
 * Findings the pipeline itself raises (not a content rule): a package that could not be
 * fetched or read fails closed, because a gate that passes what it could not inspect is worthless.
 */
export const pipelineRules: readonly RuleMeta[] = [
  {
    id: 'package-unavailable',
    severity: 'high',
    ecosystems: ['npm', 'pypi'],
    title: 'Package could not be fetched',
    description:
      'The registry did not serve this version (missing, removed, or unreachable after retries), so its contents could not be inspected. Packages are often removed from registries because they were malicious.',
    references: [],
  },
  {
    id: 'integrity-mismatch',
    severity: 'critical',
    ecosystems: ['npm', 'pypi'],
    title: 'Downloaded file does not match its recorded hash',
    description:
      'The bytes served do not match the integrity or sha256 recorded in the lockfile or registry metadata: the artifact was altered or the lockfile was tampered with.',
    references: ['https://docs.npmjs.com/cli/configuring-npm/package-lock-json#packages'],
  },
  {
    id: 'archive-unreadable',
    severity: 'high',
    ecosystems: ['npm', 'pypi'],
    title: 'Package archive is corrupt, truncated or over the limits',
    description:
      'Part of the package could not be read (corrupt or truncated archive, or size limits reached), so the inspection is incomplete.',
    references: [],
  },
  {
    id: 'archive-unsafe-path',
    severity: 'high',
    ecosystems: ['npm', 'pypi'],
    title: 'Archive entry points outside the package',
    description:
      'An entry uses `..`, an absolute path or a drive letter (path traversal, "zip slip"): a naive unpacker would write outside its folder. pkg-gate skips the entry.',
    references: ['https://security.snyk.io/research/zip-slip-vulnerability'],
  },
  {
    id: 'archive-link',
    severity: 'info',
    ecosystems: ['npm', 'pypi'],
    title: 'Archive contains a link',
    description: 'A symbolic or hard link in the archive; pkg-gate does not follow it.',
    references: [],
  },
  {
    id: 'analyzer-error',
    severity: 'medium',
    ecosystems: ['npm', 'pypi'],
    title: 'A rule failed on this package',
    description: 'An analyzer crashed on this package; its part of the inspection is incomplete.',
    references: [],
  },
  {
    id: 'lockfile-foreign-host',
    severity: 'critical',
    ecosystems: ['npm', 'pypi'],
    title: 'Lockfile downloads a package from a foreign host',
    description:
      'A lockfile entry shaped like a registry download points at a host that is neither the configured registry nor the public default (registry.npmjs.org, registry.yarnpkg.com, pypi.org, files.pythonhosted.org): the classic shape of a tampered lockfile, which installs other code than the registry serves.',
    references: [
      'https://snyk.io/blog/why-npm-lockfiles-can-be-a-security-blindspot-for-injecting-malicious-modules/',
    ],
  },
  {
    id: 'dependency-bypasses-registry',
    severity: 'high',
    ecosystems: ['npm', 'pypi'],
    title: 'Dependency installed from git, a URL or a local archive',
    description:
      'The package comes from a git repository, a direct URL, a tarball or wheel in the repository, or a folder outside it, not from the registry: registry takedowns of malware do not reach it and pkg-gate cannot inspect what will be downloaded.',
    references: ['https://docs.npmjs.com/cli/configuring-npm/package-json#urls-as-dependencies'],
  },
  {
    id: 'new-package-index',
    severity: 'high',
    ecosystems: ['npm', 'pypi'],
    title: 'New package index or registry',
    description:
      'The PR adds a package source (--extra-index-url, --index-url or --find-links in a requirements file, a uv/Poetry/PDM/Pipfile index, a registry or scoped registry in .npmrc or .yarnrc.yml). Installers pick a name from whichever source offers it, so a package published there under an internal name wins (dependency confusion).',
    references: ['https://medium.com/@alex.birsan/dependency-confusion-4a5d60fec610'],
  },
  {
    id: 'requirements-remote-include',
    severity: 'high',
    ecosystems: ['pypi'],
    title: 'Requirements file includes a file outside the repository',
    description:
      'A -r/-c include points at a URL or a path outside the repository: what pip installs from it is decided at install time and cannot be reviewed or inspected in the PR.',
    references: ['https://pip.pypa.io/en/stable/reference/requirements-file-format/'],
  },
  {
    id: 'lockfile-only-addition',
    severity: 'medium',
    ecosystems: ['npm', 'pypi'],
    title: 'Package added to a lockfile without a manifest change',
    description:
      'A package appears in the lockfile although no manifest beside it changed and no changed package depends on it (where the lockfile records dependencies): a hand-edited lockfile can slip in a package nobody asked for.',
    references: [],
  },
];

export function ruleCatalog(): RuleMeta[] {
  return [...allRules.map((r) => r.meta), ...pipelineRules, ...reputationRules];
}

export function defaultSeverity(ruleId: string): Severity | undefined {
  return ruleCatalog().find((r) => r.id === ruleId)?.severity;
}
