import type { DeclaredPackage } from '../../../types.js';
import { ManifestParseError } from '../errors.js';
import {
  hashesOf,
  packageTableLines,
  parseTomlDocument,
  tomlString,
  tomlTable,
  tomlTables,
} from './toml.js';

/** uv writes `version = 1` (with an optional `revision`) since uv 0.3. */
export const SUPPORTED_UV_LOCK_VERSIONS = [1] as const;

const PYPI_SIMPLE = /^https:\/\/pypi\.org\/simple\/?$/;

// Sources inside the repository: the project itself, workspace members, local folders.
const LOCAL_SOURCES = ['editable', 'virtual', 'directory', 'path'];

/**
 * Parses uv.lock: one entry per `[[package]]` at the line of its `name`, with the sdist and wheel
 * hashes, and the source URL for git, direct-URL and non-PyPI registry packages. The project and other local
 * packages are left out: nothing is downloaded for them.
 */
export function parseUvLock(content: string): DeclaredPackage[] {
  const document = parseTomlDocument(content, 'uv.lock');
  const version = document.version;
  if (!(SUPPORTED_UV_LOCK_VERSIONS as readonly unknown[]).includes(version)) {
    throw new ManifestParseError(
      `unsupported uv.lock version ${version === undefined ? '(missing)' : String(version)}; supported versions are ${SUPPORTED_UV_LOCK_VERSIONS.join(', ')}`,
      1,
    );
  }
  const lines = packageTableLines(content);
  const declared: DeclaredPackage[] = [];
  tomlTables(document, 'package').forEach((table, index) => {
    const line = lines[index] ?? 1;
    const name = tomlString(table, 'name');
    if (!name) throw new ManifestParseError('uv.lock [[package]] without a name', line);
    const source = tomlTable(table, 'source') ?? {};
    if (LOCAL_SOURCES.some((key) => key in source)) return;
    const pkg: DeclaredPackage = { ecosystem: 'pypi', name, line };
    const packageVersion = tomlString(table, 'version');
    if (packageVersion !== undefined) pkg.version = packageVersion;
    else pkg.spec = '';
    const sdist = tomlTable(table, 'sdist');
    const hashes = hashesOf([...(sdist ? [sdist] : []), ...tomlTables(table, 'wheels')]);
    if (hashes.length > 0) pkg.hashes = hashes;
    // A registry other than PyPI is recorded too: a lockfile that moves a package to another
    // index is the shape of dependency confusion and of lockfile tampering.
    const registry = tomlString(source, 'registry');
    const resolved =
      tomlString(source, 'git') ??
      tomlString(source, 'url') ??
      (registry !== undefined && !PYPI_SIMPLE.test(registry) ? registry : undefined);
    if (resolved !== undefined) pkg.resolved = resolved;
    declared.push(pkg);
  });
  return declared;
}
