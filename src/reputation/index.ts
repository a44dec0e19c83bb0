// Reputation and provenance: who published a package, when, what it pretends to be, and what
// advisory databases know about it. Pure signals over names and registry metadata, plus one thin
// advisory client per run. See docs/reputation.md.
import type { Ecosystem, Finding } from '../types.js';
import { dependencyConfusionSignals } from './confusion.js';
import { historySignals, type HistoryOptions } from './history.js';
import type { PopularNames } from './popular.js';
import { typosquatFindings } from './typosquat.js';

export { reputationRules } from './rules.js';
export { combineWithCodeFindings, isInstallTimeFinding, type CombineOptions } from './combine.js';
export {
  findTyposquat,
  typosquatFindings,
  describeTechnique,
  editDistance,
  type TyposquatMatch,
  type TyposquatTechnique,
} from './typosquat.js';
export { PopularNames, popularNames, normalizeName, type PopularListFile } from './popular.js';
export {
  dependencyConfusionSignals,
  isPublicIndex,
  matchInternalName,
  type ConfusionInput,
} from './confusion.js';
export {
  historySignals,
  packageHistory,
  type HistoryInput,
  type HistoryOptions,
} from './history.js';
export {
  advisoryFindings,
  advisoryKey,
  AdvisorySourceError,
  createAdvisoryLookup,
  queryGithubMalware,
  queryOsv,
  type AdvisoryLookup,
  type AdvisoryLookupOptions,
  type AdvisoryLookupResult,
  type AdvisoryPackage,
  type GithubAdvisory,
  type OsvResult,
} from './advisories.js';

export interface ReputationInput {
  ecosystem: Ecosystem;
  name: string;
  version: string;
  /** Previous version, for a bump or downgrade. */
  from?: string;
  /** Registry metadata; see {@link HistoryInput}. Without it only name-based signals run. */
  metadata?: unknown;
  /** PyPI `/pypi/NAME/VERSION/json` documents of `version` and `from`. */
  versionMetadata?: unknown[];
  now: Date;
  /** `internal-prefixes` setting. */
  internalPrefixes?: readonly string[];
  /** The package was resolved from a public index (npmjs.org, pypi.org). Default true. */
  fromPublicIndex?: boolean;
  /** Defaults to the bundled lists in data/popular/. */
  popular?: PopularNames | readonly string[];
  history?: HistoryOptions;
}

/**
 * Every offline reputation signal of one changed package: typosquat, dependency confusion and,
 * when metadata is given, publisher and history. Advisories are separate (one batched lookup
 * per run: {@link createAdvisoryLookup}). Feed the result, together with the code findings,
 * through {@link combineWithCodeFindings}.
 */
export function reputationSignals(input: ReputationInput): Finding[] {
  return [
    ...typosquatFindings(input.ecosystem, input.name, input.popular),
    ...dependencyConfusionSignals({
      ecosystem: input.ecosystem,
      name: input.name,
      version: input.version,
      metadata: input.metadata,
      internalPrefixes: input.internalPrefixes,
      fromPublicIndex: input.fromPublicIndex ?? true,
    }),
    ...(input.metadata === undefined
      ? []
      : historySignals({
          ecosystem: input.ecosystem,
          name: input.name,
          version: input.version,
          from: input.from,
          metadata: input.metadata,
          versionMetadata: input.versionMetadata,
          now: input.now,
          options: input.history,
        })),
  ];
}
