import type { Ecosystem, Finding, ManifestFormat } from '../../types.js';
import type { RegistrySetting } from '../parse/registry-settings.js';
import { allowedHosts, type RegistryHosts } from './hosts.js';
import { NEW_PACKAGE_INDEX } from './rules.js';

const ECOSYSTEM_OF: Partial<Record<ManifestFormat, Ecosystem>> = {
  requirements: 'pypi',
  pyproject: 'pypi',
  pipfile: 'pypi',
  npmrc: 'npm',
  yarnrc: 'npm',
};

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Registry settings the head side of a file adds: a new `--extra-index-url`, a new scoped
 * registry. An installer that looks in a second place for a name picks whichever copy it likes
 * (pip takes the highest version across indexes), so a public package named like a private one
 * wins: dependency confusion. Settings pointing at the public default or the configured registry
 * are not new places.
 */
export function newPackageIndexes(
  path: string,
  format: ManifestFormat,
  base: readonly RegistrySetting[],
  head: readonly RegistrySetting[],
  registries: RegistryHosts,
): Finding[] {
  const ecosystem = ECOSYSTEM_OF[format];
  const allowed = ecosystem ? allowedHosts(registries, ecosystem) : new Set<string>();
  const before = new Set(base.map((s) => `${s.setting}\u0000${s.url}`));
  return head
    .filter((s) => !before.has(`${s.setting}\u0000${s.url}`))
    .filter((s) => {
      const host = hostOf(s.url);
      return host === undefined || !allowed.has(host);
    })
    .map((s) => ({
      rule: NEW_PACKAGE_INDEX,
      severity: 'high' as const,
      file: path,
      line: s.line,
      message: `This PR adds a package source (${s.setting}): packages can now come from ${hostOf(s.url) ?? s.url} as well. Installers pick a name from whichever source offers it (pip takes the highest version across indexes), so a package published there under an internal name wins (dependency confusion).`,
      evidence: `${s.setting} ${s.url}`,
    }));
}
