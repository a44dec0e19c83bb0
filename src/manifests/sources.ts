import type { DeclaredPackage, Ecosystem, ManifestLocation, ParsedManifest } from '../types.js';
import type { PackageSourceRecord } from '../types.js';
import { fileOf, packageKey } from './diff.js';

/** Where one copy of a package comes from and how it is verified. */
export type PackageSource = PackageSourceRecord;

/**
 * Same name and version on both sides, but a copy in head comes from somewhere else or is
 * verified differently: the shape of a tampered lockfile. Not a download by itself; the
 * tampering checks decide what it means.
 */
export interface SourceChange {
  ecosystem: Ecosystem;
  name: string;
  version: string;
  /** The head entry that carries the new source. */
  manifest: ManifestLocation;
  from: PackageSource[];
  to: PackageSource;
  /** Which of the recorded fields changed. */
  fields: ('integrity' | 'resolved' | 'hashes')[];
}

function sourceOf(pkg: DeclaredPackage): PackageSource {
  const source: PackageSource = {};
  if (pkg.integrity !== undefined) source.integrity = pkg.integrity;
  if (pkg.resolved !== undefined) source.resolved = pkg.resolved;
  if (pkg.hashes !== undefined) source.hashes = [...pkg.hashes].sort();
  return source;
}

function byVersion(manifest: ParsedManifest | undefined): Map<string, DeclaredPackage[]> {
  const result = new Map<string, DeclaredPackage[]>();
  for (const pkg of manifest?.packages ?? []) {
    if (pkg.version === undefined) continue;
    const key = `${packageKey(pkg)}@${pkg.version}`;
    const list = result.get(key);
    if (list) list.push(pkg);
    else result.set(key, [pkg]);
  }
  return result;
}

/**
 * Copies whose version stayed but whose integrity, resolved URL or hashes differ from every base
 * copy of that version. A field is compared when both sides record it (lockfile generations differ
 * in what they write: npm 11 omits `resolved`), except that losing an integrity or the hashes
 * counts (it removes the check on the download), and so does gaining a source in the formats that
 * record one only for packages off the default registry (uv, pylock, Poetry, pnpm, bun, Yarn). Nested copies are compared one by one, since
 * tampering with one of them is enough.
 */
export function diffSources(
  base: ParsedManifest | undefined,
  head: ParsedManifest | undefined,
): SourceChange[] {
  if (!base || !head) return [];
  const baseCopies = byVersion(base);
  // Most formats record a source only when it is not the default registry, so gaining one is a
  // move; package-lock.json leaves `resolved` out by configuration or npm version, so there only
  // a different recorded URL counts.
  const absentMeansRegistry = head.format !== 'package-lock';
  const changes: SourceChange[] = [];
  for (const [key, headCopies] of byVersion(head)) {
    const before = baseCopies.get(key);
    if (!before) continue;
    const from = before.map(sourceOf);
    const seen = new Set<string>();
    for (const pkg of headCopies) {
      const to = sourceOf(pkg);
      const fields: SourceChange['fields'] = [];
      const integrities = from.map((s) => s.integrity).filter((v) => v !== undefined);
      if (
        to.integrity !== undefined &&
        integrities.length > 0 &&
        !integrities.includes(to.integrity)
      ) {
        fields.push('integrity');
      } else if (to.integrity === undefined && integrities.length > 0) fields.push('integrity');
      const urls = from.map((s) => s.resolved).filter((v) => v !== undefined);
      if (to.resolved !== undefined && urls.length > 0 && !urls.includes(to.resolved)) {
        fields.push('resolved');
      } else if (to.resolved !== undefined && urls.length === 0 && absentMeansRegistry) {
        fields.push('resolved');
      }
      const hashSets = from.filter((s) => s.hashes).map((s) => s.hashes!.join(' '));
      if (hashSets.length > 0 && !hashSets.includes((to.hashes ?? []).join(' '))) {
        fields.push('hashes');
      }
      if (fields.length === 0) continue;
      const signature = JSON.stringify(to);
      if (seen.has(signature)) continue;
      seen.add(signature);
      changes.push({
        ecosystem: pkg.ecosystem,
        name: pkg.name,
        version: pkg.version!,
        manifest: { path: fileOf(pkg, head.path), line: pkg.line },
        from,
        to,
        fields,
      });
    }
  }
  return changes.sort(
    (a, b) => a.manifest.line - b.manifest.line || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}
