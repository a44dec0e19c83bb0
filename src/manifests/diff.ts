import { compare as comparePep440, valid as validPep440 } from '@renovatebot/pep440';
import semver from 'semver';
import type { DeclaredPackage, Ecosystem, PackageChange, ParsedManifest } from '../types.js';
import { normalizePythonName } from './names.js';
import { diffSources } from './sources.js';

/**
 * A declared package that came from another file than the one being diffed: a requirements file
 * pulled in with `-r`/`-c`. Its changes point at that file, where the line is.
 */
export interface LocatedPackage extends DeclaredPackage {
  file?: string;
}

/** The dependency file a package's line belongs to. */
export function fileOf(pkg: DeclaredPackage, fallback: string): string {
  return (pkg as LocatedPackage).file ?? fallback;
}

/** Orders two versions of one ecosystem; versions the scheme cannot read fall back to text order. */
export function compareVersions(ecosystem: Ecosystem, a: string, b: string): number {
  if (ecosystem === 'npm') {
    const left = semver.valid(a, { loose: true });
    const right = semver.valid(b, { loose: true });
    if (left && right) return semver.compare(left, right, { loose: true });
  } else if (validPep440(a) && validPep440(b)) {
    return comparePep440(a, b);
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The identity under which two entries are the same package: PyPI names are PEP 503-normalised. */
export function packageKey(pkg: Pick<DeclaredPackage, 'ecosystem' | 'name'>): string {
  const name = pkg.ecosystem === 'pypi' ? normalizePythonName(pkg.name) : pkg.name;
  return `${pkg.ecosystem}:${name}`;
}

interface PackageGroup {
  /** Pinned versions, each with its first entry (lowest line) in the file. */
  pinned: Map<string, DeclaredPackage>;
  /** Unpinned entries (ranges, URLs, editables), keyed by what they declare. */
  unpinned: Map<string, DeclaredPackage>;
}

function unpinnedKey(pkg: DeclaredPackage): string {
  return `${pkg.spec ?? ''}\u0000${pkg.resolved ?? ''}`;
}

function groupPackages(manifest: ParsedManifest | undefined): Map<string, PackageGroup> {
  const groups = new Map<string, PackageGroup>();
  for (const pkg of manifest?.packages ?? []) {
    const key = packageKey(pkg);
    let group = groups.get(key);
    if (!group) {
      group = { pinned: new Map(), unpinned: new Map() };
      groups.set(key, group);
    }
    const bucket = pkg.version !== undefined ? group.pinned : group.unpinned;
    const bucketKey = pkg.version !== undefined ? pkg.version : unpinnedKey(pkg);
    const existing = bucket.get(bucketKey);
    if (!existing || pkg.line < existing.line) bucket.set(bucketKey, pkg);
  }
  return groups;
}

function changeFrom(
  pkg: DeclaredPackage,
  path: string,
  fields: Pick<PackageChange, 'change' | 'version'> & { from?: string },
): PackageChange {
  const change: PackageChange = {
    ecosystem: pkg.ecosystem,
    name: pkg.name,
    version: fields.version,
    change: fields.change,
    manifest: { path: fileOf(pkg, path), line: pkg.line },
  };
  if (pkg.spec !== undefined && pkg.version === undefined) change.spec = pkg.spec;
  if (fields.from !== undefined) change.from = fields.from;
  if (pkg.integrity !== undefined) change.integrity = pkg.integrity;
  if (pkg.resolved !== undefined) change.resolved = pkg.resolved;
  if (pkg.hashes !== undefined) change.hashes = [...pkg.hashes];
  return change;
}

/**
 * The package changes between two versions of one dependency file. `base` undefined means the PR
 * adds the file, `head` undefined that it deletes it. A version already present in base is never
 * reported again (a copy at a new nested path is not a new download), unless its recorded source
 * changed (another resolved URL, integrity or hashes): that is a `source-changed` change, since
 * the artifact may differ, with the old and new source in `sourceChange`.
 */
export function diffManifests(
  base: ParsedManifest | undefined,
  head: ParsedManifest | undefined,
): PackageChange[] {
  const headPath = head?.path ?? base?.path ?? '';
  const basePath = base?.path ?? headPath;
  const baseGroups = groupPackages(base);
  const headGroups = groupPackages(head);
  const changes: PackageChange[] = [];

  for (const [key, headGroup] of headGroups) {
    const baseGroup = baseGroups.get(key);
    const ecosystem = key.slice(0, key.indexOf(':')) as Ecosystem;
    const order = (a: string, b: string) => compareVersions(ecosystem, a, b);
    const baseVersions = [...(baseGroup?.pinned.keys() ?? [])].sort(order);
    const goneVersions = baseVersions.filter((version) => !headGroup.pinned.has(version));

    for (const [version, pkg] of headGroup.pinned) {
      if (baseGroup?.pinned.has(version)) continue;
      if (baseVersions.length === 0) {
        changes.push(changeFrom(pkg, headPath, { change: 'added', version }));
        continue;
      }
      // Pair the new version with a version that disappeared first (the copy it replaced); a
      // version that stayed only explains the change when nothing disappeared.
      const lowerGone = goneVersions.filter((v) => order(v, version) < 0);
      const higherGone = goneVersions.filter((v) => order(v, version) > 0);
      const lowerBase = baseVersions.filter((v) => order(v, version) < 0);
      if (lowerGone.length > 0) {
        changes.push(
          changeFrom(pkg, headPath, { change: 'bumped', version, from: lowerGone.at(-1) }),
        );
      } else if (higherGone.length > 0) {
        changes.push(
          changeFrom(pkg, headPath, { change: 'downgraded', version, from: higherGone[0] }),
        );
      } else if (lowerBase.length > 0) {
        changes.push(
          changeFrom(pkg, headPath, { change: 'bumped', version, from: lowerBase.at(-1) }),
        );
      } else {
        changes.push(
          changeFrom(pkg, headPath, { change: 'downgraded', version, from: baseVersions[0] }),
        );
      }
    }

    for (const [unpinned, pkg] of headGroup.unpinned) {
      if (baseGroup?.unpinned.has(unpinned)) continue;
      // A range cannot be ordered against the old one until the fetch stage resolves it.
      const nameExisted = baseGroup !== undefined;
      changes.push(
        changeFrom(pkg, headPath, {
          change: nameExisted ? 'bumped' : 'added',
          version: '',
          from: baseVersions[baseVersions.length - 1],
        }),
      );
    }
  }

  for (const [key, baseGroup] of baseGroups) {
    if (headGroups.has(key)) continue;
    for (const [version, pkg] of baseGroup.pinned) {
      changes.push(changeFrom(pkg, basePath, { change: 'removed', version, from: version }));
    }
    for (const pkg of baseGroup.unpinned.values()) {
      changes.push(changeFrom(pkg, basePath, { change: 'removed', version: '' }));
    }
  }

  for (const moved of diffSources(base, head)) {
    const change: PackageChange = {
      ecosystem: moved.ecosystem,
      name: moved.name,
      version: moved.version,
      from: moved.version,
      change: 'source-changed',
      manifest: moved.manifest,
      sourceChange: { from: moved.from, to: moved.to, fields: moved.fields },
    };
    if (moved.to.integrity !== undefined) change.integrity = moved.to.integrity;
    if (moved.to.resolved !== undefined) change.resolved = moved.to.resolved;
    if (moved.to.hashes !== undefined) change.hashes = [...moved.to.hashes];
    changes.push(change);
  }

  return changes.sort(
    (a, b) =>
      compareText(a.manifest.path, b.manifest.path) ||
      a.manifest.line - b.manifest.line ||
      compareText(a.name, b.name) ||
      compareText(a.version, b.version),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
