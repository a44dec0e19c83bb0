import disposableList from '../../data/popular/disposable-email-domains.json' with { type: 'json' };
import type { Ecosystem, Finding, Severity } from '../types.js';
import {
  npmHistory,
  pypiHistory,
  type PackageHistory,
  type ReleaseEntry,
  type ReleaseFacts,
} from './metadata.js';

export interface HistoryOptions {
  /** A package whose first release is younger than this is new. Default 7. */
  newPackageDays?: number;
  /** A release this soon after the previous one counts as a rapid re-publish. Default 60. */
  rapidRepublishMinutes?: number;
  /** …when it is also at least this many times larger. Default 2. */
  sizeGrowthFactor?: number;
  /** …and at least this many bytes larger, so tiny packages do not trip it. Default 20 000. */
  minSizeGrowthBytes?: number;
  /** Disposable e-mail domains; defaults to data/popular/disposable-email-domains.json. */
  disposableDomains?: Iterable<string>;
}

export interface HistoryInput {
  ecosystem: Ecosystem;
  name: string;
  /** The version under review. */
  version: string;
  /** For a bump or downgrade: the version the project used before. */
  from?: string;
  /**
   * npm: the full packument (`GET {registry}/{name}` with `Accept: application/json`; the
   * abbreviated install document has no `time`, `_npmUser` or `maintainers`).
   * PyPI: the project document `GET {pypi}/pypi/{name}/json` (release list, upload times, yanks).
   */
  metadata: unknown;
  /** PyPI: `GET {pypi}/pypi/{name}/{version}/json` of `version` and, for a bump, of `from`. */
  versionMetadata?: unknown[];
  now: Date;
  options?: HistoryOptions;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

const DEFAULT_DISPOSABLE = new Set(disposableList.domains.map((d) => d.toLowerCase()));

function finding(rule: string, severity: Severity, message: string, evidence: string): Finding {
  return { rule, severity, file: '', line: 0, message, evidence };
}

export function packageHistory(
  input: Pick<HistoryInput, 'ecosystem' | 'metadata' | 'versionMetadata'>,
): PackageHistory | undefined {
  return input.ecosystem === 'npm'
    ? npmHistory(input.metadata)
    : pypiHistory(input.metadata, input.versionMetadata);
}

/**
 * Publisher and history signals of one package version from its registry metadata. Pure: `now`
 * is passed in. Findings carry `file: ''` and `line: 0`: they are about the package as a whole,
 * and the report places them on the manifest line that brought the package in.
 */
export function historySignals(input: HistoryInput): Finding[] {
  const history = packageHistory(input);
  const current = history?.facts(input.version);
  if (!history || !current) {
    return [
      finding(
        'registry-metadata-incomplete',
        'info',
        `The registry metadata for ${input.name} does not describe version ${input.version}, so its publisher and release history could not be checked.`,
        history ? `version ${input.version} not in the metadata` : 'no usable registry metadata',
      ),
    ];
  }
  const options = input.options ?? {};
  const previous = input.from !== undefined ? history.facts(input.from) : undefined;
  return [
    ...ageSignals(input, history, options),
    ...rapidRepublish(input, history, options),
    ...(previous ? publisherSignals(input, previous, current) : []),
    ...(previous ? provenanceSignals(input, previous, current) : []),
    ...withdrawnSignals(input, current),
    ...sourceLinkSignals(input, current),
    ...disposableEmailSignals(input, current, options),
  ];
}

function describeAge(ms: number): string {
  const hours = Math.max(0, Math.floor(ms / 3_600_000));
  return hours < 48 ? `${hours} hour${hours === 1 ? '' : 's'}` : `${Math.floor(hours / 24)} days`;
}

function ageSignals(
  input: HistoryInput,
  history: PackageHistory,
  options: HistoryOptions,
): Finding[] {
  const findings: Finding[] = [];
  const days = options.newPackageDays ?? 7;
  if (history.firstPublished) {
    const age = input.now.getTime() - history.firstPublished.getTime();
    if (age < days * DAY_MS) {
      findings.push(
        finding(
          'new-package',
          'medium',
          `${input.name} was first published ${describeAge(age)} ago. Most malicious packages are days old when they are caught; a new package has no track record yet.`,
          `first release ${history.firstPublished.toISOString()}`,
        ),
      );
    }
  }
  if (history.releases?.length === 1) {
    findings.push(
      finding(
        'single-release',
        'low',
        `${input.name} has only one release. Throw-away malicious packages rarely have a history.`,
        `releases: ${history.releases[0].version}`,
      ),
    );
  }
  return findings;
}

function rapidRepublish(
  input: HistoryInput,
  history: PackageHistory,
  options: HistoryOptions,
): Finding[] {
  const dated = (history.releases ?? [])
    .filter((r): r is ReleaseEntry & { publishedAt: Date } => r.publishedAt !== undefined)
    .sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
  const index = dated.findIndex((r) => r.version === input.version);
  if (index < 1) return [];
  const current = dated[index];
  const before = dated[index - 1];
  if (current.sizeBytes === undefined || before.sizeBytes === undefined) return [];
  const minutes = (current.publishedAt.getTime() - before.publishedAt.getTime()) / MINUTE_MS;
  const factor = options.sizeGrowthFactor ?? 2;
  const grew =
    current.sizeBytes >= before.sizeBytes * factor &&
    current.sizeBytes - before.sizeBytes >= (options.minSizeGrowthBytes ?? 20_000);
  if (minutes > (options.rapidRepublishMinutes ?? 60) || !grew) return [];
  return [
    finding(
      'rapid-republish',
      'medium',
      `${input.version} was published ${Math.round(minutes)} minutes after ${before.version} and is ${(current.sizeBytes / Math.max(before.sizeBytes, 1)).toFixed(1)}× its size: a quick second release that adds a lot of content is how injected code often ships.`,
      `${before.version}: ${before.sizeBytes} bytes at ${before.publishedAt.toISOString()}; ${current.version}: ${current.sizeBytes} bytes at ${current.publishedAt.toISOString()}`,
    ),
  ];
}

function publisherSignals(
  input: HistoryInput,
  previous: ReleaseFacts,
  current: ReleaseFacts,
): Finding[] {
  const before = new Set(previous.maintainers ?? []);
  const added =
    previous.maintainers && current.maintainers
      ? current.maintainers.filter((m) => !before.has(m))
      : [];
  const publisherChanged =
    previous.publisher !== undefined &&
    current.publisher !== undefined &&
    previous.publisher !== current.publisher;
  if (!publisherChanged && added.length === 0) return [];

  // Moving to CI-based trusted publishing, or a release cut by another existing maintainer, is
  // routine; a publisher or maintainer the old version did not know is how takeovers look.
  const newcomerPublished =
    publisherChanged && !current.trustedPublisher && !before.has(current.publisher ?? '');
  const severity: Severity = added.length > 0 || newcomerPublished ? 'medium' : 'info';
  const parts: string[] = [];
  if (publisherChanged)
    parts.push(`published by ${current.publisher} (${input.from} by ${previous.publisher})`);
  if (added.length)
    parts.push(
      `${input.ecosystem === 'npm' ? 'maintainers' : 'declared author/maintainer contacts'} added: ${added.join(', ')}`,
    );
  return [
    finding(
      'publisher-changed',
      severity,
      severity === 'info'
        ? `${input.version} was published by a different account than ${input.from}, one that already maintained the package.`
        : `Who publishes ${input.name} changed between ${input.from} and ${input.version}. Hijacked accounts and handed-over packages ship malicious releases this way; check the new release with care.`,
      parts.join('; '),
    ),
  ];
}

function provenanceSignals(
  input: HistoryInput,
  previous: ReleaseFacts,
  current: ReleaseFacts,
): Finding[] {
  if (previous.hasProvenance !== true || current.hasProvenance !== false) return [];
  return [
    finding(
      'provenance-dropped',
      'high',
      `${input.from} was published with a provenance attestation (built and published by CI from its repository) and ${input.version} is not: a release published from a stolen token instead of the project's pipeline looks exactly like this.`,
      `dist.attestations: present in ${input.from}, missing in ${input.version}`,
    ),
  ];
}

function withdrawnSignals(input: HistoryInput, current: ReleaseFacts): Finding[] {
  if (current.deprecated !== undefined) {
    return [
      finding(
        'deprecated-or-yanked',
        'medium',
        `${input.name}@${input.version} is deprecated by its publisher; deprecation is also how maintainers and registries flag compromised releases.`,
        `deprecated: ${current.deprecated}`,
      ),
    ];
  }
  if (current.yanked !== undefined) {
    return [
      finding(
        'deprecated-or-yanked',
        'medium',
        `${input.name}==${input.version} was yanked from PyPI: its maintainers withdrew it, often because it was broken or compromised.`,
        `yanked${current.yanked ? `: ${current.yanked}` : ' (no reason given)'}`,
      ),
    ];
  }
  return [];
}

function sourceLinkSignals(input: HistoryInput, current: ReleaseFacts): Finding[] {
  if (current.hasSourceLink !== false) return [];
  return [
    finding(
      'no-source-repository',
      'info',
      `${input.name} declares neither a source repository nor a homepage, so its published code cannot be compared with a public source.`,
      input.ecosystem === 'npm'
        ? 'no repository or homepage in package.json'
        : 'no home_page, download_url or project_urls',
    ),
  ];
}

function isDisposable(email: string, domains: ReadonlySet<string>): boolean {
  let domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  while (domain.includes('.')) {
    if (domains.has(domain)) return true;
    domain = domain.slice(domain.indexOf('.') + 1);
  }
  return false;
}

function disposableEmailSignals(
  input: HistoryInput,
  current: ReleaseFacts,
  options: HistoryOptions,
): Finding[] {
  const domains = options.disposableDomains
    ? new Set([...options.disposableDomains].map((d) => d.toLowerCase()))
    : DEFAULT_DISPOSABLE;
  const throwaway = current.emails.filter((email) => isDisposable(email, domains));
  if (throwaway.length === 0) return [];
  return [
    finding(
      'disposable-email',
      'low',
      `${input.name}@${input.version} lists an author or publisher address at a disposable e-mail service: nobody can reach the author, and such accounts are made to be thrown away.`,
      throwaway.map((email) => `@${email.split('@').pop()}`).join(', '),
    ),
  ];
}
