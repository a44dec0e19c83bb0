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

/** Poetry 1.0–1.1 wrote lock-version 1.x (hashes under [metadata.files]); 1.2+ writes 2.x. */
export const SUPPORTED_POETRY_LOCK_VERSIONS = ['1.0', '1.1', '2.0', '2.1'] as const;

/**
 * Parses poetry.lock: one entry per `[[package]]` at the line of its `name`, with the version,
 * the file hashes and, for git/url/legacy-index sources, where it comes from.
 */
export function parsePoetryLock(content: string): DeclaredPackage[] {
  const document = parseTomlDocument(content, 'poetry.lock');
  const metadata = tomlTable(document, 'metadata');
  // Poetry 1.0 wrote no lock-version; its format is the one 1.1 labelled "1.1".
  const lockVersion =
    metadata &&
    (tomlString(metadata, 'lock-version') ?? (metadata['content-hash'] ? '1.0' : undefined));
  if (!(SUPPORTED_POETRY_LOCK_VERSIONS as readonly (string | undefined)[]).includes(lockVersion)) {
    throw new ManifestParseError(
      `unsupported poetry.lock lock-version ${lockVersion ?? '(missing)'}; supported versions are ${SUPPORTED_POETRY_LOCK_VERSIONS.join(', ')}`,
    );
  }
  const legacyFiles = (metadata && tomlTable(metadata, 'files')) ?? {};
  const packages = tomlTables(document, 'package');
  const lines = packageTableLines(content);
  return packages.map((table, index) => {
    const line = lines[index] ?? 1;
    const name = tomlString(table, 'name');
    const version = tomlString(table, 'version');
    if (!name || !version) {
      throw new ManifestParseError('poetry.lock [[package]] without name or version', line);
    }
    const pkg: DeclaredPackage = { ecosystem: 'pypi', name, version, line };
    const files = tomlTables(table, 'files');
    const hashes = hashesOf(files.length > 0 ? files : tomlTables(legacyFiles, name));
    if (hashes.length > 0) pkg.hashes = hashes;
    const source = tomlTable(table, 'source');
    const sourceType = source && tomlString(source, 'type');
    const url = source && tomlString(source, 'url');
    if (source && url) {
      // Git sources are pinned by the commit Poetry resolved, not by the branch or tag asked for.
      const commit = tomlString(source, 'resolved_reference');
      pkg.resolved = sourceType === 'git' && commit ? `git+${url}@${commit}` : url;
    }
    return pkg;
  });
}
