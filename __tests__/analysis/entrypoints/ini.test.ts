import { describe, expect, it } from '@jest/globals';
import { parseIni } from '../../../src/analysis/entrypoints/ini.js';

describe('parseIni', () => {
  it('reads sections, entries, comments and continuation lines with their line numbers', () => {
    const doc = parseIni(
      '# top comment\n[console_scripts]\nfoo = pkg.cli:main\n; other comment\nBar=pkg:bar [extra]\n\n[options]\nlist =\n    a = b\n    c = d\n',
    );
    const scripts = doc.sections.get('console_scripts');
    expect(scripts?.line).toBe(2);
    expect(scripts?.entries.map((e) => [e.key, e.value, e.line])).toEqual([
      ['foo', 'pkg.cli:main', 3],
      ['Bar', 'pkg:bar [extra]', 5],
    ]);
    const list = doc.sections.get('options')?.entries[0];
    expect(list?.valueLines).toEqual([
      { text: 'a = b', line: 9 },
      { text: 'c = d', line: 10 },
    ]);
  });

  it('splits on the first "=" even when the target holds ":", and reports stray lines', () => {
    const doc = parseIni('stray\n[g]\nname: value\nx = a:b\n', 10);
    expect(doc.problems).toEqual([{ text: 'stray', line: 10 }]);
    expect(doc.sections.get('g')?.entries.map((e) => [e.key, e.value])).toEqual([
      ['name', 'value'],
      ['x', 'a:b'],
    ]);
  });

  it('merges a repeated section header into the first', () => {
    const doc = parseIni('[a]\nx = 1\n[b]\n[a]\ny = 2\n');
    expect(doc.sections.get('a')?.entries.map((e) => e.key)).toEqual(['x', 'y']);
  });
});
