import type { DeclaredPackage } from '../../../types.js';
import { ManifestParseError } from '../errors.js';
import {
  isJsonObject,
  jsonKeyLines,
  keyPath,
  parseJsonDocument,
  stringField,
  type JsonDocument,
  type JsonObject,
} from './json.js';

export const SUPPORTED_LOCKFILE_VERSIONS = [1, 2, 3] as const;

const NODE_MODULES = 'node_modules/';

/**
 * Parses package-lock.json / npm-shrinkwrap.json (lockfileVersion 1, 2 and 3) into one entry per
 * installed package, at the line of the entry's key, with the lockfile's version, integrity and
 * resolved URL. Nested copies (`node_modules/a/node_modules/b`) are separate entries.
 */
export function parsePackageLock(content: string): DeclaredPackage[] {
  const document = parseJsonDocument(content, 'package-lock');
  const { root } = document;
  const lockfileVersion = root.lockfileVersion;
  const supported = `supported versions are ${SUPPORTED_LOCKFILE_VERSIONS.join(', ')}`;
  const topLines = () => jsonKeyLines(document, (parents) => parents.length === 0);

  if (lockfileVersion === undefined) {
    // npm 5 and 6 shrinkwraps sometimes omit the field; their shape is the v1 tree.
    if (root.dependencies !== undefined) return fromDependencyTree(document);
    throw new ManifestParseError(`package-lock has no lockfileVersion; ${supported}`, 1);
  }
  if (!(SUPPORTED_LOCKFILE_VERSIONS as readonly unknown[]).includes(lockfileVersion)) {
    throw new ManifestParseError(
      `unsupported package-lock lockfileVersion ${JSON.stringify(lockfileVersion)}; ${supported}`,
      topLines().get('lockfileVersion'),
    );
  }
  if (lockfileVersion === 1) return fromDependencyTree(document);

  const packages = root.packages;
  if (!isJsonObject(packages)) {
    throw new ManifestParseError(
      `package-lock lockfileVersion ${lockfileVersion} must have a "packages" object`,
      topLines().get('packages') ?? 1,
    );
  }
  const lines = jsonKeyLines(
    document,
    (parents) => parents.length === 1 && parents[0] === 'packages',
  );
  const declared: DeclaredPackage[] = [];
  for (const [key, entry] of Object.entries(packages)) {
    const at = key.lastIndexOf(NODE_MODULES);
    // '' is the project itself; other keys without node_modules/ are workspace folders.
    if (at === -1) continue;
    const line = lines.get(keyPath(['packages'], key)) ?? 1;
    if (!isJsonObject(entry)) {
      throw new ManifestParseError(`package-lock entry "${key}" is not an object`, line);
    }
    if (entry.link === true) continue;
    const name = stringField(entry, 'name') ?? key.slice(at + NODE_MODULES.length);
    declared.push(
      declaredPackage(name, entry, line, {
        version: stringField(entry, 'version'),
        resolved: stringField(entry, 'resolved'),
      }),
    );
  }
  return declared;
}

/** `dependencies`, `dependencies/x/dependencies`, … : the objects that hold v1 entries. */
function isDependencyTreePath(parents: readonly string[]): boolean {
  if (parents.length % 2 === 0) return false;
  for (let i = 0; i < parents.length; i += 2) if (parents[i] !== 'dependencies') return false;
  return true;
}

/** lockfileVersion 1: a `dependencies` tree, nested where npm could not hoist a copy. */
function fromDependencyTree(document: JsonDocument): DeclaredPackage[] {
  const lines = jsonKeyLines(document, isDependencyTreePath);
  const declared: DeclaredPackage[] = [];
  const walk = (dependencies: unknown, parents: string[]): void => {
    if (!isJsonObject(dependencies)) return;
    for (const [key, entry] of Object.entries(dependencies)) {
      const line = lines.get(keyPath(parents, key)) ?? 1;
      if (!isJsonObject(entry)) {
        throw new ManifestParseError(`package-lock dependency "${key}" is not an object`, line);
      }
      const nested = [...parents, key, 'dependencies'];
      let name = key;
      let version = stringField(entry, 'version');
      // `file:` links and workspace symlinks are local folders with nothing to download.
      if (version?.startsWith('file:')) {
        walk(entry.dependencies, nested);
        continue;
      }
      let resolved = stringField(entry, 'resolved');
      // v1 writes aliases as `"version": "npm:real-name@1.2.3"`.
      const alias = version ? /^npm:((?:@[^/@]+\/)?[^@]+)@(.+)$/.exec(version) : null;
      if (alias) [, name, version] = alias;
      // v1 puts a git or tarball URL where the version would be.
      else if (version && /^[a-z+]+:/i.test(version) && !/^\d/.test(version)) {
        resolved = resolved ?? version;
        version = undefined;
      }
      declared.push(declaredPackage(name, entry, line, { version, resolved }));
      walk(entry.dependencies, nested);
    }
  };
  walk(document.root.dependencies, ['dependencies']);
  return declared;
}

function declaredPackage(
  name: string,
  entry: JsonObject,
  line: number,
  fields: { version?: string; resolved?: string },
): DeclaredPackage {
  const declared: DeclaredPackage = { ecosystem: 'npm', name, line };
  if (fields.version !== undefined) declared.version = fields.version;
  else declared.spec = '';
  const integrity = stringField(entry, 'integrity');
  if (integrity !== undefined) declared.integrity = integrity;
  if (fields.resolved !== undefined) declared.resolved = fields.resolved;
  return declared;
}
