import { posix } from 'node:path';
import type { Ecosystem, ManifestFormat, PackageChange, ParsedManifest } from '../types.js';
import { packageKey } from './diff.js';
import { detectManifestFormat } from './discover.js';

/** Formats that record what gets installed, as opposed to what a project asks for. */
const LOCKFILE_ECOSYSTEM: Partial<Record<ManifestFormat, Ecosystem>> = {
  'package-lock': 'npm',
  'yarn-lock': 'npm',
  'pnpm-lock': 'npm',
  'bun-lock': 'npm',
  'poetry-lock': 'pypi',
  'uv-lock': 'pypi',
  'pipfile-lock': 'pypi',
  'pdm-lock': 'pypi',
  pylock: 'pypi',
};

/** Declaring manifests that a lockfile beside (or above, for workspaces) them overrides. */
const LOCKED_MANIFEST_ECOSYSTEM: Partial<Record<ManifestFormat, Ecosystem>> = {
  'package-json': 'npm',
  pyproject: 'pypi',
  pipfile: 'pypi',
};

export function isLockfileFormat(format: ManifestFormat): boolean {
  return LOCKFILE_ECOSYSTEM[format] !== undefined;
}

function folderOf(path: string): string {
  const folder = posix.dirname(path.replace(/\\/g, '/'));
  return folder === '.' ? '' : folder;
}

export function governs(lockfilePath: string, manifestPath: string): boolean {
  const lockFolder = folderOf(lockfilePath);
  const manifestFolder = folderOf(manifestPath);
  return (
    lockFolder === '' ||
    manifestFolder === lockFolder ||
    manifestFolder.startsWith(`${lockFolder}/`)
  );
}

/**
 * Where a lockfile decides the versions, a range change in the manifest beside it says nothing
 * new: the lockfile's own changes (exact versions, transitive packages, integrity) are the ones to
 * scan. Drops each package.json change whose name a lockfile of the same change set, in the same
 * folder or a folder above it (workspaces), lists; keeps the rest, which a fresh install would
 * resolve against the registry. `manifests` are the parsed dependency files of the change (the
 * head side, or the base side of a deleted file).
 */
export function dropChangesDecidedByLockfiles(
  changes: readonly PackageChange[],
  manifests: readonly ParsedManifest[],
): PackageChange[] {
  const formatByPath = new Map(manifests.map((m) => [m.path, m.format]));
  const lockfiles = manifests
    .filter((m) => isLockfileFormat(m.format))
    .map((m) => ({
      path: m.path,
      ecosystem: LOCKFILE_ECOSYSTEM[m.format],
      keys: new Set(m.packages.map(packageKey)),
    }));
  return changes.filter((change) => {
    const format =
      formatByPath.get(change.manifest.path) ?? detectManifestFormat(change.manifest.path);
    const ecosystem = format && LOCKED_MANIFEST_ECOSYSTEM[format];
    if (!ecosystem) return true;
    const deciding = lockfiles.filter(
      (lock) => lock.ecosystem === ecosystem && governs(lock.path, change.manifest.path),
    );
    if (deciding.length === 0) return true;
    if (change.change === 'removed') return false;
    return !deciding.some((lock) => lock.keys.has(packageKey(change)));
  });
}
