import {
  parse,
  parseTree,
  printParseErrorCode,
  stripComments,
  type ParseError,
} from 'jsonc-parser';
import { ManifestParseError } from '../errors.js';
import { LineIndex, stripBom } from '../lines.js';

export type JsonObject = Record<string, unknown>;

export interface JsonDocument {
  root: JsonObject;
  /** The text as parsed, with JSONC comments blanked to spaces (offsets unchanged). */
  text: string;
  lines: LineIndex;
}

const READABLE_ERRORS: Record<string, string> = {
  InvalidSymbol: 'invalid symbol',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'property name expected',
  ValueExpected: 'value expected',
  ColonExpected: 'colon expected',
  CommaExpected: 'comma expected',
  CloseBraceExpected: 'closing brace expected',
  CloseBracketExpected: 'closing bracket expected',
  EndOfFileExpected: 'end of file expected',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unexpected end of comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unexpected end of number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character',
};

/**
 * Parses strict JSON into plain values with the engine's JSON.parse (lockfiles run to megabytes,
 * and it is an order of magnitude faster than a tree with offsets). Only when the text is not
 * valid JSON does jsonc-parser run, to name the first error and its line the same way on every
 * Node version.
 */
export function parseJsonDocument(
  content: string,
  what: string,
  options: { jsonc?: boolean } = {},
): JsonDocument {
  const text = stripBom(content);
  const lines = new LineIndex(text);
  if (text.trim() === '') throw new ManifestParseError(`${what} is empty`, 1);
  const jsonOptions = {
    disallowComments: !options.jsonc,
    allowTrailingComma: Boolean(options.jsonc),
  };
  const fail = (errors: ParseError[], fallback: unknown): never => {
    const first = errors[0];
    if (!first) {
      const reason = fallback instanceof Error ? fallback.message : String(fallback);
      throw new ManifestParseError(`${what} is not valid JSON: ${reason}`);
    }
    const code = printParseErrorCode(first.error);
    throw new ManifestParseError(
      `${what} is not valid JSON: ${READABLE_ERRORS[code] ?? code}`,
      lines.lineAt(first.offset),
    );
  };
  let root: unknown;
  if (options.jsonc) {
    const errors: ParseError[] = [];
    root = parse(text, errors, jsonOptions);
    if (errors.length > 0) fail(errors, undefined);
  } else {
    try {
      root = JSON.parse(text);
    } catch (parseError) {
      const errors: ParseError[] = [];
      parseTree(text, errors, jsonOptions);
      fail(errors, parseError);
    }
  }
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    const kind = root === null ? 'null' : Array.isArray(root) ? 'array' : typeof root;
    throw new ManifestParseError(`${what} must be a JSON object, found ${kind}`, 1);
  }
  // Comments become spaces, so the key scanner sees plain JSON at the same offsets.
  const scanText = options.jsonc ? stripComments(text, ' ') : text;
  return { root: root as JsonObject, text: scanText, lines };
}

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function stringField(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

/** Separator for `keyPath`: a character JSON keys of package names never contain. */
const SEP = '\u0000';

/** The lookup key for the line of `key` inside the object at `parents` (keys from the root). */
export function keyPath(parents: readonly string[], key: string): string {
  return parents.length === 0 ? key : `${parents.join(SEP)}${SEP}${key}`;
}

/**
 * Lines of the object keys whose parent path `wanted` accepts, from one pass over valid JSON text
 * (call after parseJsonDocument). Array elements appear in paths as `[]`. Map keys come from
 * `keyPath`; a duplicated key keeps its last line, as JSON.parse keeps its last value.
 */
export function jsonKeyLines(
  document: JsonDocument,
  wanted: (parents: readonly string[]) => boolean,
): Map<string, number> {
  const { text, lines } = document;
  const result = new Map<string, number>();
  const parents: string[] = [];
  const isObject: boolean[] = [];
  let pendingKey: string | undefined;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let end = i + 1;
      for (;;) {
        end = text.indexOf('"', end);
        let backslashes = 0;
        for (let k = end - 1; text.charCodeAt(k) === 0x5c; k--) backslashes++;
        if (backslashes % 2 === 0) break;
        end++;
      }
      if (expectKey) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (wanted(parents)) result.set(keyPath(parents, key), lines.lineAt(i));
        pendingKey = key;
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      // The root container has no key; everything below it is named by its key (or `[]`).
      if (isObject.length > 0) parents.push(pendingKey ?? '[]');
      isObject.push(c === 0x7b);
      expectKey = c === 0x7b;
      pendingKey = undefined;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      isObject.pop();
      if (isObject.length > 0) parents.pop();
      pendingKey = undefined;
    } else if (c === 0x2c /* , */) {
      expectKey = isObject[isObject.length - 1] === true;
      pendingKey = undefined;
    }
  }
  return result;
}
