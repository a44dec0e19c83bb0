import type { Finding, ManifestFormat, PackageChange } from '../../types.js';
import { isLockfileFormat } from '../reconcile.js';
import { allowedHosts, classifySource, leavesRepository, type RegistryHosts } from './hosts.js';
import { DEPENDENCY_BYPASSES_REGISTRY, LOCKFILE_FOREIGN_HOST } from './rules.js';

export interface SourceCheck {
  findings: Finding[];
  /**
   * False when the package does not come from the registry at all (git, a URL, a local archive):
   * what the registry serves under that name is not what gets installed, so fetching it would
   * inspect the wrong code. The finding stands in for the scan.
   */
  fromRegistry: boolean;
}

const FROM_REGISTRY: SourceCheck = { findings: [], fromRegistry: true };

/**
 * Where a changed package says it comes from, judged: a lockfile entry shaped like a registry
 * download on a host that is neither the configured registry nor the public default is lockfile
 * tampering (critical); a git, URL, tarball or local-archive dependency skips the registry and
 * its malware takedowns (high). A local folder inside the repository is the project's own code,
 * which the PR diff already shows: no finding, and nothing to fetch.
 */
export function checkChangeSource(
  change: PackageChange,
  format: ManifestFormat,
  registries: RegistryHosts,
): SourceCheck {
  if (change.change === 'removed' || !change.resolved) return FROM_REGISTRY;
  const resolved = change.resolved;
  const source = classifySource(change.ecosystem, resolved);
  const allowed = allowedHosts(registries, change.ecosystem);
  const at = { file: change.manifest.path, line: change.manifest.line, evidence: resolved };
  const label = `${change.name}${change.version ? `@${change.version}` : ''}`;

  const bypass = (what: string): SourceCheck => ({
    fromRegistry: false,
    findings: [
      {
        rule: DEPENDENCY_BYPASSES_REGISTRY,
        severity: 'high',
        ...at,
        message: `${label} is installed from ${what}, not from the registry: registry malware takedowns and version history do not protect it, and pkg-gate cannot inspect what it will download.`,
      },
    ],
  });

  switch (source.kind) {
    case 'registry-url':
      if (source.host && allowed.has(source.host)) return FROM_REGISTRY;
      if (!isLockfileFormat(format)) return bypass(`the URL ${resolved}`);
      return {
        fromRegistry: true,
        findings: [
          {
            rule: LOCKFILE_FOREIGN_HOST,
            severity: 'critical',
            ...at,
            message: `The lockfile downloads ${label} from ${source.host ?? 'an unknown host'}, which is neither the configured registry nor the public one (${[...allowed].join(', ')}): the classic shape of a tampered lockfile, which installs different code than the registry serves.`,
          },
        ],
      };
    case 'url':
      if (source.host && allowed.has(source.host)) return FROM_REGISTRY;
      return bypass(`a direct URL (${source.host ?? resolved})`);
    case 'git':
      return bypass(`a git repository${source.host ? ` on ${source.host}` : ''}`);
    case 'local-archive':
      return bypass('an archive committed to the repository');
    case 'local-folder':
      // A folder inside the repository (`-e .`, a workspace) is code the PR diff itself shows;
      // there is nothing to download, and the registry's package of that name is not it.
      return leavesRepository(change.manifest.path, resolved)
        ? bypass('a folder outside the repository')
        : { findings: [], fromRegistry: false };
    default:
      return FROM_REGISTRY;
  }
}
