// Reads registry metadata (npm packument, PyPI JSON API) into one small, registry-neutral shape.
// Everything arrives as `unknown`: fields may be missing, renamed or of the wrong type, and a
// missing field means "not known", never "absent" — signals skip what they cannot know.
import type { Ecosystem } from '../types.js';

export type JsonRecord = Record<string, unknown>;

export function asRecord(value: unknown): JsonRecord | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as JsonRecord)
    : undefined;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function asDate(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export interface ReleaseEntry {
  version: string;
  publishedAt?: Date;
  /** npm: unpacked size; PyPI: the largest file of the release. */
  sizeBytes?: number;
}

export interface ReleaseFacts {
  version: string;
  /** Account that published this version (npm `_npmUser.name`). */
  publisher?: string;
  /** Published through a CI identity (npm trusted publishing), not a person's token. */
  trustedPublisher?: boolean;
  /** npm maintainers recorded on this version; PyPI: declared author/maintainer e-mails. */
  maintainers?: string[];
  /** npm `dist.attestations` present; undefined where the registry does not tell. */
  hasProvenance?: boolean;
  deprecated?: string;
  /** Reason text, or '' when yanked without one. */
  yanked?: string;
  /** Repository or homepage declared; undefined when the metadata does not say. */
  hasSourceLink?: boolean;
  emails: string[];
}

export interface PackageHistory {
  ecosystem: Ecosystem;
  /** Every release the registry lists; undefined when the metadata carries no release list. */
  releases?: ReleaseEntry[];
  firstPublished?: Date;
  facts(version: string): ReleaseFacts | undefined;
}

/** `Name <a@b>, c@d` → `['a@b', 'c@d']`, lowercased. */
export function emailsIn(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  return [...text.matchAll(/[^\s<>,;"'()]+@[^\s<>,;"'()]+\.[a-z0-9-]{2,}/gi)].map((m) =>
    m[0].toLowerCase(),
  );
}

function personName(value: unknown): string | undefined {
  if (typeof value === 'string') return asString(value.replace(/<[^>]*>|\([^)]*\)/g, ''));
  return asString(asRecord(value)?.name);
}

function personEmails(value: unknown): string[] {
  if (typeof value === 'string') return emailsIn(value);
  return emailsIn(asRecord(value)?.email);
}

function earliest(dates: (Date | undefined)[]): Date | undefined {
  let first: Date | undefined;
  for (const date of dates) if (date && (!first || date < first)) first = date;
  return first;
}

const TRUSTED_PUBLISHER_EMAIL = 'npm-oidc-no-reply@github.com';

/** npm: the full packument (`Accept: application/json`); the abbreviated one has no history. */
export function npmHistory(packument: unknown): PackageHistory | undefined {
  const doc = asRecord(packument);
  const versions = asRecord(doc?.versions);
  if (!doc || !versions) return undefined;
  // The abbreviated install document has no `time` and drops repository, homepage, author and
  // _npmUser: their absence there says nothing.
  const isFullDocument = asRecord(doc.time) !== undefined;
  const time = asRecord(doc.time) ?? {};
  const releases: ReleaseEntry[] = Object.keys(versions).map((version) => ({
    version,
    publishedAt: asDate(time[version]),
    sizeBytes: asNumber(asRecord(asRecord(versions[version])?.dist)?.unpackedSize),
  }));
  return {
    ecosystem: 'npm',
    releases,
    firstPublished: earliest(releases.map((r) => r.publishedAt)) ?? asDate(time.created),
    facts(version) {
      const manifest = asRecord(versions[version]);
      if (!manifest) return undefined;
      const npmUser = asRecord(manifest._npmUser);
      const maintainerList = Array.isArray(manifest.maintainers) ? manifest.maintainers : undefined;
      const repository = manifest.repository ?? doc.repository;
      const homepage = manifest.homepage ?? doc.homepage;
      const repositoryUrl = asString(repository) ?? asString(asRecord(repository)?.url);
      const emails = [
        ...emailsIn(npmUser?.email),
        ...personEmails(manifest.author),
        ...(maintainerList ?? []).flatMap(personEmails),
      ];
      return {
        version,
        publisher: asString(npmUser?.name),
        trustedPublisher:
          npmUser !== undefined &&
          (asRecord(npmUser.trustedPublisher) !== undefined ||
            asString(npmUser.email)?.toLowerCase() === TRUSTED_PUBLISHER_EMAIL),
        maintainers: maintainerList
          ?.map(personName)
          .filter((name): name is string => name !== undefined),
        hasProvenance: asRecord(manifest.dist)
          ? asRecord(asRecord(manifest.dist)?.attestations) !== undefined
          : undefined,
        deprecated: asString(manifest.deprecated),
        hasSourceLink: isFullDocument ? Boolean(repositoryUrl || asString(homepage)) : undefined,
        emails: [...new Set(emails)],
      };
    },
  };
}

interface PypiFileFacts {
  uploadedAt?: Date;
  size?: number;
  yanked: boolean;
  yankedReason?: string;
}

function pypiFiles(value: unknown): PypiFileFacts[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry) => {
    const file = asRecord(entry) ?? {};
    return {
      uploadedAt: asDate(file.upload_time_iso_8601) ?? asDate(file.upload_time),
      size: asNumber(file.size),
      yanked: file.yanked === true,
      yankedReason: asString(file.yanked_reason),
    };
  });
}

/**
 * PyPI: `project` is `/pypi/NAME/json` (the release list with upload times and yanked flags);
 * `versionDocs` are `/pypi/NAME/VERSION/json` documents, whose `info` describes that version
 * (the project document's `info` describes only the latest release).
 */
export function pypiHistory(project: unknown, versionDocs: unknown[] = []): PackageHistory {
  const projectDoc = asRecord(project);
  const releaseMap = asRecord(projectDoc?.releases);
  const releases = releaseMap
    ? Object.entries(releaseMap).map(([version, files]) => {
        const facts = pypiFiles(files);
        const sizes = facts.map((f) => f.size).filter((s): s is number => s !== undefined);
        return {
          version,
          publishedAt: earliest(facts.map((f) => f.uploadedAt)),
          sizeBytes: sizes.length ? Math.max(...sizes) : undefined,
        };
      })
    : undefined;
  // A release without files (all deleted) was never installable: it is not a release.
  const installable = releases?.filter((r) => r.publishedAt || r.sizeBytes !== undefined);
  const infoByVersion = new Map<string, { info: JsonRecord; files: PypiFileFacts[] }>();
  for (const doc of [projectDoc, ...versionDocs.map(asRecord)]) {
    const info = asRecord(doc?.info);
    const version = asString(info?.version);
    if (!info || !version) continue;
    if (doc !== projectDoc || !infoByVersion.has(version)) {
      infoByVersion.set(version, { info, files: pypiFiles(doc?.urls) });
    }
  }
  return {
    ecosystem: 'pypi',
    releases: installable,
    firstPublished: earliest((installable ?? []).map((r) => r.publishedAt)),
    facts(version) {
      const known = infoByVersion.get(version);
      const listed = releaseMap ? pypiFiles(releaseMap[version]) : [];
      if (!known && listed.length === 0) return undefined;
      const files = known?.files.length ? known.files : listed;
      const info = known?.info;
      const allYanked = files.length > 0 && files.every((f) => f.yanked);
      const yanked =
        info?.yanked === true || allYanked
          ? (asString(info?.yanked_reason) ?? files.find((f) => f.yankedReason)?.yankedReason ?? '')
          : undefined;
      const projectUrls = asRecord(info?.project_urls);
      const contacts = info
        ? [...emailsIn(info.author_email), ...emailsIn(info.maintainer_email)]
        : undefined;
      return {
        version,
        maintainers: contacts ? [...new Set(contacts)] : undefined,
        yanked,
        hasSourceLink: info
          ? Boolean(
              asString(info.home_page) ||
              asString(info.download_url) ||
              Object.values(projectUrls ?? {}).some((url) => asString(url)),
            )
          : undefined,
        emails: contacts ? [...new Set(contacts)] : [],
      };
    },
  };
}
