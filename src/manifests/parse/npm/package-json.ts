import semver from 'semver';
import type { DeclaredPackage } from '../../../types.js';
import { ManifestParseError } from '../errors.js';
import { isJsonObject, jsonKeyLines, keyPath, parseJsonDocument } from './json.js';

/** The sections npm installs from (peer dependencies too, since npm 7). */
export const DEPENDENCY_SECTIONS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
] as const;

// Specifiers that install from somewhere other than the registry: git hosts, URLs, local paths.
const NON_REGISTRY = /^(git\+|git:|github:|gitlab:|bitbucket:|gist:|https?:|file:|link:|portal:)/i;
const GITHUB_SHORTHAND = /^[A-Za-z0-9][\w.-]*\/[\w.-]+(#.*)?$/;

/**
 * One declared dependency from a package.json-style `name: specifier` pair: an exact version, a
 * range to resolve (`spec`), or a non-registry source (`resolved`). Aliases (`npm:real@range`)
 * are named by the package they install. Returns undefined for workspace references.
 */
export function declaredFromSpecifier(
  name: string,
  specifier: string,
  line: number,
): DeclaredPackage | undefined {
  let realName = name;
  let range = specifier.trim();
  const alias = /^npm:((?:@[^/@]+\/)?[^@]+)(?:@(.*))?$/.exec(range);
  if (alias) {
    realName = alias[1];
    range = alias[2] ?? '';
  }
  // Workspace packages live in the repository itself; their own package.json is scanned.
  if (range.startsWith('workspace:')) return undefined;
  if (NON_REGISTRY.test(range) || GITHUB_SHORTHAND.test(range)) {
    return { ecosystem: 'npm', name: realName, spec: '', line, resolved: range };
  }
  const exact = semver.valid(range);
  if (exact) return { ecosystem: 'npm', name: realName, version: exact, line };
  return { ecosystem: 'npm', name: realName, spec: range === '' ? '*' : range, line };
}

/**
 * The package an override or resolution key targets: `foo`, `foo@^1` (npm, pnpm),
 * yarn paths (`a/@s/b`, globstar paths ending in `/foo`), `parent>foo` (pnpm): the last package named.
 */
export function overrideTargetName(selector: string): string {
  const last = selector.split('>').pop() ?? selector;
  const segments = last.split('/').filter((segment) => segment !== '' && segment !== '**');
  const tail = segments.at(-1) ?? last;
  const scope = segments.at(-2);
  const full = scope?.startsWith('@') ? `${scope}/${tail}` : tail;
  const at = full.indexOf('@', 1);
  return at === -1 ? full : full.slice(0, at);
}

const OVERRIDE_SECTIONS: readonly (readonly string[])[] = [
  ['overrides'],
  ['resolutions'],
  ['pnpm', 'overrides'],
];

function startsWith(parents: readonly string[], prefix: readonly string[]): boolean {
  return prefix.every((key, index) => parents[index] === key);
}

/**
 * Parses package.json: every entry of dependencies, devDependencies, optionalDependencies and
 * peerDependencies, and every version forced by `overrides` (npm, nested too), `resolutions`
 * (yarn) and `pnpm.overrides`, at the line of its key. Exact versions (`1.2.3`) are pins; anything
 * else is a range the fetch stage resolves, unless a lockfile beside it decides the version.
 */
export function parsePackageJson(content: string): DeclaredPackage[] {
  const document = parseJsonDocument(content, 'package.json');
  const lines = jsonKeyLines(
    document,
    (parents) =>
      parents.length === 0 ||
      (parents.length === 1 && (DEPENDENCY_SECTIONS as readonly string[]).includes(parents[0])) ||
      parents[0] === 'overrides' ||
      parents[0] === 'resolutions' ||
      startsWith(parents, ['pnpm', 'overrides']),
  );
  const declared: DeclaredPackage[] = [];
  for (const section of Object.keys(document.root)) {
    if (!(DEPENDENCY_SECTIONS as readonly string[]).includes(section)) continue;
    const value = document.root[section];
    if (!isJsonObject(value)) {
      throw new ManifestParseError(
        `package.json "${section}" must be an object`,
        lines.get(keyPath([], section)),
      );
    }
    for (const [name, specifier] of Object.entries(value)) {
      const line = lines.get(keyPath([section], name)) ?? 1;
      if (typeof specifier !== 'string') {
        const kind =
          specifier === null ? 'null' : Array.isArray(specifier) ? 'array' : typeof specifier;
        throw new ManifestParseError(
          `package.json ${section}["${name}"] must be a string, found ${kind}`,
          line,
        );
      }
      const pkg = declaredFromSpecifier(name, specifier, line);
      if (pkg) declared.push(pkg);
    }
  }

  const walkOverrides = (value: unknown, parents: string[], target?: string): void => {
    if (typeof value === 'string') {
      // `$name` reuses the version of a direct dependency, which is already listed.
      if (target === undefined || value.startsWith('$')) return;
      const line = lines.get(keyPath(parents.slice(0, -1), parents.at(-1) ?? '')) ?? 1;
      const pkg = declaredFromSpecifier(target, value, line);
      if (pkg) declared.push(pkg);
      return;
    }
    if (!isJsonObject(value)) return;
    for (const [key, nested] of Object.entries(value)) {
      // npm's nested form: `"foo": { ".": "1.0.0", "bar": "2.0.0" }` forces foo itself with ".".
      walkOverrides(nested, [...parents, key], key === '.' ? target : overrideTargetName(key));
    }
  };
  for (const path of OVERRIDE_SECTIONS) {
    let value: unknown = document.root;
    for (const key of path) value = isJsonObject(value) ? value[key] : undefined;
    if (value !== undefined) walkOverrides(value, [...path]);
  }
  return declared;
}
