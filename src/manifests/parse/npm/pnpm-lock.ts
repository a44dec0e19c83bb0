import { isMap, isScalar, LineCounter, parseAllDocuments, type Document, type YAMLMap } from 'yaml';
import type { DeclaredPackage } from '../../../types.js';
import { ManifestParseError } from '../errors.js';
import { stripBom } from '../lines.js';

/** pnpm 6 and 7 write 5.3/5.4, pnpm 8 writes 6.0 (6.1 with some settings), pnpm 9 and 10 write 9.0. */
export const SUPPORTED_PNPM_LOCKFILE_VERSIONS = ['5.3', '5.4', '6.0', '6.1', '9.0'] as const;

interface PackageKey {
  name: string;
  version?: string;
}

/**
 * Splits a `packages` key into name and version for every lockfile generation:
 * `/name/1.0.0_peer@2` (5.x), `/name@1.0.0(peer@2)` (6.x), `name@1.0.0` (9.x). Keys that are not
 * registry packages (`github.com/o/r/sha`, `file:x`, `name@https://…`) give no version; the
 * entry's own `name`/`version` fields fill in.
 */
export function parsePnpmPackageKey(key: string, major: number): PackageKey {
  let path = key.replace(/\(.*$/, '');
  if (major < 9) {
    if (!path.startsWith('/')) return { name: path };
    path = path.slice(1);
  }
  if (major === 5) {
    const parts = path.split('/');
    const scoped = parts[0].startsWith('@');
    const nameParts = scoped ? 2 : 1;
    if (parts.length !== nameParts + 1) return { name: path };
    return {
      name: parts.slice(0, nameParts).join('/'),
      version: parts[nameParts].replace(/_.*$/, ''),
    };
  }
  const at = path.indexOf('@', 1);
  if (at === -1) return { name: path };
  const version = path.slice(at + 1);
  // A URL or path after the @ is a non-registry source, not a version.
  if (/[:/]/.test(version)) return { name: path.slice(0, at) };
  return { name: path.slice(0, at), version };
}

function scalarValue(map: YAMLMap, key: string): string | undefined {
  const value = map.get(key, true);
  if (!isScalar(value) || value.value === null || value.value === undefined) return undefined;
  return String(value.value);
}

/**
 * Parses pnpm-lock.yaml (lockfile versions 5.3/5.4, 6.x and 9.0): one entry per `packages` key at
 * the key's line, with the version, integrity and (for tarballs and git) the resolved source.
 */
export function parsePnpmLock(content: string): DeclaredPackage[] {
  const text = stripBom(content);
  const lineCounter = new LineCounter();
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  if (!Array.isArray(documents)) {
    throw new ManifestParseError('pnpm-lock.yaml is empty', 1);
  }
  for (const document of documents) {
    const [error] = document.errors;
    if (error) {
      throw new ManifestParseError(
        `pnpm-lock.yaml is not valid YAML: ${error.message.split('\n')[0]}`,
        lineAt(error.pos[0]),
      );
    }
  }
  // pnpm 10 may put a small environment lockfile first, as its own YAML document.
  const lockfile: Document | undefined =
    documents.filter((doc) => doc.has('packages')).pop() ??
    documents.filter((doc) => doc.has('lockfileVersion')).pop();
  if (!lockfile || !isMap(lockfile.contents)) {
    throw new ManifestParseError('pnpm-lock.yaml has no lockfileVersion', 1);
  }
  const versionNode = lockfile.get('lockfileVersion', true);
  // 5.x lockfiles write the version as a YAML number, later ones as a string.
  const rawVersion = isScalar(versionNode) ? versionNode.value : undefined;
  const lockfileVersion =
    typeof rawVersion === 'number'
      ? rawVersion.toFixed(1)
      : rawVersion === undefined || rawVersion === null
        ? undefined
        : String(rawVersion);
  const supported = `supported versions are ${SUPPORTED_PNPM_LOCKFILE_VERSIONS.join(', ')}`;
  if (
    lockfileVersion === undefined ||
    !(SUPPORTED_PNPM_LOCKFILE_VERSIONS as readonly string[]).includes(lockfileVersion)
  ) {
    throw new ManifestParseError(
      `unsupported pnpm-lock.yaml lockfileVersion ${lockfileVersion ?? '(missing)'}; ${supported}`,
      isScalar(versionNode) && versionNode.range ? lineAt(versionNode.range[0]) : 1,
    );
  }
  const major = Number(lockfileVersion.split('.')[0]);

  const packages = lockfile.get('packages', true);
  if (packages === undefined || (isScalar(packages) && packages.value === null)) return [];
  if (!isMap(packages)) {
    throw new ManifestParseError('pnpm-lock.yaml "packages" is not a mapping', 1);
  }
  const declared: DeclaredPackage[] = [];
  for (const pair of packages.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const line = lineAt(pair.key.range?.[0] ?? 0);
    if (!isMap(pair.value)) {
      throw new ManifestParseError(`pnpm-lock.yaml package "${key}" is not a mapping`, line);
    }
    const entry = pair.value;
    const fromKey = parsePnpmPackageKey(key, major);
    const name = scalarValue(entry, 'name') ?? fromKey.name;
    const version = scalarValue(entry, 'version') ?? fromKey.version;
    const resolution = entry.get('resolution', true);
    const pkg: DeclaredPackage = { ecosystem: 'npm', name, line };
    if (version !== undefined) pkg.version = version;
    else pkg.spec = '';
    if (isMap(resolution)) {
      const integrity = scalarValue(resolution, 'integrity');
      if (integrity !== undefined) pkg.integrity = integrity;
      const tarball = scalarValue(resolution, 'tarball');
      const repo = scalarValue(resolution, 'repo');
      const commit = scalarValue(resolution, 'commit');
      const directory = scalarValue(resolution, 'directory');
      if (directory !== undefined) continue; // a local folder (`file:`), nothing to download
      if (tarball !== undefined) pkg.resolved = tarball;
      else if (repo !== undefined) pkg.resolved = commit ? `${repo}#${commit}` : repo;
    }
    declared.push(pkg);
  }
  return declared;
}
