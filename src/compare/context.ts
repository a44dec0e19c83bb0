// What the registry says about a package's past, as far as comparing releases is concerned: which
// earlier release an added package is compared with, and whether that past is long enough to
// vouch for what the earlier releases already shipped. Pure: the metadata and `now` are passed in.
import { compare as comparePep440, explain as explainPep440 } from '@renovatebot/pep440';
import semver from 'semver';
import type { PackageHistory, ReleaseEntry } from '../reputation/metadata.js';
import type { Ecosystem, Finding } from '../types.js';

/**
 * When findings an earlier release already had stop gating: the package must be at least
 * `minAgeDays` old and have at least `minReleases` releases. Younger or thinner packages have
 * no track record, so "it was already there" says nothing about them.
 */
export interface EstablishedPackage {
  minAgeDays: number;
  minReleases: number;
}

export const DEFAULT_ESTABLISHED_PACKAGE: EstablishedPackage = Object.freeze({
  minAgeDays: 180,
  minReleases: 3,
});

/** The registry facts the comparison uses; a field the metadata does not carry is undefined. */
export interface RegistryContext {
  firstPublished?: Date;
  releaseCount?: number;
  /** When the version under review was published. */
  publishedAt?: Date;
  /** The release published just before it (any release, by publish time). */
  previousRelease?: { version: string; publishedAt: Date };
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** -1, 0 or 1 when both versions parse in the ecosystem's scheme, else undefined. */
function compareVersions(ecosystem: Ecosystem, a: string, b: string): number | undefined {
  if (ecosystem === 'npm') {
    const [left, right] = [semver.valid(a), semver.valid(b)];
    return left && right ? semver.compare(left, right) : undefined;
  }
  try {
    return Math.sign(comparePep440(a, b));
  } catch {
    return undefined;
  }
}

function isPrerelease(ecosystem: Ecosystem, version: string): boolean {
  if (ecosystem === 'npm') return (semver.prerelease(version)?.length ?? 0) > 0;
  return explainPep440(version)?.is_prerelease ?? false;
}

/** Yanked (PyPI) or deprecated (npm) releases: withdrawn, sometimes because they were compromised. */
function isWithdrawn(history: PackageHistory, version: string): boolean {
  const facts = history.facts(version);
  return facts?.yanked !== undefined || facts?.deprecated !== undefined;
}

/**
 * The release an added package is compared with: the most recently published release before
 * `version` that is not higher than it (so a backported 1.2.5 published after 2.0.0 is compared
 * with 1.2.4, not 2.0.0). Without publish times, the highest lower version. Withdrawn releases
 * are skipped (a yanked compromised release must not make its payload look old), and so are
 * pre-releases unless `version` is one. Undefined when the registry lists no such release.
 */
export function releaseBefore(history: PackageHistory, version: string): string | undefined {
  const { ecosystem } = history;
  const releases = history.releases ?? [];
  const target = releases.find((r) => r.version === version);
  const allowPrerelease = isPrerelease(ecosystem, version);
  const candidates = releases.filter((release) => {
    if (release.version === version) return false;
    if (!allowPrerelease && isPrerelease(ecosystem, release.version)) return false;
    if (isWithdrawn(history, release.version)) return false;
    const order = compareVersions(ecosystem, release.version, version);
    const earlier =
      target?.publishedAt && release.publishedAt
        ? release.publishedAt < target.publishedAt
        : undefined;
    // At least one order must say "earlier", and neither may say "later".
    if (order !== undefined && order >= 0) return false;
    if (earlier === false) return false;
    return order !== undefined || earlier === true;
  });
  if (candidates.length === 0) return undefined;
  const dated = candidates.every((r) => r.publishedAt !== undefined);
  const best = candidates.reduce((a, b) => (isLater(ecosystem, b, a, dated) ? b : a));
  return best.version;
}

function isLater(
  ecosystem: Ecosystem,
  candidate: ReleaseEntry,
  best: ReleaseEntry,
  byTime: boolean,
): boolean {
  if (byTime && candidate.publishedAt && best.publishedAt) {
    const diff = candidate.publishedAt.getTime() - best.publishedAt.getTime();
    if (diff !== 0) return diff > 0;
  }
  return (compareVersions(ecosystem, candidate.version, best.version) ?? 0) > 0;
}

export function registryContext(history: PackageHistory, version: string): RegistryContext {
  const releases = history.releases;
  const publishedAt = releases?.find((r) => r.version === version)?.publishedAt;
  let previousRelease: RegistryContext['previousRelease'];
  if (publishedAt && releases) {
    for (const release of releases) {
      const at = release.publishedAt;
      if (release.version === version || !at || at >= publishedAt) continue;
      if (!previousRelease || at > previousRelease.publishedAt) {
        previousRelease = { version: release.version, publishedAt: at };
      }
    }
  }
  return {
    ...(history.firstPublished ? { firstPublished: history.firstPublished } : {}),
    ...(releases ? { releaseCount: releases.length } : {}),
    ...(publishedAt ? { publishedAt } : {}),
    ...(previousRelease ? { previousRelease } : {}),
  };
}

/** `45 minutes`, `5 hours`, `4 days`, `7 months`, `3 years`. */
export function describeDuration(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  const value = Math.max(0, ms);
  if (value < 2 * HOUR_MS) return plural(Math.floor(value / MINUTE_MS), 'minute');
  if (value < 2 * DAY_MS) return plural(Math.floor(value / HOUR_MS), 'hour');
  if (value < 60 * DAY_MS) return plural(Math.floor(value / DAY_MS), 'day');
  if (value < 730 * DAY_MS) return plural(Math.floor(value / (30.44 * DAY_MS)), 'month');
  return plural(Math.floor(value / (365.25 * DAY_MS)), 'year');
}

/**
 * Why the package's earlier releases do not vouch for the findings they already had (too young,
 * too few releases), or undefined when they do or when the registry does not tell.
 */
export function whyNotVouched(
  context: RegistryContext,
  now: Date,
  established: EstablishedPackage = DEFAULT_ESTABLISHED_PACKAGE,
): string | undefined {
  const reasons: string[] = [];
  if (context.firstPublished) {
    const age = now.getTime() - context.firstPublished.getTime();
    if (age < established.minAgeDays * DAY_MS) {
      reasons.push(`first published ${describeDuration(age)} ago`);
    }
  }
  if (context.releaseCount !== undefined && context.releaseCount < established.minReleases) {
    reasons.push(
      `only ${context.releaseCount} release${context.releaseCount === 1 ? '' : 's'} on the registry`,
    );
  }
  return reasons.length
    ? `${reasons.join(' and ')}: earlier releases do not vouch for it`
    : undefined;
}

/** `published 2 years after 1.4.1`, when the registry has both publish times. */
export function describeReleaseTiming(context: RegistryContext): string | undefined {
  const { publishedAt, previousRelease } = context;
  if (!publishedAt || !previousRelease) return undefined;
  const gap = publishedAt.getTime() - previousRelease.publishedAt.getTime();
  return `published ${describeDuration(gap)} after ${previousRelease.version}`;
}

/**
 * Adds the registry context to compared findings: an existing finding of a package its past does
 * not vouch for gets `notVouched` (and gates as if new); a finding new in this version gets
 * `releaseTiming`. Without context the findings come back unchanged.
 */
export function withRegistryContext(
  findings: readonly Finding[],
  context: { notVouched?: string; releaseTiming?: string },
): Finding[] {
  const { notVouched, releaseTiming } = context;
  return findings.map((finding) => {
    if (finding.alreadyIn !== undefined) return notVouched ? { ...finding, notVouched } : finding;
    return releaseTiming ? { ...finding, releaseTiming } : finding;
  });
}
