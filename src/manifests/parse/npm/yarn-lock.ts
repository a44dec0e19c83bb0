import { parseSyml } from '@yarnpkg/parsers';
import type { DeclaredPackage } from '../../../types.js';
import { ManifestParseError } from '../errors.js';
import { LineIndex, stripBom } from '../lines.js';
import { rememberLast } from '../memo.js';
import { parseYarnClassic } from './yarn-classic.js';

/** Yarn Berry's `__metadata.version` values this parser has been checked against (Yarn 2 to 4). */
export const SUPPORTED_BERRY_METADATA_VERSIONS = [4, 5, 6, 7, 8, 9, 10] as const;

const CLASSIC_MARKER = /^(#.*\r?\n)*?#\s+yarn\s+lockfile\s+v1\r?\n/i;

/** One resolution in either format: the descriptors that head it, its line and its fields. */
export interface YarnLockEntry {
  descriptors: string[];
  line: number;
  fields: Record<string, unknown>;
}

export interface YarnLockDocument {
  /** Yarn 1 (classic v1) rather than Yarn 2+ (Berry YAML). */
  classic: boolean;
  /** Berry's `__metadata` block and its line. */
  metadata?: { fields: Record<string, unknown>; line: number };
  entries: YarnLockEntry[];
}

/** `name@range` → name, keeping a scope's leading `@`. */
function descriptorName(descriptor: string): string {
  const at = descriptor.indexOf('@', 1);
  return at === -1 ? descriptor : descriptor.slice(0, at);
}

function descriptorRange(descriptor: string): string {
  const at = descriptor.indexOf('@', 1);
  return at === -1 ? '' : descriptor.slice(at + 1);
}

/**
 * The parsed yarn.lock (read-only; the last one is remembered, since a run reads the head side
 * for its packages and again for its dependency graph). Yarn 1 files go through a dedicated
 * line parser; Berry files are YAML and go through Yarn's own parser.
 */
export const parseYarnDocument = rememberLast(readYarnLock);

function readYarnLock(text: string): YarnLockDocument {
  if (CLASSIC_MARKER.test(text)) return { classic: true, entries: parseYarnClassic(text) };
  const parsed = parseBerry(text);
  const lines = berryKeyLines(text);
  const document: YarnLockDocument = { classic: false, entries: [] };
  for (const [key, fields] of Object.entries(parsed)) {
    const line = lines.get(key) ?? lineMentioning(text, key.split(',')[0].trim());
    if (key === '__metadata') {
      if (isObject(fields)) document.metadata = { fields, line };
      continue;
    }
    if (!isObject(fields)) {
      throw new ManifestParseError(`yarn.lock entry "${key}" is not a mapping`, line);
    }
    // Berry heads an entry shared by several ranges with one key: "a@npm:^1, a@npm:^1.1".
    const descriptors = key
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    document.entries.push({ descriptors, line, fields });
  }
  return document;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The line of each top-level key of a Berry lockfile. Yarn writes every key on its own line at
 * column 0 (`"a@npm:1, a@npm:^1.1":` or `__metadata:`), so no YAML position tracking is needed.
 */
function berryKeyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const all = text.split('\n');
  for (let index = 0; index < all.length; index++) {
    const line = all[index].replace(/\r$/, '').trimEnd();
    if (line === '' || /^[\s#]/.test(line) || !line.endsWith(':')) continue;
    let key = line.slice(0, -1);
    if (key.startsWith('"') && key.endsWith('"') && key.length >= 2) {
      try {
        key = JSON.parse(key) as string;
      } catch {
        key = key.slice(1, -1);
      }
    } else if (key.startsWith("'") && key.endsWith("'") && key.length >= 2) {
      key = key.slice(1, -1).replace(/''/g, "'");
    }
    if (!lines.has(key)) lines.set(key, index + 1);
  }
  return lines;
}

/** For a key written in a shape berryKeyLines does not read: the first line that names it. */
function lineMentioning(text: string, needle: string): number {
  const at = needle === '' ? -1 : text.indexOf(needle);
  return at === -1 ? 1 : new LineIndex(text).lineAt(at);
}

function parseBerry(text: string): Record<string, unknown> {
  try {
    return parseSyml(text) as Record<string, unknown>;
  } catch (error) {
    const details = error as {
      message?: string;
      location?: { start?: { line?: number } };
      mark?: { line?: number };
    };
    const line =
      details.location?.start?.line ??
      (details.mark?.line !== undefined ? details.mark.line + 1 : undefined);
    const reason = (details.message ?? String(error)).split('\n')[0];
    throw new ManifestParseError(`yarn.lock could not be parsed: ${reason}`, line);
  }
}

function str(entry: Record<string, unknown>, key: string): string | undefined {
  const value = entry[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Parses yarn.lock in both formats: classic v1 (Yarn 1) and Berry (Yarn 2+, YAML with
 * `__metadata`). One entry per resolved package, at the line of its header.
 */
export function parseYarnLock(content: string): DeclaredPackage[] {
  const document = parseYarnDocument(stripBom(content));
  if (!document.classic) {
    const metadata = document.metadata;
    if (!metadata) {
      throw new ManifestParseError(
        'yarn.lock is neither a Yarn 1 lockfile (no "# yarn lockfile v1" line) nor a Yarn 2+ lockfile (no __metadata)',
        1,
      );
    }
    const version = Number(metadata.fields.version);
    if (!(SUPPORTED_BERRY_METADATA_VERSIONS as readonly number[]).includes(version)) {
      throw new ManifestParseError(
        `unsupported yarn.lock __metadata.version ${String(metadata.fields.version)}; supported versions are ${SUPPORTED_BERRY_METADATA_VERSIONS.join(', ')} and the Yarn 1 format`,
        metadata.line,
      );
    }
  }

  const declared: DeclaredPackage[] = [];
  for (const entry of document.entries) {
    const pkg = document.classic ? fromClassicEntry(entry) : fromBerryEntry(entry);
    if (pkg) declared.push(pkg);
  }
  return declared;
}

function fromClassicEntry(entry: YarnLockEntry): DeclaredPackage | undefined {
  let name = descriptorName(entry.descriptors[0]);
  const range = descriptorRange(entry.descriptors[0]);
  if (/^(file|link):/.test(range)) return undefined;
  const alias = /^npm:((?:@[^/@]+\/)?[^@]+)@/.exec(range);
  if (alias) name = alias[1];
  const pkg: DeclaredPackage = { ecosystem: 'npm', name, line: entry.line };
  const version = str(entry.fields, 'version');
  if (version !== undefined) pkg.version = version;
  else pkg.spec = '';
  const integrity = str(entry.fields, 'integrity');
  if (integrity !== undefined) pkg.integrity = integrity;
  const resolved = str(entry.fields, 'resolved');
  if (resolved !== undefined) pkg.resolved = resolved;
  return pkg;
}

// Berry protocols that point into the repository itself: nothing is downloaded for them.
const LOCAL_PROTOCOLS = /^(workspace|link|portal|file):/;

function fromBerryEntry(entry: YarnLockEntry): DeclaredPackage | undefined {
  const resolution = str(entry.fields, 'resolution') ?? entry.descriptors[0];
  const name = descriptorName(resolution);
  const reference = descriptorRange(resolution);
  if (LOCAL_PROTOCOLS.test(reference)) return undefined;
  const pkg: DeclaredPackage = { ecosystem: 'npm', name, line: entry.line };
  const version = str(entry.fields, 'version');
  if (version !== undefined) pkg.version = version;
  else pkg.spec = '';
  // npm: references come from the configured registry; anything else names its own source.
  if (!reference.startsWith('npm:') && !reference.startsWith('patch:')) pkg.resolved = reference;
  return pkg;
}
