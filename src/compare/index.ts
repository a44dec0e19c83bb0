import { severityRank, type Finding } from '../types.js';

/**
 * Where a file sits relative to its package root: `evil-1.0/setup.py` and `evil-1.1/setup.py`
 * are the same file across versions, as are `package/index.js` in two npm tarballs.
 */
export function versionlessPath(path: string): string {
  const slash = path.indexOf('/');
  if (slash < 0) return path;
  const first = path.slice(0, slash);
  // Wheels have no wrapper folder, but `name-version.dist-info/` and `name-version.data/`
  // carry the version in their name; npm tarballs use `package/`, sdists `name-version/`.
  const metadata = /^(.*?)-\d[^/]*?\.(dist-info|data|egg-info)$/.exec(first);
  if (metadata) return `${metadata[1]}.${metadata[2]}${path.slice(slash)}`;
  if (first === 'package' || /-\d[^/]*$/.test(first)) return path.slice(slash + 1);
  return path;
}

/** Evidence without the digits that change between releases (versions, line references). */
function stableEvidence(evidence: string): string {
  return evidence
    .replace(/\d+(\.\d+)*/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

function findingKey(finding: Finding): string {
  return `${finding.rule}\u0000${versionlessPath(finding.file)}\u0000${stableEvidence(finding.evidence)}`;
}

/**
 * Marks the findings of a new version that the previous version already had (same rule, same
 * file, same evidence; lines may move) at the same or a higher severity. What is left unmarked
 * is new in this version — how a hijacked maintainer account shows up in an old, trusted
 * package. A finding whose severity rose is new too: the install script that was harmless
 * before and now runs a download is not the script the previous version shipped.
 */
export function markExistingFindings(
  current: readonly Finding[],
  previous: readonly Finding[],
  previousVersion: string,
): Finding[] {
  const before = new Map<string, number>();
  for (const finding of previous) {
    const key = findingKey(finding);
    before.set(key, Math.max(before.get(key) ?? -1, severityRank(finding.severity)));
  }
  return current.map((finding) =>
    (before.get(findingKey(finding)) ?? -1) >= severityRank(finding.severity)
      ? { ...finding, alreadyIn: previousVersion }
      : finding,
  );
}
