import { describe, expect, it } from '@jest/globals';
import { parseSyml } from '@yarnpkg/parsers';
import { ManifestParseError } from '../../../../src/manifests/parse/errors.js';
import { parseYarnClassic } from '../../../../src/manifests/parse/npm/yarn-classic.js';
import { dependencyGraph } from '../../../../src/manifests/findings/graph.js';
import { parseYarnLock } from '../../../../src/manifests/parse/npm/yarn-lock.js';
import { exactLineOf, fixture } from '../../fixtures.js';

// Real Yarn 1.22.22 output (fixtures/generate-js-locks.sh, fixtures/generate-yarn-shapes.sh).
// specifiers.classic.lock has entries headed by several descriptors (ms@^2.1.1, ms@^2.1.3) and an
// optionalDependencies block (chokidar → fsevents).
const CLASSIC_FIXTURES = [
  'yarn/classic.base.lock',
  'yarn/classic.head.lock',
  'yarn/specifiers.classic.lock',
];
const SPECIFIERS = fixture('yarn/specifiers.classic.lock');

/** The object Yarn's grammar builds: every descriptor of an entry maps to its fields. */
function asDocument(text: string): Record<string, unknown> {
  const document: Record<string, unknown> = {};
  for (const entry of parseYarnClassic(text)) {
    for (const descriptor of entry.descriptors) document[descriptor] = entry.fields;
  }
  return document;
}

function parseError(fn: () => unknown): ManifestParseError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ManifestParseError) return error;
    throw error;
  }
  throw new Error('expected a ManifestParseError');
}

function entryOf(text: string, descriptor: string) {
  const entry = parseYarnClassic(text).find((e) => e.descriptors.includes(descriptor));
  if (!entry) throw new Error(`no entry ${descriptor}`);
  return entry;
}

describe('parseYarnClassic on real Yarn 1 lockfiles', () => {
  it.each(CLASSIC_FIXTURES)('builds the same document as Yarn’s own grammar for %s', (file) => {
    const text = fixture(file);
    expect(asDocument(text)).toEqual(parseSyml(text));
  });

  it.each(CLASSIC_FIXTURES)('puts every entry on the line of its header in %s', (file) => {
    const text = fixture(file);
    const entries = parseYarnClassic(text);
    expect(entries.length).toBeGreaterThan(5);
    const lines = text.split('\n');
    for (const entry of entries) {
      expect(lines[entry.line - 1]).toMatch(/^\S.*:$/);
      expect(lines[entry.line - 1]).toContain(entry.descriptors[0]);
    }
  });

  it('splits an entry headed by several descriptors, on the header line', () => {
    const ms = entryOf(SPECIFIERS, 'ms@^2.1.3');
    expect(ms.descriptors).toEqual(['ms@^2.1.1', 'ms@^2.1.3']);
    expect(ms.line).toBe(exactLineOf(SPECIFIERS, 'ms@^2.1.1, ms@^2.1.3:'));
    expect(entryOf(SPECIFIERS, 'is-glob@~4.0.1').descriptors).toEqual([
      'is-glob@^4.0.1',
      'is-glob@~4.0.1',
    ]);
  });

  it('unquotes quoted keys (scoped names, aliases with a colon)', () => {
    const head = fixture('yarn/classic.head.lock');
    const scoped = entryOf(head, '@tootallnate/once@2.0.0');
    expect(scoped.line).toBe(exactLineOf(head, '"@tootallnate/once@2.0.0":'));
    const alias = entryOf(head, 'lp@npm:left-pad@1.3.0');
    expect(alias.line).toBe(exactLineOf(head, '"lp@npm:left-pad@1.3.0":'));
    expect(alias.fields.version).toBe('1.3.0');
  });

  it('reads version, resolved, integrity and the dependency blocks', () => {
    const chokidar = entryOf(SPECIFIERS, 'chokidar@3.6.0');
    expect(chokidar.fields).toEqual({
      version: '3.6.0',
      resolved:
        'https://registry.yarnpkg.com/chokidar/-/chokidar-3.6.0.tgz#197c6cc669ef2a8dc5e7b4d97ee4e092c3eb0d5b',
      integrity:
        'sha512-7VT13fmjotKpGipCW9JEQAusEPE+Ei8nl6/g4FBAmIm0GOOLMua9NDDo/DWp0ZAxCr3cPq5ZpBqmPAQgDda2Pw==',
      dependencies: {
        anymatch: '~3.1.2',
        braces: '~3.0.2',
        'glob-parent': '~5.1.2',
        'is-binary-path': '~2.1.0',
        'is-glob': '~4.0.1',
        'normalize-path': '~3.0.0',
        readdirp: '~3.6.0',
      },
      optionalDependencies: { fsevents: '~2.3.2' },
    });
  });

  it('reads CRLF line ends like LF ones, with the same lines', () => {
    const crlf = SPECIFIERS.replace(/\n/g, '\r\n');
    expect(parseYarnClassic(crlf)).toEqual(parseYarnClassic(SPECIFIERS));
  });

  it('ignores comments and blank lines anywhere, without shifting lines', () => {
    const commented = SPECIFIERS.replace(
      /\n {2}dependencies:\n/g,
      '\n  # what it needs\n  dependencies:\n    # first\n',
    ).replace(/\n\n/g, '\n# between entries\n   \n');
    expect(asDocument(commented)).toEqual(asDocument(SPECIFIERS));
    expect(asDocument(commented)).toEqual(parseSyml(commented));
    const debug = entryOf(commented, 'debug@^4.3.0');
    expect(debug.line).toBe(exactLineOf(commented, 'debug@^4.3.0:'));
  });

  it('keeps the dependency graph: optionalDependencies count as edges', () => {
    const graph = dependencyGraph('yarn-lock', SPECIFIERS)!;
    expect([...graph.dependents.get('fsevents')!]).toEqual(['chokidar']);
    expect([...graph.dependents.get('ms')!]).toEqual(['debug']);
    expect([...graph.dependents.get('picomatch')!].sort()).toEqual(['anymatch', 'readdirp']);
  });
});

describe('parseYarnClassic on truncated and malformed input', () => {
  it('either reads a truncated file or names its last line, at every cut', () => {
    for (let cut = 0; cut <= SPECIFIERS.length; cut++) {
      const text = SPECIFIERS.slice(0, cut);
      const lastLine = text.split('\n').length;
      try {
        parseYarnClassic(text);
      } catch (error) {
        expect(error).toBeInstanceOf(ManifestParseError);
        expect([cut, (error as ManifestParseError).line]).toEqual([cut, lastLine]);
      }
    }
  });

  it('accepts and rejects truncated files exactly where Yarn’s grammar does', () => {
    // Every line end plus a spread of cuts inside lines (the grammar is slow; not every byte).
    const cuts = [...SPECIFIERS.matchAll(/\n/g)].map((m) => m.index!);
    for (let cut = 1; cut < SPECIFIERS.length; cut += 23) cuts.push(cut);
    for (const cut of cuts) {
      const text = SPECIFIERS.slice(0, cut);
      let ours: unknown;
      let theirs: unknown;
      try {
        ours = asDocument(text);
      } catch {
        ours = 'error';
      }
      try {
        theirs = parseSyml(text);
      } catch {
        theirs = 'error';
      }
      expect([cut, ours]).toEqual([cut, theirs]);
    }
  });

  it('names the line of an unclosed string cut off at the end', () => {
    const truncated = SPECIFIERS.split('\n').slice(0, 7).join('\n') + '\n  resolved "https://regi';
    const error = parseError(() => parseYarnClassic(truncated));
    expect(error.message).toMatch(/^yarn.lock could not be parsed: a quoted string is not closed/);
    expect(error.line).toBe(8);
  });

  it.each<[string, string, number, RegExp]>([
    ['odd indentation', 'a@1:\n   version "1"\n', 2, /indented by 3 spaces/],
    ['a tab for indentation', 'a@1:\n\tversion "1"\n', 2, /tab in the indentation/],
    ['indentation under a value', 'a@1:\n  version "1"\n    x "2"\n', 3, /at most 2 fit/],
    ['two levels deeper', 'a@1:\n      version "1"\n', 2, /at most 2 fit/],
    ['a key without a value or colon', 'a@1:\n  version\n', 2, /expected ":" after "version"/],
    ['text after a quoted value', 'a@1:\n  version "1" x\n', 2, /unexpected text after/],
    ['an unknown escape', 'a@1:\n  version "1\\q"\n', 2, /unknown escape/],
    ['a control character', 'a@1:\n  version "1\u0001"\n', 2, /control character/],
    ['a YAML list', 'a@1:\n  files:\n    - x\n', 3, /lists are not part/],
    ['a top-level value', 'a@1 "x"\n', 1, /entry "a@1" is not a mapping/],
    ['a dangling comma', 'a@1, :\n', 1, /expected a key/],
  ])('rejects %s with its line', (_label, body, line, reason) => {
    const error = parseError(() => parseYarnClassic(`# yarn lockfile v1\n${body}`));
    expect(error.message).toMatch(reason);
    expect(error.line).toBe(line + 1);
  });

  it('decodes JSON escapes in quoted keys and values', () => {
    const [entry] = parseYarnClassic('"a@1":\n  note "tab\\there \\"quoted\\" \\u00e9"\n');
    expect(entry.fields.note).toBe('tab\there "quoted" é');
  });

  it('reads null, and true/false only in the key: value form, as Yarn does', () => {
    const text = 'a@1:\n  x null\n  y true\n  z: true\n  w: text here\n';
    expect(parseYarnClassic(text)[0].fields).toEqual({
      x: null,
      y: 'true',
      z: true,
      w: 'text here',
    });
    expect(asDocument(text)).toEqual(parseSyml(`# yarn lockfile v1\n${text}`));
  });
});

describe('parseYarnLock with entries headed by several descriptors', () => {
  it.each<[string, string, string]>([
    ['Yarn 1', 'yarn/specifiers.classic.lock', 'ms@^2.1.1, ms@^2.1.3:'],
    ['Yarn 4', 'yarn/specifiers.berry.lock', '"ms@npm:^2.1.1, ms@npm:^2.1.3":'],
  ])('%s: one package at the shared header line', (_label, file, header) => {
    const text = fixture(file);
    const ms = parseYarnLock(text).filter((p) => p.name === 'ms');
    expect(ms).toEqual([
      expect.objectContaining({ name: 'ms', version: '2.1.3', line: exactLineOf(text, header) }),
    ]);
    const fsevents = parseYarnLock(text).filter((p) => p.name === 'fsevents');
    expect(fsevents.length).toBeGreaterThan(0);
  });

  it('Yarn 4: the dependency graph reads entries with several descriptors', () => {
    const graph = dependencyGraph('yarn-lock', fixture('yarn/specifiers.berry.lock'))!;
    expect(graph.direct.has('chokidar')).toBe(true);
    expect(graph.direct.has('ms')).toBe(true);
    expect([...graph.dependents.get('ms')!]).toEqual(['debug']);
    expect([...graph.dependents.get('is-extglob')!]).toEqual(['is-glob']);
  });
});
