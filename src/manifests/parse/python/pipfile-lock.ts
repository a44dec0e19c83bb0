import type { DeclaredPackage } from '../../../types.js';
import { ManifestParseError } from '../errors.js';
import { members, parseJsonDocument, property } from '../npm/json.js';

/** pipenv has written `pipfile-spec: 6` since 2018. */
export const SUPPORTED_PIPFILE_SPECS = [6] as const;

const SECTIONS = ['default', 'develop'];

/**
 * Parses Pipfile.lock: every package of `default` and `develop` at the line of its key, with the
 * pinned version (`==x`), its hashes, and git/file/path sources as `resolved`. Editable and local
 * path packages are the project's own code and are left out.
 */
export function parsePipfileLock(content: string): DeclaredPackage[] {
  const { root, lines } = parseJsonDocument(content, 'Pipfile.lock');
  const meta = property(root, '_meta');
  const specNode = property(meta, 'pipfile-spec');
  if (!(SUPPORTED_PIPFILE_SPECS as readonly unknown[]).includes(specNode?.value)) {
    throw new ManifestParseError(
      `unsupported Pipfile.lock pipfile-spec ${specNode ? JSON.stringify(specNode.value) : '(missing)'}; supported versions are ${SUPPORTED_PIPFILE_SPECS.join(', ')}`,
      lines.lineAt((specNode ?? meta ?? root).offset),
    );
  }
  const declared: DeclaredPackage[] = [];
  for (const [section, packages] of members(root)) {
    if (!SECTIONS.includes(section)) continue;
    for (const [name, entry, keyOffset] of members(packages)) {
      const line = lines.lineAt(keyOffset);
      if (entry.type !== 'object') {
        throw new ManifestParseError(`Pipfile.lock ${section}["${name}"] is not an object`, line);
      }
      const value = (key: string) => property(entry, key)?.value as unknown;
      if (value('path') !== undefined || value('editable') === true) continue;
      const pkg: DeclaredPackage = { ecosystem: 'pypi', name, line };
      const version = value('version');
      if (typeof version === 'string' && /^===?[^=]/.test(version)) {
        pkg.version = version.replace(/^===?/, '');
      } else {
        pkg.spec = typeof version === 'string' && version !== '*' ? version : '';
      }
      const hashes = property(entry, 'hashes')?.children?.map((node) => node.value) ?? [];
      const validHashes = hashes
        .filter(
          (hash): hash is string => typeof hash === 'string' && /^[a-z0-9]+:[0-9a-f]+$/i.test(hash),
        )
        .map((hash) => hash.toLowerCase());
      if (validHashes.length > 0) pkg.hashes = validHashes;
      const git = value('git');
      const ref = value('ref');
      const file = value('file');
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
