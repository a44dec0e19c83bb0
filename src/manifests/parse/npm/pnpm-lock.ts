import jsYaml from 'js-yaml';
import { isMap, isScalar, LineCounter, parseAllDocuments } from 'yaml';
import type { DeclaredPackage } from '../../../types.js';
import { ManifestParseError } from '../errors.js';
import { stripBom } from '../lines.js';
import { rememberLast } from '../memo.js';

/** pnpm 6 and 7 write 5.3/5.4, pnpm 8 writes 6.0 (6.1 with some settings), pnpm 9 and 10 write 9.0. */
export const SUPPORTED_PNPM_LOCKFILE_VERSIONS = ['5.3', '5.4', '6.0', '6.1', '9.0'] as const;

interface PackageKey {
  name: string;
  version?: string;
}

type YamlObject = Record<string, unknown>;

/**
 * Splits a `packages` key into name and version for every lockfile generation:
 * `/name/1.0.0_peer@2` (5.x), `/name@1.0.0(peer@2)` (6.x), `name@1.0.0` (9.x). Keys that are not
 * registry packages (`github.com/o/r/sha`, `file:x`, `name@https://…`) give no version; the
 * entry's own `name`/`version` fields fill in.
 */
export function parsePnpmPackageKey(key: string, major: number): PackageKey {
  let path = key.replace(/\(.*$/, '');
  if (major < 9) {
    if (!path.startsWith('/')) return { name: path };
    path = path.slice(1);
  }
  if (major === 5) {
    const parts = path.split('/');
    const scoped = parts[0].startsWith('@');
    const nameParts = scoped ? 2 : 1;
    if (parts.length !== nameParts + 1) return { name: path };
    return {
      name: parts.slice(0, nameParts).join('/'),
      version: parts[nameParts].replace(/_.*$/, ''),
    };
  }
  const at = path.indexOf('@', 1);
  if (at === -1) return { name: path };
  const version = path.slice(at + 1);
  // A URL or path after the @ is a non-registry source, not a version.
  if (/[:/]/.test(version)) return { name: path.slice(0, at) };
  return { name: path.slice(0, at), version };
}

function isObject(value: unknown): value is YamlObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function field(object: YamlObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Loads every YAML document with js-yaml (several times faster than a document model with
 * positions on multi-megabyte lockfiles). The failsafe schema keeps every scalar a string, so
 * `lockfileVersion: 5.4` and `version: 1.10` stay as written.
 */
/** The YAML documents of a pnpm-lock.yaml text (read-only; the last one is remembered). */
export const loadPnpmDocuments = rememberLast(loadDocuments);

function loadDocuments(text: string): unknown[] {
  try {
    return jsYaml.loadAll(text, undefined, { schema: jsYaml.FAILSAFE_SCHEMA, json: true });
  } catch (error) {
    if (error instanceof jsYaml.YAMLException) {
      throw new ManifestParseError(
        `pnpm-lock.yaml is not valid YAML: ${error.reason}`,
        error.mark ? error.mark.line + 1 : undefined,
      );
    }
    throw error;
  }
}

function unquoteYamlKey(raw: string): string {
  if (raw.startsWith("'") && raw.endsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  if (raw.startsWith('"') && raw.endsWith('"')) return JSON.parse(raw) as string;
  return raw;
}

/**
 * Lines of the keys of the last top-level `packages:` block, read from the layout pnpm writes
 * (two-space indented block keys). Returns undefined at the first thing that layout does not
 * explain, and the caller asks the YAML document model instead.
 */
function packageKeyLinesFromLayout(text: string): Map<string, number> | undefined {
  const lines = text.split('\n');
  let start = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^packages:\s*$/.test(lines[i])) {
      start = i;
      break;
    }
  }
  if (start === -1) return undefined;
  const result = new Map<string, number>();
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line === '' || /^\s*#/.test(line)) continue;
    if (!line.startsWith(' ')) break;
    if (line.startsWith('   ')) continue;
    const match = /^ {2}(\S.*?):(?:\s+\{\})?$/.exec(line);
    if (!match) return undefined;
    result.set(unquoteYamlKey(match[1]), i + 1);
  }
  return result;
}

/** Exact key lines from the `yaml` document model with a LineCounter, for any layout. */
function packageKeyLinesFromModel(text: string): Map<string, number> {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  const result = new Map<string, number>();
  if (!Array.isArray(documents)) return result;
  const lockfile = documents.filter((doc) => doc.has('packages')).pop();
  const packages = lockfile?.get('packages', true);
  if (!isMap(packages)) return result;
  for (const pair of packages.items) {
    if (isScalar(pair.key) && pair.key.range) {
      result.set(String(pair.key.value), lineCounter.linePos(pair.key.range[0]).line);
    }
  }
  return result;
}

function lineOfTopLevelKey(text: string, key: string): number | undefined {
  const index = text.split('\n').findIndex((line) => line.startsWith(`${key}:`));
  return index === -1 ? undefined : index + 1;
}

/**
 * Parses pnpm-lock.yaml (lockfile versions 5.3/5.4, 6.x and 9.0): one entry per `packages` key at
 * the key's line, with the version, integrity and (for tarballs and git) the resolved source.
 */
export function parsePnpmLock(content: string): DeclaredPackage[] {
  const text = stripBom(content);
  const documents = loadPnpmDocuments(text).filter(isObject);
  // pnpm 10 may put a small environment lockfile first, as its own YAML document.
  const lockfile =
    documents.filter((doc) => doc.packages !== undefined).pop() ??
    documents.filter((doc) => doc.lockfileVersion !== undefined).pop();
  const lockfileVersion = lockfile && field(lockfile, 'lockfileVersion');
  const supported = `supported versions are ${SUPPORTED_PNPM_LOCKFILE_VERSIONS.join(', ')}`;
  if (
    !lockfile ||
    lockfileVersion === undefined ||
    !(SUPPORTED_PNPM_LOCKFILE_VERSIONS as readonly string[]).includes(lockfileVersion)
  ) {
    throw new ManifestParseError(
      `unsupported pnpm-lock.yaml lockfileVersion ${lockfileVersion ?? '(missing)'}; ${supported}`,
      lineOfTopLevelKey(text, 'lockfileVersion') ?? 1,
    );
  }
  const major = Number(lockfileVersion.split('.')[0]);

  const packages = lockfile.packages;
  if (packages === undefined || packages === null || packages === '') return [];
  if (!isObject(packages)) {
    throw new ManifestParseError(
      'pnpm-lock.yaml "packages" is not a mapping',
      lineOfTopLevelKey(text, 'packages'),
    );
  }
  const keys = Object.keys(packages);
  let lines = packageKeyLinesFromLayout(text);
  if (!lines || keys.some((key) => !lines!.has(key))) lines = packageKeyLinesFromModel(text);

  const declared: DeclaredPackage[] = [];
  for (const key of keys) {
    const entry = packages[key];
    const line = lines.get(key) ?? 1;
    if (!isObject(entry)) {
      throw new ManifestParseError(`pnpm-lock.yaml package "${key}" is not a mapping`, line);
    }
    const fromKey = parsePnpmPackageKey(key, major);
    const name = field(entry, 'name') ?? fromKey.name;
    const version = field(entry, 'version') ?? fromKey.version;
    const resolution = entry.resolution;
    const pkg: DeclaredPackage = { ecosystem: 'npm', name, line };
    if (version !== undefined) pkg.version = version;
    else pkg.spec = '';
    if (isObject(resolution)) {
      // A local folder (`file:` dependency): nothing is downloaded for it.
      if (field(resolution, 'directory') !== undefined) continue;
      const integrity = field(resolution, 'integrity');
      if (integrity !== undefined) pkg.integrity = integrity;
      const tarball = field(resolution, 'tarball');
      const repo = field(resolution, 'repo');
      const commit = field(resolution, 'commit');
      if (tarball !== undefined) pkg.resolved = tarball;
      else if (repo !== undefined) pkg.resolved = commit ? `${repo}#${commit}` : repo;
    }
    declared.push(pkg);
  }
  return declared;
}
