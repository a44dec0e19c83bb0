import { parseSyml } from '@yarnpkg/parsers';
import type { DeclaredPackage } from '../../../types.js';
import { ManifestParseError } from '../errors.js';
import { stripBom } from '../lines.js';
import { rememberLast } from '../memo.js';

/** Yarn Berry's `__metadata.version` values this parser has been checked against (Yarn 2 to 4). */
export const SUPPORTED_BERRY_METADATA_VERSIONS = [4, 5, 6, 7, 8, 9, 10] as const;

const CLASSIC_MARKER = /^(#.*\r?\n)*?#\s+yarn\s+lockfile\s+v1\r?\n/i;

interface Header {
  /** The first descriptor of the entry, the key parseSyml files the entry under. */
  firstDescriptor: string;
  line: number;
}

/**
 * Top-level keys with their lines. Both Yarn formats put one entry per resolution at column 0,
 * headed by its descriptors (`"a@^1", "a@^1.1":` in v1, `"a@npm:^1, a@npm:^1.1":` in Berry).
 */
function entryHeaders(text: string): Header[] {
  const headers: Header[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line === '' || /^[\s#]/.test(line) || !line.endsWith(':')) return;
    const descriptors = splitDescriptors(line.slice(0, -1));
    if (descriptors.length > 0) headers.push({ firstDescriptor: descriptors[0], line: index + 1 });
  });
  return headers;
}

function splitDescriptors(header: string): string[] {
  return header
    .replace(/"/g, '')
    .split(/,\s*/)
    .map((part) => part.trim())
    .filter(Boolean);
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

/** The parsed document of a yarn.lock text (read-only; the last one is remembered). */
export const parseYarnDocument = rememberLast(parseOrThrow);

function parseOrThrow(text: string): Record<string, unknown> {
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
  const text = stripBom(content);
  const parsed = parseYarnDocument(text);
  const berry = !CLASSIC_MARKER.test(text);
  if (berry) {
    const metadata = parsed.__metadata as Record<string, unknown> | undefined;
    if (!metadata || typeof metadata !== 'object') {
      throw new ManifestParseError(
        'yarn.lock is neither a Yarn 1 lockfile (no "# yarn lockfile v1" line) nor a Yarn 2+ lockfile (no __metadata)',
        1,
      );
    }
    const version = Number(metadata.version);
    if (!(SUPPORTED_BERRY_METADATA_VERSIONS as readonly number[]).includes(version)) {
      throw new ManifestParseError(
        `unsupported yarn.lock __metadata.version ${String(metadata.version)}; supported versions are ${SUPPORTED_BERRY_METADATA_VERSIONS.join(', ')} and the Yarn 1 format`,
        entryHeaders(text).find((h) => h.firstDescriptor === '__metadata')?.line,
      );
    }
  }

  const declared: DeclaredPackage[] = [];
  for (const header of entryHeaders(text)) {
    if (header.firstDescriptor === '__metadata') continue;
    const entry = parsed[header.firstDescriptor];
    if (!entry || typeof entry !== 'object') {
      throw new ManifestParseError(
        `yarn.lock entry "${header.firstDescriptor}" is not a mapping`,
        header.line,
      );
    }
    const pkg = berry
      ? fromBerryEntry(entry as Record<string, unknown>, header)
      : fromClassicEntry(entry as Record<string, unknown>, header);
    if (pkg) declared.push(pkg);
  }
  return declared;
}

function fromClassicEntry(
  entry: Record<string, unknown>,
  header: Header,
): DeclaredPackage | undefined {
  let name = descriptorName(header.firstDescriptor);
  const range = descriptorRange(header.firstDescriptor);
  if (/^(file|link):/.test(range)) return undefined;
  const alias = /^npm:((?:@[^/@]+\/)?[^@]+)@/.exec(range);
  if (alias) name = alias[1];
  const pkg: DeclaredPackage = { ecosystem: 'npm', name, line: header.line };
  const version = str(entry, 'version');
  if (version !== undefined) pkg.version = version;
  else pkg.spec = '';
  const integrity = str(entry, 'integrity');
  if (integrity !== undefined) pkg.integrity = integrity;
  const resolved = str(entry, 'resolved');
  if (resolved !== undefined) pkg.resolved = resolved;
  return pkg;
}

// Berry protocols that point into the repository itself: nothing is downloaded for them.
const LOCAL_PROTOCOLS = /^(workspace|link|portal|file):/;

function fromBerryEntry(
  entry: Record<string, unknown>,
  header: Header,
): DeclaredPackage | undefined {
  const resolution = str(entry, 'resolution') ?? header.firstDescriptor;
  const name = descriptorName(resolution);
  const reference = descriptorRange(resolution);
  if (LOCAL_PROTOCOLS.test(reference)) return undefined;
  const pkg: DeclaredPackage = { ecosystem: 'npm', name, line: header.line };
  const version = str(entry, 'version');
  if (version !== undefined) pkg.version = version;
  else pkg.spec = '';
  // npm: references come from the configured registry; anything else names its own source.
  if (!reference.startsWith('npm:') && !reference.startsWith('patch:')) pkg.resolved = reference;
  return pkg;
}
