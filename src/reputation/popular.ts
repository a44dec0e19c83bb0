import npmList from '../../data/popular/npm.json' with { type: 'json' };
import pypiList from '../../data/popular/pypi.json' with { type: 'json' };
import type { Ecosystem } from '../types.js';

/** Shape of data/popular/{npm,pypi}.json, written by scripts/gen-popular.ts. */
export interface PopularListFile {
  ecosystem: string;
  source: string;
  dataDate: string;
  /** The most downloaded names, most popular first: the names a squatter imitates. */
  top: string[];
  /** The next most popular names: real projects, never reported as squats themselves. */
  known: string[];
}

/** PEP 503 for PyPI (runs of `-_.` are one separator, case-insensitive); lowercase for npm. */
export function normalizeName(ecosystem: Ecosystem, name: string): string {
  const lower = name.trim().toLowerCase();
  return ecosystem === 'pypi' ? lower.replace(/[-_.]+/g, '-') : lower;
}

/** npm `@scope/name` split; `scope` is without the `@`. */
export function splitScope(name: string): { scope?: string; bare: string } {
  const match = /^@([^/]+)\/(.+)$/.exec(name);
  return match ? { scope: match[1], bare: match[2] } : { bare: name };
}

/**
 * The ranked popular names of one ecosystem with the lookups typosquat detection needs.
 * Build it once per run (or use {@link popularNames} for the bundled lists).
 */
export class PopularNames {
  readonly ecosystem: Ecosystem;
  readonly dataDate?: string;
  /** Normalised top names, most popular first. */
  readonly top: readonly string[];
  /** Original spelling of each normalised top name. */
  private readonly display = new Map<string, string>();
  private readonly rankOf = new Map<string, number>();
  /** Names (npm: exact, PyPI: normalised) that are popular and so never reported. */
  private readonly popular = new Set<string>();
  /** npm scope (without `@`) → how many popular packages it holds. */
  private readonly scopeSizes = new Map<string, number>();

  constructor(
    ecosystem: Ecosystem,
    top: readonly string[],
    known: readonly string[] = [],
    dataDate?: string,
  ) {
    this.ecosystem = ecosystem;
    this.dataDate = dataDate;
    const normalizedTop: string[] = [];
    for (const name of top) {
      const key = normalizeName(ecosystem, name);
      if (this.rankOf.has(key)) continue;
      this.rankOf.set(key, normalizedTop.length);
      this.display.set(key, name);
      normalizedTop.push(key);
    }
    this.top = normalizedTop;
    for (const name of [...top, ...known]) {
      this.popular.add(this.popularKey(name));
      const { scope } = splitScope(name);
      if (scope) {
        const key = scope.toLowerCase();
        this.scopeSizes.set(key, (this.scopeSizes.get(key) ?? 0) + 1);
      }
    }
  }

  static fromFile(ecosystem: Ecosystem, file: PopularListFile): PopularNames {
    if (!Array.isArray(file.top) || !Array.isArray(file.known)) {
      throw new Error(`popular-name list for ${ecosystem} has no "top"/"known" arrays`);
    }
    return new PopularNames(ecosystem, file.top, file.known, file.dataDate);
  }

  /**
   * npm names compare exactly: `React` is a different (old, case-sensitive) package from
   * `react`. PyPI names that normalise alike are the same project.
   */
  private popularKey(name: string): string {
    return this.ecosystem === 'npm' ? name.trim() : normalizeName('pypi', name);
  }

  isPopular(name: string): boolean {
    return this.popular.has(this.popularKey(name));
  }

  /** 0-based rank of a normalised top name. */
  rank(normalized: string): number | undefined {
    return this.rankOf.get(normalized);
  }

  /** The registry's spelling of a normalised top name. */
  displayName(normalized: string): string {
    return this.display.get(normalized) ?? normalized;
  }

  /** npm scopes (without `@`) that popular packages live in: only their owners can publish there. */
  isKnownScope(scope: string): boolean {
    return this.scopeSizes.has(scope.toLowerCase());
  }

  /** Known scopes with how many popular packages each holds. */
  get knownScopes(): ReadonlyMap<string, number> {
    return this.scopeSizes;
  }
}

const bundled = new Map<Ecosystem, PopularNames>();

/** The bundled popular-name list of an ecosystem, indexed once per process. */
export function popularNames(ecosystem: Ecosystem): PopularNames {
  let names = bundled.get(ecosystem);
  if (!names) {
    names = PopularNames.fromFile(ecosystem, ecosystem === 'npm' ? npmList : pypiList);
    bundled.set(ecosystem, names);
  }
  return names;
}
