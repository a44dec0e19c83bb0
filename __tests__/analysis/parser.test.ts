import { describe, expect, it } from '@jest/globals';
import { initPythonParser, parsePython } from '../../src/analysis/python/parser.js';
import { parseJavaScript } from '../../src/analysis/javascript/parser.js';

describe('parsers', () => {
  it('parses Python with tree-sitter, tolerating broken code', async () => {
    await initPythonParser();
    const tree = parsePython('import base64 as b\nexec(b.b64decode("aGk="))\n');
    expect(tree.rootNode.type).toBe('module');
    expect(tree.rootNode.namedChildren.length).toBe(2);
    expect(parsePython('def broken(:\n  pass').rootNode.hasError).toBe(true);
  });

  it('parses JavaScript as module or script, null when neither', () => {
    expect(parseJavaScript('import fs from "fs"; fs.readFileSync("x")')?.sourceType).toBe('module');
    expect(parseJavaScript('with (a) { b = 010 }')?.sourceType).toBe('script');
    expect(parseJavaScript('function (')).toBeNull();
  });
});
