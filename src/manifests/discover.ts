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
