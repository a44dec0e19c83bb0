import type { Ecosystem, Finding } from '../types.js';
import { normalizeName, PopularNames, popularNames, splitScope } from './popular.js';

export type TyposquatTechnique =
  | 'case-variant'
  | 'separator-variant'
  | 'confusable-characters'
  | 'swapped-letters'
  | 'added-affix'
  | 'dropped-affix'
  | 'scope-imitation'
  | 'scope-named-after-package'
  | 'edit-distance';

export interface TyposquatMatch {
  /** The popular name being imitated, as the registry spells it. */
  imitates: string;
  technique: TyposquatTechnique;
}

const TECHNIQUE_TEXT: Record<TyposquatTechnique, string> = {
  'case-variant': 'same letters in a different case',
  'separator-variant': 'same name with separators (-, _, ., /) added, removed or changed',
  'confusable-characters': 'characters that look alike (rn/m, l/1/I, 0/o, vv/w)',
  'swapped-letters': 'two adjacent letters swapped',
  'added-affix':
    'the popular name with an added prefix or suffix (python-, py, node-, js, -cli, -sdk, -dev…)',
  'dropped-affix': 'the popular name without its prefix or suffix',
  'scope-imitation': 'an npm scope that looks like the scope of popular packages',
  'scope-named-after-package': 'an npm scope named after a popular unscoped package',
  'edit-distance': 'a one- or two-letter typo',
};

/** Affixes that squatters add to or drop from a popular name, compared with separators removed. */
const PREFIXES = ['python', 'py', 'node', 'js'];
const SUFFIXES = ['python', 'py', 'js', 'node', 'cli', 'sdk', 'dev'];
/** An affix must leave a core this long: `py` + `re` says nothing about `re`. */
const MIN_AFFIX_CORE = 3;
/** Below this length every other short name is one edit away: only exact-form tricks count. */
const MIN_EDIT_TARGET = 4;
/** Names this long are compared at edit distance 2. */
const LONG_NAME = 10;
/** A scope named after a package this short collides by chance (`@ms`, `@qs`). */
const MIN_SCOPE_PACKAGE = 4;
/**
 * Only the best-known packages are worth a scope of their own to a squatter; below this rank
 * a scope named after a package is usually its own project's (`@fast-check/jest`).
 */
const SCOPE_PACKAGE_RANK = 1000;
/** Scopes imitated are the prominent ones; a scope with one or two popular packages is noise. */
const MIN_IMITATED_SCOPE_SIZE = 3;

function withoutSeparators(normalized: string): string {
  return normalized.replace(/[-_./@]/g, '');
}

/** Collapses characters that render alike, so `rnodule` and `module` share a key. */
function confusableKey(raw: string): string {
  const folded = raw
    .trim()
    .replace(/[I1|]/g, 'l')
    .replace(/0/g, 'o')
    .toLowerCase()
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w');
  return withoutSeparators(folded);
}

interface SquatIndex {
  bySeparatorless: Map<string, string>;
  byConfusable: Map<string, string>;
  /** Core (without an affix) of a top name → that top name. */
  byAffixCore: Map<string, string>;
  /** The best-ranked unscoped top names: a scope named after one of them imitates it. */
  scopeWorthyPackages: Set<string>;
}

const indexes = new WeakMap<PopularNames, SquatIndex>();

function indexOf(popular: PopularNames): SquatIndex {
  let index = indexes.get(popular);
  if (index) return index;
  index = {
    bySeparatorless: new Map(),
    byConfusable: new Map(),
    byAffixCore: new Map(),
    scopeWorthyPackages: new Set(),
  };
  // Top names are in rank order: the first to claim a key is the most popular one.
  for (const name of popular.top) {
    const plain = withoutSeparators(name);
    if (!index.bySeparatorless.has(plain)) index.bySeparatorless.set(plain, name);
    const confusable = confusableKey(popular.displayName(name));
    if (!index.byConfusable.has(confusable)) index.byConfusable.set(confusable, name);
    for (const core of affixCores(plain)) {
      if (!index.byAffixCore.has(core)) index.byAffixCore.set(core, name);
    }
    const rank = popular.rank(name) ?? Infinity;
    if (!name.startsWith('@') && rank < SCOPE_PACKAGE_RANK && name.length >= MIN_SCOPE_PACKAGE) {
      index.scopeWorthyPackages.add(name);
    }
  }
  indexes.set(popular, index);
  return index;
}

function affixCores(plain: string): string[] {
  const cores: string[] = [];
  for (const prefix of PREFIXES) {
    if (plain.startsWith(prefix) && plain.length - prefix.length >= MIN_AFFIX_CORE) {
      cores.push(plain.slice(prefix.length));
    }
  }
  for (const suffix of SUFFIXES) {
    if (plain.endsWith(suffix) && plain.length - suffix.length >= MIN_AFFIX_CORE) {
      cores.push(plain.slice(0, -suffix.length));
    }
  }
  return cores;
}

/** True when `a` becomes `b` by swapping one pair of adjacent characters. */
export function isAdjacentSwap(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let i = 0;
  while (a[i] === b[i]) i++;
  return (
    i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2)
  );
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent swaps), giving up as soon as it
 * must exceed `max`: most comparisons stop after a row or two.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, beforePrevious[j - 2] + 1);
      }
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length];
}

const TOKEN_SEPARATORS = /[-_./@]+/;

/**
 * A typo keeps each word recognisable: `reqursts` is `requests` mistyped, but `fs-promise` is
 * not `is-promise` and `map-values` is not `has-values` — a short word replaced is another word.
 * Applies when both names have the same words; otherwise the plain distance decides.
 */
export function isTypoOf(candidate: string, target: string): boolean {
  const candidateWords = candidate.split(TOKEN_SEPARATORS);
  const targetWords = target.split(TOKEN_SEPARATORS);
  if (candidateWords.length !== targetWords.length) return true;
  return candidateWords.every((word, i) => {
    const other = targetWords[i];
    if (word === other) return true;
    return editDistance(word, other) * 2 < Math.max(word.length, other.length);
  });
}

function allowedDistance(target: string): number {
  if (target.length < MIN_EDIT_TARGET) return 0;
  return target.length >= LONG_NAME ? 2 : 1;
}

function resolvePopular(ecosystem: Ecosystem, popular?: PopularNames | readonly string[]) {
  if (popular === undefined) return popularNames(ecosystem);
  if (popular instanceof PopularNames) return popular;
  return new PopularNames(ecosystem, popular);
}

/**
 * Whether `name` imitates a popular package of its ecosystem, and how. A popular name is never
 * reported (react-dom is not a squat of react), nor is an npm package inside a scope that
 * popular packages use: only the scope's owners can publish there.
 *
 * `popular` defaults to the bundled lists of data/popular/; a plain array is ranked as given.
 */
export function findTyposquat(
  ecosystem: Ecosystem,
  name: string,
  popular?: PopularNames | readonly string[],
): TyposquatMatch | undefined {
  const names = resolvePopular(ecosystem, popular);
  if (!name.trim() || names.isPopular(name)) return undefined;
  const index = indexOf(names);
  const normalized = normalizeName(ecosystem, name);
  const match = (target: string, technique: TyposquatTechnique): TyposquatMatch => ({
    imitates: names.displayName(target),
    technique,
  });

  const { scope, bare } = ecosystem === 'npm' ? splitScope(normalized) : { bare: normalized };
  if (scope !== undefined && names.isKnownScope(scope)) return undefined;

  if (names.rank(normalized) !== undefined) return match(normalized, 'case-variant');

  const plain = withoutSeparators(normalized);
  const sameLetters = index.bySeparatorless.get(plain);
  if (sameLetters !== undefined) return match(sameLetters, 'separator-variant');

  const lookAlike = index.byConfusable.get(confusableKey(name));
  if (lookAlike !== undefined) return match(lookAlike, 'confusable-characters');

  const swapped = names.top.find(
    (target) => target.length >= 3 && isAdjacentSwap(normalized, target),
  );
  if (swapped !== undefined) return match(swapped, 'swapped-letters');

  const added = bestRanked(
    names,
    affixCores(plain).map((core) => index.bySeparatorless.get(core)),
  );
  if (added !== undefined) return match(added, 'added-affix');

  const dropped = index.byAffixCore.get(plain);
  if (dropped !== undefined && plain.length >= MIN_AFFIX_CORE)
    return match(dropped, 'dropped-affix');

  if (scope !== undefined) {
    const scopeMatch = imitatedScope(names, scope, bare);
    if (scopeMatch) return scopeMatch;
    if (index.scopeWorthyPackages.has(scope)) {
      return match(scope, 'scope-named-after-package');
    }
  }

  const typo = names.top.find((target) => {
    const max = allowedDistance(target);
    return max > 0 && editDistance(normalized, target, max) <= max && isTypoOf(normalized, target);
  });
  if (typo !== undefined) return match(typo, 'edit-distance');
  return undefined;
}

function bestRanked(names: PopularNames, candidates: (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    if (best === undefined || (names.rank(candidate) ?? 0) < (names.rank(best) ?? 0))
      best = candidate;
  }
  return best;
}

function imitatedScope(
  names: PopularNames,
  scope: string,
  bare: string,
): TyposquatMatch | undefined {
  const plain = withoutSeparators(scope);
  const confusable = confusableKey(scope);
  for (const [known, size] of names.knownScopes) {
    if (size < MIN_IMITATED_SCOPE_SIZE) continue;
    const max = allowedDistance(known);
    const similar =
      withoutSeparators(known) === plain ||
      confusableKey(known) === confusable ||
      isAdjacentSwap(scope, known) ||
      (max > 0 && editDistance(scope, known, max) <= max);
    if (!similar) continue;
    const scoped = `@${known}/${bare}`;
    return {
      imitates: names.isPopular(scoped) ? scoped : `@${known}`,
      technique: 'scope-imitation',
    };
  }
  return undefined;
}

export function describeTechnique(technique: TyposquatTechnique): string {
  return TECHNIQUE_TEXT[technique];
}

/** The `typosquat` finding for a changed package, or nothing when the name is not a look-alike. */
export function typosquatFindings(
  ecosystem: Ecosystem,
  name: string,
  popular?: PopularNames | readonly string[],
): Finding[] {
  const squat = findTyposquat(ecosystem, name, popular);
  if (!squat) return [];
  const registry = ecosystem === 'npm' ? 'npm' : 'PyPI';
  return [
    {
      rule: 'typosquat',
      severity: 'medium',
      file: '',
      line: 0,
      message: `\`${name}\` imitates the popular ${registry} package \`${squat.imitates}\` (${describeTechnique(squat.technique)}). Check that this is the package you meant: typosquats copy a popular name to be installed by mistake.`,
      evidence: `${name} ≈ ${squat.imitates} (${squat.technique})`,
    },
  ];
}
