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

/** PDM 2 writes `lock_version` 4.x; the `[[package]]` shape has been stable across 4.0–4.5. */
export const SUPPORTED_PDM_LOCK_MAJOR = 4;

/**
 * Parses pdm.lock: one entry per `[[package]]` at the line of its `name`, with the file hashes,
 * and git/URL sources as `resolved`. Local and editable packages are the project's own code.
 */
export function parsePdmLock(content: string): DeclaredPackage[] {
  const document = parseTomlDocument(content, 'pdm.lock');
  const metadata = tomlTable(document, 'metadata');
  const lockVersion = metadata && tomlString(metadata, 'lock_version');
  if (!lockVersion || Number(lockVersion.split('.')[0]) !== SUPPORTED_PDM_LOCK_MAJOR) {
    throw new ManifestParseError(
      `unsupported pdm.lock lock_version ${lockVersion ?? '(missing)'}; supported versions are ${SUPPORTED_PDM_LOCK_MAJOR}.x`,
    );
  }
  const lines = packageTableLines(content);
  const declared: DeclaredPackage[] = [];
  tomlTables(document, 'package').forEach((table, index) => {
    const line = lines[index] ?? 1;
    const name = tomlString(table, 'name');
    if (!name) throw new ManifestParseError('pdm.lock [[package]] without a name', line);
    if (tomlString(table, 'path') !== undefined || table.editable === true) return;
    const pkg: DeclaredPackage = { ecosystem: 'pypi', name, line };
    const version = tomlString(table, 'version');
    if (version !== undefined) pkg.version = version;
    else pkg.spec = '';
    const hashes = hashesOf(tomlTables(table, 'files'));
    if (hashes.length > 0) pkg.hashes = hashes;
    const git = tomlString(table, 'git');
    const revision = tomlString(table, 'revision');
    const url = tomlString(table, 'url');
    if (git !== undefined) pkg.resolved = revision ? `git+${git}@${revision}` : git;
    else if (url !== undefined) pkg.resolved = url;
    declared.push(pkg);
  });
  return declared;
}
