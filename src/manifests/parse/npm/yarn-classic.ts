import { ManifestParseError } from '../errors.js';

/** A value in a Yarn 1 lockfile: a string, `true`/`false`/`null`, or a nested block. */
export type YarnClassicValue = string | boolean | null | YarnClassicMapping;
export interface YarnClassicMapping {
  [key: string]: YarnClassicValue;
}

/** One top-level entry: the descriptors that head it, the line of the header, and its fields. */
export interface YarnClassicEntry {
  descriptors: string[];
  line: number;
  fields: YarnClassicMapping;
}

const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

// Characters JSON (and Yarn's own grammar) forbid unescaped inside a quoted string.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A cursor over one line; one instance is reused for every line of a file. */
class LineReader {
  text = '';
  line = 0;
  position = 0;

  reset(text: string, line: number, position: number): void {
    this.text = text;
    this.line = line;
    this.position = position;
  }

  fail(reason: string): never {
    throw new ManifestParseError(
      `yarn.lock could not be parsed: ${reason} (line ${this.line})`,
      this.line,
    );
  }

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  skipBlanks(): void {
    let code = this.text.charCodeAt(this.position);
    while (code === SPACE || code === TAB) code = this.text.charCodeAt(++this.position);
  }

  /** A key or value in double quotes, with JSON's escapes. */
  quoted(): string {
    const start = this.position + 1;
    const end = this.text.indexOf('"', start);
    if (end === -1) this.fail('a quoted string is not closed');
    const simple = this.text.slice(start, end);
    if (!simple.includes('\\')) {
      if (CONTROL.test(simple)) this.fail('a quoted string holds a control character');
      this.position = end + 1;
      return simple;
    }
    let out = '';
    let i = start;
    for (;;) {
      if (i >= this.text.length) this.fail('a quoted string is not closed');
      const code = this.text.charCodeAt(i);
      if (code === QUOTE) break;
      if (code === BACKSLASH) {
        const next = this.text[i + 1];
        if (next === 'u') {
          const hex = this.text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('a \\u escape needs four hex digits');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
          continue;
        }
        const escaped = next === undefined ? undefined : ESCAPES[next];
        if (escaped === undefined) this.fail(`unknown escape "\\${next ?? ''}" in a quoted string`);
        out += escaped;
        i += 2;
        continue;
      }
      if (code < 0x20 || code === 0x7f) this.fail('a quoted string holds a control character');
      out += this.text[i];
      i++;
    }
    this.position = i + 1;
    return out;
  }

  /** A key: quoted, or a bare word up to a blank, `:` or `,`. */
  key(): string {
    if (this.text.charCodeAt(this.position) === QUOTE) return this.quoted();
    const start = this.position;
    let code = this.text.charCodeAt(this.position);
    while (
      this.position < this.text.length &&
      code !== SPACE &&
      code !== TAB &&
      code !== 0x3a && // :
      code !== 0x2c && // ,
      code !== QUOTE
    ) {
      code = this.text.charCodeAt(++this.position);
    }
    if (this.position === start) {
      this.fail(`expected a key, found "${this.text.slice(this.position, this.position + 20)}"`);
    }
    return this.text.slice(start, this.position);
  }

  /**
   * The value after a key, to the end of the line. `key: value` reads true/false as booleans,
   * the older `key value` form keeps them as text; both read `null` as null (as Yarn does).
   */
  value(colonForm: boolean): YarnClassicValue {
    let value: YarnClassicValue;
    if (this.text.charCodeAt(this.position) === QUOTE) {
      value = this.quoted();
      this.skipBlanks();
      if (!this.atEnd()) this.fail(`unexpected text after a quoted value: "${this.rest()}"`);
      return value;
    }
    const word = this.rest().trimEnd();
    this.position = this.text.length;
    if (word === 'null') return null;
    if (colonForm && (word === 'true' || word === 'false')) return word === 'true';
    return word;
  }

  rest(): string {
    return this.text.slice(this.position);
  }
}

/**
 * Parses a Yarn 1 ("# yarn lockfile v1") lockfile line by line: entries at column 0 headed by
 * one or more descriptors (`"a@^1", a@^1.1:`), fields indented by two spaces per level, either
 * `key "value"` or `key: value`, and nested blocks (`dependencies:`, `optionalDependencies:`).
 * Comments and blank lines may appear anywhere; CRLF line ends are accepted. The result matches
 * what Yarn's own grammar (@yarnpkg/parsers) builds, with each entry's line kept, at a fraction
 * of its cost on large lockfiles. Throws ManifestParseError with the line for anything else.
 */
export function parseYarnClassic(text: string): YarnClassicEntry[] {
  const entries: YarnClassicEntry[] = [];
  const root: YarnClassicMapping = {};
  // levels[d] receives the keys written at depth d (2·d spaces).
  const levels: YarnClassicMapping[] = [root];
  const lines = text.split('\n');
  const reader = new LineReader();
  for (let index = 0; index < lines.length; index++) {
    let raw = lines[index];
    if (raw.charCodeAt(raw.length - 1) === 0x0d) raw = raw.slice(0, -1);
    let column = 0;
    while (raw.charCodeAt(column) === SPACE) column++;
    if (column === raw.length) continue;
    const first = raw.charCodeAt(column);
    if (first === 0x23) continue; // # comment
    reader.reset(raw, index + 1, column);
    if (first === TAB) {
      if (/^[ \t]*(#.*)?$/.test(raw)) continue;
      reader.fail('a tab in the indentation (yarn.lock indents with two spaces)');
    }
    if (column % 2 !== 0) {
      reader.fail(`indented by ${column} spaces (yarn.lock indents by two per level)`);
    }
    const depth = column / 2;
    if (depth >= levels.length) {
      reader.fail(
        `indented by ${column} spaces where at most ${(levels.length - 1) * 2} fit (only a line ending in ":" opens a block)`,
      );
    }
    levels.length = depth + 1;
    if (first === 0x2d && /^-(\s|$)/.test(raw.slice(column))) {
      reader.fail('a list item ("- …"); lists are not part of the yarn.lock v1 format');
    }

    const keys = [reader.key()];
    reader.skipBlanks();
    while (raw.charCodeAt(reader.position) === 0x2c) {
      reader.position++;
      reader.skipBlanks();
      keys.push(reader.key());
      reader.skipBlanks();
    }
    const target = levels[depth];
    if (raw.charCodeAt(reader.position) === 0x3a) {
      reader.position++;
      reader.skipBlanks();
      if (reader.atEnd()) {
        const block: YarnClassicMapping = {};
        for (const key of keys) target[key] = block;
        levels.push(block);
        if (depth === 0) entries.push({ descriptors: keys, line: index + 1, fields: block });
        continue;
      }
      const value = reader.value(true);
      for (const key of keys) target[key] = value;
    } else if (keys.length === 1 && !reader.atEnd()) {
      target[keys[0]] = reader.value(false);
    } else {
      reader.fail(`expected ":" after "${keys.join(', ')}"`);
    }
    if (depth === 0) {
      throw new ManifestParseError(`yarn.lock entry "${keys[0]}" is not a mapping`, index + 1);
    }
  }
  return entries;
}
