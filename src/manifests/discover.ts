import type { ManifestFormat } from '../types.js';

const EXACT_NAMES: Record<string, ManifestFormat> = {
  'package-lock.json': 'package-lock',
  'npm-shrinkwrap.json': 'package-lock',
  'package.json': 'package-json',
  'yarn.lock': 'yarn-lock',
  'pnpm-lock.yaml': 'pnpm-lock',
  'bun.lock': 'bun-lock',
  'poetry.lock': 'poetry-lock',
  'uv.lock': 'uv-lock',
  'Pipfile.lock': 'pipfile-lock',
  'pdm.lock': 'pdm-lock',
  'pyproject.toml': 'pyproject',
  Pipfile: 'pipfile',
  // Registry configuration: where npm, pnpm and Yarn look for packages (dependency confusion).
  '.npmrc': 'npmrc',
  '.yarnrc.yml': 'yarnrc',
};

/**
 * The dependency-file format of a repository path, or undefined when pkg-gate does not read it.
 * Matching is on the path alone (the contents are not fetched yet); anything inside
 * node_modules/ is someone else's vendored tree, never the project's own manifest.
 */
export function detectManifestFormat(path: string): ManifestFormat | undefined {
  const segments = path.replace(/\\/g, '/').split('/').filter(Boolean);
  if (segments.length === 0 || segments.includes('node_modules')) return undefined;
  const base = segments[segments.length - 1];
  const folder = segments.length > 1 ? segments[segments.length - 2].toLowerCase() : '';
  const lower = base.toLowerCase();

  const exact = EXACT_NAMES[base];
  if (exact) return exact;
  // PEP 751: pylock.toml, or pylock.<name>.toml for named lockfiles.
  if (/^pylock(\.[^./]+)?\.toml$/.test(base)) return 'pylock';
  if (/^(requirements|constraints).*\.(txt|in)$/.test(lower)) return 'requirements';
  // Projects that split requirements keep them in a requirements/ folder (base.txt, dev.txt).
  if (folder === 'requirements' && /\.(txt|in)$/.test(lower)) return 'requirements';
  return undefined;
}

/** A file the change touches, as the change source lists it. */
export interface ChangedPath {
  path: string;
  previousPath?: string;
  status: string;
}

/**
 * pip reads `-r`/`-c` files under any name (`-r deps/base.txt`), so a changed file that is not
 * named like a requirements file may still be one. Text files pip users name that way (.txt,
 * .in) are the candidates; whether one really is depends on a requirements file including it.
 */
export function mayBeIncludedRequirements(path: string): boolean {
  const segments = path.replace(/\\/g, '/').split('/').filter(Boolean);
  if (segments.length === 0 || segments.includes('node_modules')) return false;
  if (detectManifestFormat(path) !== undefined) return false;
  return /\.(txt|in)$/i.test(segments[segments.length - 1]);
}

/** The names a project's top requirements file goes by, looked for above an included file. */
export const INCLUDING_REQUIREMENTS_NAMES = [
  'requirements.txt',
  'requirements.in',
  'requirements-dev.txt',
  'requirements-test.txt',
  'constraints.txt',
] as const;

/**
 * Folders looked in for an including file, shallowest first. Each look is a read through the
 * change source (an API call on GitHub), and a PR touching text files in hundreds of folders
 * must not spend the token's hourly budget on it.
 */
export const MAX_INCLUDER_FOLDERS = 50;

/**
 * Where an unchanged requirements file that includes one of `paths` would usually live: the
 * conventional names in each path's folder and every folder above it, up to the root, the
 * shallowest MAX_INCLUDER_FOLDERS folders. The change source lists changed files only, so these
 * are read to see whether they exist.
 */
export function possibleIncluders(paths: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const path of paths) {
    const segments = path.replace(/\\/g, '/').split('/').filter(Boolean);
    for (let depth = segments.length - 1; depth >= 0; depth--) {
      folders.add(segments.slice(0, depth).join('/'));
    }
  }
  const depthOf = (folder: string) => (folder === '' ? 0 : folder.split('/').length);
  const nearest = [...folders]
    .sort((a, b) => depthOf(a) - depthOf(b) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, MAX_INCLUDER_FOLDERS);
  return nearest.flatMap((folder) =>
    INCLUDING_REQUIREMENTS_NAMES.map((name) => (folder ? `${folder}/${name}` : name)),
  );
}

/**
 * Whether a file's name says it holds requirements, wherever it is: `requirements*.txt`,
 * `dev-requirements.in`, `constraints-prod.txt`, anything `.txt`/`.in` in a `requirements/`
 * folder. Only these are read when looking for the file that includes a changed one; any `.txt`
 * may hold `-r` lines, but reading every text file of a repository is not affordable.
 */
export function isRequirementsLikeName(path: string): boolean {
  const segments = path.replace(/\\/g, '/').split('/').filter(Boolean);
  if (segments.length === 0 || segments.includes('node_modules')) return false;
  const base = segments[segments.length - 1].toLowerCase();
  if (!/\.(txt|in)$/.test(base)) return false;
  const folder = segments.length > 1 ? segments[segments.length - 2].toLowerCase() : '';
  return /requirements|constraints/.test(base) || folder === 'requirements';
}

/**
 * Requirements-like files read, at most, when the repository's file list is known: each read is
 * an API call on GitHub. A repository with more than this keeps those nearest the changed files.
 */
export const MAX_LISTED_INCLUDERS = 200;

function folderSegments(path: string): string[] {
  const segments = path.replace(/\\/g, '/').split('/').filter(Boolean);
  return segments.slice(0, -1);
}

/**
 * The files of `listing` (every path of the repository) that may include one of `paths` with
 * `-r`/`-c`: every requirements-like name anywhere, since an include may climb to any folder
 * (`-r ../../shared/deps.txt`). When there are more than `limit`, those sharing the most folders
 * with a changed path come first (the conventional places above it among them), then the
 * shallowest.
 */
export function listedIncluders(
  listing: readonly string[],
  paths: readonly string[],
  limit = MAX_LISTED_INCLUDERS,
): string[] {
  const targets = paths.map(folderSegments);
  const shared = (folders: string[]): number => {
    let best = 0;
    for (const target of targets) {
      let n = 0;
      while (n < folders.length && n < target.length && folders[n] === target[n]) n++;
      // A file in a folder on the changed path's way up is where pip users put the includer.
      if (n === folders.length) n += 1000;
      best = Math.max(best, n);
    }
    return best;
  };
  const ranked = listing.filter(isRequirementsLikeName).map((path) => {
    const folders = folderSegments(path);
    return { path, shared: shared(folders), depth: folders.length };
  });
  ranked.sort(
    (a, b) =>
      b.shared - a.shared || a.depth - b.depth || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
  return ranked.slice(0, limit).map((entry) => entry.path);
}
