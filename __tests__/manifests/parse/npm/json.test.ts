import { describe, expect, it } from '@jest/globals';
import {
  jsonKeyLines,
  keyPath,
  parseJsonDocument,
} from '../../../../src/manifests/parse/npm/json.js';

describe('jsonKeyLines', () => {
  it('finds the line of keys under a path, past strings with quotes, braces and escapes', () => {
    const text = [
      '{',
      '  "a": "has \\"quotes\\", {braces} and [brackets]",',
      '  "list": [{"x": 1}, {"packages": {"wrong": 1}}],',
      '  "packages": {',
      '    "node_modules/\\u0061b": {"nested": {"deep": true}},',
      '    "back\\\\slash": {},',
      '    "node_modules/c": {}',
      '  }',
      '}',
    ].join('\n');
    const lines = jsonKeyLines(
      parseJsonDocument(text, 'x'),
      (parents) => parents.length === 1 && parents[0] === 'packages',
    );
    expect([...lines]).toEqual([
      [keyPath(['packages'], 'node_modules/ab'), 5],
      [keyPath(['packages'], 'back\\slash'), 6],
      [keyPath(['packages'], 'node_modules/c'), 7],
    ]);
  });

  it('names array elements [] and reports the root keys with an empty path', () => {
    const text = '{"a": [{"b": 1}],\n"c": {"d": [[{"e": 2}]]}}';
    const all = jsonKeyLines(parseJsonDocument(text, 'x'), () => true);
    expect([...all.keys()].map((k) => k.split('\u0000').join('/'))).toEqual([
      'a',
      'a/[]/b',
      'c',
      'c/d',
      'c/d/[]/[]/e',
    ]);
    expect(all.get(keyPath(['c', 'd', '[]', '[]'], 'e'))).toBe(2);
  });
});

describe('parseJsonDocument', () => {
  it('names the first syntax error and its line', () => {
    expect(() => parseJsonDocument('{\n  "a": 1\n  "b": 2\n}', 'f.json')).toThrow(
      expect.objectContaining({ message: 'f.json is not valid JSON: comma expected', line: 3 }),
    );
    expect(() => parseJsonDocument('{\n  // no\n  "a": 1\n}', 'f.json')).toThrow(
      expect.objectContaining({ line: 2 }),
    );
    expect(() => parseJsonDocument(' \n', 'f.json')).toThrow('f.json is empty');
    expect(() => parseJsonDocument('null', 'f.json')).toThrow(
      'f.json must be a JSON object, found null',
    );
  });
});
