import type { Node } from 'jsonc-parser';
import type { DeclaredPackage } from '../../../types.js';
import { ManifestParseError } from '../errors.js';
import type { LineIndex } from '../lines.js';
import { members, parseJsonDocument, property, stringProperty } from './json.js';

export const SUPPORTED_LOCKFILE_VERSIONS = [1, 2, 3] as const;

const NODE_MODULES = 'node_modules/';

/**
 * Parses package-lock.json / npm-shrinkwrap.json (lockfileVersion 1, 2 and 3) into one entry per
 * installed package, at the line of the entry's key, with the lockfile's version, integrity and
 * resolved URL. Nested copies (`node_modules/a/node_modules/b`) are separate entries.
 */
export function parsePackageLock(content: string): DeclaredPackage[] {
  const { root, lines } = parseJsonDocument(content, 'package-lock');
  const versionNode = property(root, 'lockfileVersion');
  const lockfileVersion = versionNode === undefined ? undefined : versionNode.value;
  const supported = `supported versions are ${SUPPORTED_LOCKFILE_VERSIONS.join(', ')}`;

  if (lockfileVersion === undefined) {
    // npm 5 and 6 shrinkwraps sometimes omit the field; their shape is the v1 tree.
    if (property(root, 'dependencies') !== undefined) return fromDependencyTree(root, lines);
    throw new ManifestParseError(`package-lock has no lockfileVersion; ${supported}`, 1);
  }
  if (!(SUPPORTED_LOCKFILE_VERSIONS as readonly unknown[]).includes(lockfileVersion)) {
    throw new ManifestParseError(
      `unsupported package-lock lockfileVersion ${JSON.stringify(lockfileVersion)}; ${supported}`,
      lines.lineAt(versionNode!.offset),
    );
  }
  if (lockfileVersion === 1) return fromDependencyTree(root, lines);

  const packagesNode = property(root, 'packages');
  if (packagesNode === undefined || packagesNode.type !== 'object') {
    throw new ManifestParseError(
      `package-lock lockfileVersion ${lockfileVersion} must have a "packages" object`,
      lines.lineAt((packagesNode ?? root).offset),
    );
  }
  const declared: DeclaredPackage[] = [];
  for (const [key, entry, keyOffset] of members(packagesNode)) {
    const at = key.lastIndexOf(NODE_MODULES);
    // '' is the project itself; other keys without node_modules/ are workspace folders.
    if (at === -1) continue;
    const line = lines.lineAt(keyOffset);
    if (entry.type !== 'object') {
      throw new ManifestParseError(`package-lock entry "${key}" is not an object`, line);
    }
    if (property(entry, 'link')?.value === true) continue;
    const name = stringProperty(entry, 'name') ?? key.slice(at + NODE_MODULES.length);
    declared.push(
      declaredPackage(name, entry, line, {
        version: stringProperty(entry, 'version'),
        resolved: stringProperty(entry, 'resolved'),
      }),
    );
  }
  return declared;
}

/** lockfileVersion 1: a `dependencies` tree, nested where npm could not hoist a copy. */
function fromDependencyTree(root: Node, lines: LineIndex): DeclaredPackage[] {
  const declared: DeclaredPackage[] = [];
  const walk = (dependencies: Node | undefined): void => {
    for (const [key, entry, keyOffset] of members(dependencies)) {
      const line = lines.lineAt(keyOffset);
      if (entry.type !== 'object') {
        throw new ManifestParseError(`package-lock dependency "${key}" is not an object`, line);
      }
      let name = key;
      let version = stringProperty(entry, 'version');
      // `file:` links and workspace symlinks are local folders with nothing to download.
      if (version?.startsWith('file:')) {
        walk(property(entry, 'dependencies'));
        continue;
      }
      let resolved = stringProperty(entry, 'resolved');
      // v1 writes aliases as `"version": "npm:real-name@1.2.3"`.
      const alias = version ? /^npm:((?:@[^/@]+\/)?[^@]+)@(.+)$/.exec(version) : null;
      if (alias) [, name, version] = alias;
      // v1 puts a git or tarball URL where the version would be.
      else if (version && /^[a-z+]+:/i.test(version) && !/^\d/.test(version)) {
        resolved = resolved ?? version;
        version = undefined;
      }
      declared.push(declaredPackage(name, entry, line, { version, resolved }));
      walk(property(entry, 'dependencies'));
    }
  };
  walk(property(root, 'dependencies'));
  return declared;
}

function declaredPackage(
  name: string,
  entry: Node,
  line: number,
  fields: { version?: string; resolved?: string },
): DeclaredPackage {
  const declared: DeclaredPackage = { ecosystem: 'npm', name, line };
  if (fields.version !== undefined) declared.version = fields.version;
  else declared.spec = '';
  const integrity = stringProperty(entry, 'integrity');
  if (integrity !== undefined) declared.integrity = integrity;
  if (fields.resolved !== undefined) declared.resolved = fields.resolved;
  return declared;
}
