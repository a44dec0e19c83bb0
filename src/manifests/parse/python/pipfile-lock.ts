import type { DeclaredPackage } from '../../../types.js';
import { ManifestParseError } from '../errors.js';
import { isJsonObject, jsonKeyLines, keyPath, parseJsonDocument } from '../npm/json.js';

/** pipenv has written `pipfile-spec: 6` since 2018. */
export const SUPPORTED_PIPFILE_SPECS = [6] as const;

const SECTIONS = ['default', 'develop'];
const HASH = /^[a-z0-9]+:[0-9a-f]+$/i;

/**
 * Parses Pipfile.lock: every package of `default` and `develop` at the line of its key, with the
 * pinned version (`==x`), its hashes, and git/file sources as `resolved`. Editable and local path
 * packages are the project's own code and are left out.
 */
export function parsePipfileLock(content: string): DeclaredPackage[] {
  const document = parseJsonDocument(content, 'Pipfile.lock');
  const lines = jsonKeyLines(
    document,
    (parents) =>
      parents.length === 0 ||
      (parents.length === 1 && (SECTIONS.includes(parents[0]) || parents[0] === '_meta')),
  );
  const meta = document.root._meta;
  const spec = isJsonObject(meta) ? meta['pipfile-spec'] : undefined;
  if (!(SUPPORTED_PIPFILE_SPECS as readonly unknown[]).includes(spec)) {
    throw new ManifestParseError(
      `unsupported Pipfile.lock pipfile-spec ${spec === undefined ? '(missing)' : JSON.stringify(spec)}; supported versions are ${SUPPORTED_PIPFILE_SPECS.join(', ')}`,
      lines.get(keyPath(['_meta'], 'pipfile-spec')) ?? lines.get('_meta') ?? 1,
    );
  }
  const declared: DeclaredPackage[] = [];
  for (const section of SECTIONS) {
    const packages = document.root[section];
    if (!isJsonObject(packages)) continue;
    for (const [name, entry] of Object.entries(packages)) {
      const line = lines.get(keyPath([section], name)) ?? 1;
      if (!isJsonObject(entry)) {
        throw new ManifestParseError(`Pipfile.lock ${section}["${name}"] is not an object`, line);
      }
      if (entry.path !== undefined || entry.editable === true) continue;
      const pkg: DeclaredPackage = { ecosystem: 'pypi', name, line };
      const version = entry.version;
      if (typeof version === 'string' && /^===?[^=]/.test(version)) {
        pkg.version = version.replace(/^===?/, '');
      } else {
        pkg.spec = typeof version === 'string' && version !== '*' ? version : '';
      }
      const hashes = Array.isArray(entry.hashes)
        ? entry.hashes
            .filter((hash): hash is string => typeof hash === 'string' && HASH.test(hash))
            .map((hash) => hash.toLowerCase())
        : [];
      if (hashes.length > 0) pkg.hashes = hashes;
      const { git, ref, file } = entry;
      if (typeof git === 'string') {
        pkg.resolved = typeof ref === 'string' ? `git+${git.replace(/^git\+/, '')}@${ref}` : git;
      } else if (typeof file === 'string') {
        pkg.resolved = file;
      }
      declared.push(pkg);
    }
  }
  return declared;
}
