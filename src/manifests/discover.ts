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
