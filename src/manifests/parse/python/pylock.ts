import type { DeclaredPackage } from '../../../types.js';
import { ManifestParseError } from '../errors.js';
import {
  packageTableLines,
  parseTomlDocument,
  tomlString,
  tomlTable,
  tomlTables,
  type TomlTable,
} from './toml.js';

/** PEP 751 lock-version; readers must accept 1.x and refuse a newer major. */
export const SUPPORTED_PYLOCK_MAJOR = 1;

function hashesOfTables(tables: TomlTable[]): string[] {
  const hashes = new Set<string>();
  for (const table of tables) {
    const values = tomlTable(table, 'hashes') ?? {};
    for (const [algorithm, hex] of Object.entries(values)) {
      if (typeof hex === 'string' && /^[0-9a-f]+$/i.test(hex)) {
        hashes.add(`${algorithm.toLowerCase()}:${hex.toLowerCase()}`);
      }
    }
  }
  return [...hashes];
}

/**
 * Parses a PEP 751 lockfile (`pylock.toml`, `pylock.<name>.toml`): one entry per `[[packages]]`
 * at the line of its `name`, with the hashes of its sdist, wheels or archive, and VCS/archive
 * URLs as `resolved`. Directory packages are local code and are left out.
 */
export function parsePylock(content: string): DeclaredPackage[] {
  const document = parseTomlDocument(content, 'pylock.toml');
  const lockVersion = tomlString(document, 'lock-version');
  if (!lockVersion || Number(lockVersion.split('.')[0]) !== SUPPORTED_PYLOCK_MAJOR) {
    throw new ManifestParseError(
      `unsupported pylock.toml lock-version ${lockVersion ?? '(missing)'}; supported versions are ${SUPPORTED_PYLOCK_MAJOR}.x (PEP 751)`,
      1,
    );
  }
  const lines = packageTableLines(content, '[[packages]]');
  const declared: DeclaredPackage[] = [];
  tomlTables(document, 'packages').forEach((table, index) => {
    const line = lines[index] ?? 1;
    const name = tomlString(table, 'name');
    if (!name) throw new ManifestParseError('pylock.toml [[packages]] without a name', line);
    if (tomlTable(table, 'directory')) return;
    const pkg: DeclaredPackage = { ecosystem: 'pypi', name, line };
    const version = tomlString(table, 'version');
    if (version !== undefined) pkg.version = version;
    else pkg.spec = '';
    const sdist = tomlTable(table, 'sdist');
    const archive = tomlTable(table, 'archive');
    const hashes = hashesOfTables([
      ...(sdist ? [sdist] : []),
      ...(archive ? [archive] : []),
      ...tomlTables(table, 'wheels'),
    ]);
    if (hashes.length > 0) pkg.hashes = hashes;
    const vcs = tomlTable(table, 'vcs');
    if (vcs) {
      const url = tomlString(vcs, 'url') ?? tomlString(vcs, 'path') ?? '';
      const commit = tomlString(vcs, 'commit-id');
      pkg.resolved = `${tomlString(vcs, 'type') ?? 'git'}+${url}${commit ? `@${commit}` : ''}`;
    } else if (archive) {
      const url = tomlString(archive, 'url') ?? tomlString(archive, 'path');
      if (url !== undefined) pkg.resolved = url;
    } else {
      // PEP 751 `index`: the index the package came from; PyPI's is the default, others matter.
      const index = tomlString(table, 'index');
      if (index !== undefined && !/^https:\/\/pypi\.org\/simple\/?$/.test(index)) {
        pkg.resolved = index;
      }
    }
    declared.push(pkg);
  });
  return declared;
}
