import type { Ecosystem, Finding } from '../types.js';
import { packageHistory } from './history.js';
import { normalizeName } from './popular.js';

/** Versions this high are what dependency-confusion probes publish to win "highest version". */
const PROBE_MAJOR = 99;
/** A real project that reaches such a version has a long release history. */
const FEW_RELEASES = 5;

/** Hosts of the public indexes; a name that should be internal must not resolve there. */
const PUBLIC_INDEX_HOSTS = new Set([
  'registry.npmjs.org',
  'registry.npmjs.com',
  'registry.yarnpkg.com',
  'pypi.org',
  'pypi.python.org',
  'files.pythonhosted.org',
]);

/** True when a registry URL or resolved download URL points at a public index. */
export function isPublicIndex(url: string): boolean {
  try {
    return PUBLIC_INDEX_HOSTS.has(new URL(url).hostname.toLowerCase());
  } catch {
    return false;
  }
}

/**
 * Calendar versions (2024.1.0, 20240101) are high by design: they are dates, not probes.
 */
function isCalendarMajor(major: number): boolean {
  return (major >= 1990 && major <= 2100) || (major >= 19_900_101 && major <= 21_001_231);
}

export function probeMajor(version: string): number | undefined {
  const match = /^v?(\d+)(?:[.\-+]|$)/.exec(version.trim());
  if (!match) return undefined;
  const major = Number(match[1]);
  return major >= PROBE_MAJOR && !isCalendarMajor(major) ? major : undefined;
}

/**
 * The `internal-prefixes` setting: each entry is an npm scope (`@acme` or `@acme/*`), a name
 * prefix (`acme-*`, or any entry ending in `-`, `_` or `.`), or an exact name; an optional
 * `npm:` or `pypi:` in front limits it to one ecosystem. Returns the entry that matched.
 */
export function matchInternalName(
  ecosystem: Ecosystem,
  name: string,
  internalPrefixes: readonly string[],
): string | undefined {
  const normalized = normalizeName(ecosystem, name);
  for (const raw of internalPrefixes) {
    let entry = raw.trim();
    const tagged = /^(npm|pypi):(.*)$/i.exec(entry);
    if (tagged) {
      if (tagged[1].toLowerCase() !== ecosystem) continue;
      entry = tagged[2].trim();
    }
    if (!entry) continue;
    if (entry.startsWith('@')) {
      if (ecosystem !== 'npm') continue;
      const scope = entry.replace(/\/\*?$/, '').toLowerCase();
      if (normalized.startsWith(`${scope}/`)) return raw;
      continue;
    }
    const isPrefix = entry.endsWith('*') || /[-_.]$/.test(entry);
    const pattern = normalizeName(ecosystem, entry.replace(/\*$/, ''));
    if (isPrefix ? normalized.startsWith(pattern) : normalized === pattern) return raw;
  }
  return undefined;
}

export interface ConfusionInput {
  ecosystem: Ecosystem;
  name: string;
  version: string;
  /** Registry metadata (see `HistoryInput.metadata`); gives the number of releases. */
  metadata?: unknown;
  /** Names or scopes that must only come from the private registry. */
  internalPrefixes?: readonly string[];
  /** The package was resolved from a public index (see {@link isPublicIndex}). */
  fromPublicIndex: boolean;
}

/** Dependency-confusion probes: a probe-style version, or an internal name served publicly. */
export function dependencyConfusionSignals(input: ConfusionInput): Finding[] {
  const findings: Finding[] = [];
  const major = probeMajor(input.version);
  const releases =
    input.metadata === undefined
      ? undefined
      : packageHistory({ ecosystem: input.ecosystem, metadata: input.metadata })?.releases;
  if (major !== undefined && releases !== undefined && releases.length <= FEW_RELEASES) {
    findings.push({
      rule: 'dependency-confusion-version',
      severity: 'high',
      file: '',
      line: 0,
      message: `${input.name}@${input.version} has a very high version on a package with only ${releases.length} release${releases.length === 1 ? '' : 's'}: dependency-confusion attacks publish such versions so that installers prefer them over an internal package of the same name.`,
      evidence: `version ${input.version}; releases: ${releases.map((r) => r.version).join(', ')}`,
    });
  }
  const internal = input.fromPublicIndex
    ? matchInternalName(input.ecosystem, input.name, input.internalPrefixes ?? [])
    : undefined;
  if (internal !== undefined) {
    findings.push({
      rule: 'dependency-confusion-internal',
      severity: 'high',
      file: '',
      line: 0,
      message: `${input.name} matches the internal name pattern \`${internal}\` but was resolved from the public index: someone may have published your internal package name to take over installs.`,
      evidence: `internal-prefixes entry ${internal}; resolved publicly`,
    });
  }
  return findings;
}
