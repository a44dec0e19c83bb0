import { parse, TomlError } from 'smol-toml';
import { ManifestParseError } from '../errors.js';
import { stripBom } from '../lines.js';
import { rememberLast } from '../memo.js';

export type TomlTable = Record<string, unknown>;

const parseRemembered = rememberLast((content: string) => parse(stripBom(content)) as TomlTable);

/** The parsed TOML document (read-only: the last one is remembered for the dependency graph). */
export function parseTomlDocument(content: string, what: string): TomlTable {
  try {
    return parseRemembered(content);
  } catch (error) {
    if (error instanceof TomlError) {
      throw new ManifestParseError(
        `${what} is not valid TOML: ${error.message.split('\n')[0]}`,
        error.line,
      );
    }
    throw error;
  }
}

/**
 * Lines of the `name = …` key of each `[[package]]` (or `header`) table, in file order (the order the TOML
 * parser returns them in): TOML parsers keep no positions, and this is the line a reviewer wants
 * the comment on. A table without a name line falls back to its header line.
 */
export function packageTableLines(content: string, header = '[[package]]'): number[] {
  const lines = stripBom(content).split(/\r?\n/);
  const result: number[] = [];
  let awaitingName = false;
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed.startsWith('[')) {
      awaitingName = trimmed === header;
      if (awaitingName) result.push(index + 1);
      return;
    }
    if (awaitingName && /^name\s*=/.test(trimmed)) {
      result[result.length - 1] = index + 1;
      awaitingName = false;
    }
  });
  return result;
}

export function tomlString(table: TomlTable, key: string): string | undefined {
  const value = table[key];
  return typeof value === 'string' ? value : undefined;
}

export function tomlTable(table: TomlTable, key: string): TomlTable | undefined {
  const value = table[key];
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as TomlTable)
    : undefined;
}

export function tomlTables(table: TomlTable, key: string): TomlTable[] {
  const value = table[key];
  return Array.isArray(value)
    ? value.filter((item): item is TomlTable => Boolean(item) && typeof item === 'object')
    : [];
}

/** `sha256:<hex>` values from `{ hash = "sha256:…" }` tables, lowercased, without duplicates. */
export function hashesOf(files: TomlTable[]): string[] {
  const hashes = new Set<string>();
  for (const file of files) {
    const hash = tomlString(file, 'hash');
    if (hash && /^[a-z0-9]+:[0-9a-f]+$/i.test(hash)) hashes.add(hash.toLowerCase());
  }
  return [...hashes];
}
