import type { DeclaredPackage } from '../../../types.js';
import { ManifestParseError } from '../errors.js';
import { isJsonObject, jsonKeyLines, keyPath, parseJsonDocument } from './json.js';

/** bun 1.2 writes 1 (its first text-lockfile releases wrote 0), bun 1.4 writes 2; entries share one shape. */
export const SUPPORTED_BUN_LOCKFILE_VERSIONS = [0, 1, 2] as const;

// Resolutions inside the repository: nothing is downloaded for them.
const LOCAL = /^(workspace|link|file|root):/;

/**
 * Parses bun.lock (the text lockfile, JSONC with trailing commas). Each `packages` entry is an
 * array whose first element is `name@resolution`: a registry version (then a registry URL, ''
 * for the default, metadata and the integrity follow), or a git/tarball source. Keys like
 * `debug/ms` are nested copies; the line is the key's.
 */
export function parseBunLock(content: string): DeclaredPackage[] {
  const document = parseJsonDocument(content, 'bun.lock', { jsonc: true });
  const { root } = document;
  const lines = jsonKeyLines(
    document,
    (parents) => parents.length === 0 || (parents.length === 1 && parents[0] === 'packages'),
  );
  const version = root.lockfileVersion;
  if (!(SUPPORTED_BUN_LOCKFILE_VERSIONS as readonly unknown[]).includes(version)) {
    throw new ManifestParseError(
      `unsupported bun.lock lockfileVersion ${version === undefined ? '(missing)' : JSON.stringify(version)}; supported versions are ${SUPPORTED_BUN_LOCKFILE_VERSIONS.join(', ')}`,
      lines.get('lockfileVersion') ?? 1,
    );
  }
  const packages = root.packages ?? {};
  if (!isJsonObject(packages)) {
    throw new ManifestParseError('bun.lock "packages" is not an object', lines.get('packages'));
  }
  const declared: DeclaredPackage[] = [];
  for (const [key, entry] of Object.entries(packages)) {
    const line = lines.get(keyPath(['packages'], key)) ?? 1;
    const ident = Array.isArray(entry) ? entry[0] : undefined;
    if (typeof ident !== 'string') {
      throw new ManifestParseError(
        `bun.lock package "${key}" must be an array starting with "name@resolution"`,
        line,
      );
    }
    const at = ident.indexOf('@', 1);
    if (at === -1) {
      throw new ManifestParseError(`bun.lock package "${key}" has no resolution: "${ident}"`, line);
    }
    const name = ident.slice(0, at);
    const resolution = ident.slice(at + 1);
    if (LOCAL.test(resolution)) continue;
    const pkg: DeclaredPackage = { ecosystem: 'npm', name, line };
    const entries = entry as unknown[];
    if (/^\d/.test(resolution)) {
      pkg.version = resolution;
      const registry = entries[1];
      if (typeof registry === 'string' && registry !== '') pkg.resolved = registry;
      const integrity = entries[3];
      if (typeof integrity === 'string' && integrity !== '') pkg.integrity = integrity;
    } else {
      // git, github: and tarball URLs name their own source.
      pkg.spec = '';
      pkg.resolved = resolution;
    }
    declared.push(pkg);
  }
  return declared;
}
