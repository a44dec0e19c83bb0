import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { copyTree } from '../../../src/analysis/python/ast.js';
import { Evaluator } from '../../../src/analysis/python/evaluate.js';
import { originsOf } from '../../../src/analysis/python/flow.js';
import { PyModule } from '../../../src/analysis/python/module.js';
import { initPythonParser, parsePython } from '../../../src/analysis/python/parser.js';

beforeAll(() => initPythonParser());

/** Module of `source` plus the node of its last expression statement. */
function lastExpression(source: string) {
  const tree = parsePython(source);
  const ast = copyTree(tree, source);
  tree.delete();
  const module = new PyModule(ast, source);
  const statements = ast.root.namedChildren.filter((n) => n.type === 'expression_statement');
  const node = statements[statements.length - 1].namedChildren[0];
  return { module, node, evaluator: new Evaluator(module) };
}

describe('python name resolution', () => {
  it.each([
    ['import base64 as b\nb.b64decode', 'base64.b64decode'],
    ['from os import system as s\ns', 'os.system'],
    ["__import__('o' + 's').popen", 'os.popen'],
    ["import importlib\nimportlib.import_module('subprocess').Popen", 'subprocess.Popen'],
    ["getattr(__builtins__, 'ex' + 'ec')", 'exec'],
    ["globals()['__import__']", '__import__'],
    ["e = eval('exec')\ne", 'exec'],
    ['from os import *\nsystem', 'os.system'],
  ])('%s → %s', (source, expected) => {
    const { module, node } = lastExpression(source);
    expect(module.qualify(node)).toBe(expected);
  });

  it('keeps function scopes apart', () => {
    const source = 'import os\ndef f():\n    os = 3\n    return os\nos.system';
    const { module, node } = lastExpression(source);
    expect(module.qualify(node)).toBe('os.system');
  });
});

describe('python constant folding', () => {
  it.each([
    ["'ab' + 'cd'", 'abcd'],
    ["''.join(map(chr, [104, 105]))", 'hi'],
    ["''.join([chr(c ^ 1) for c in [105, 104]])", 'hi'],
    ["'olleh'[::-1]", 'hello'],
    ["import base64\nbase64.b64decode('aGk=').decode()", 'hi'],
    ["bytes.fromhex('6869').decode()", 'hi'],
    ["import codecs\ncodecs.decode('uv', 'rot13')", 'hi'],
    ["import zlib, base64\nzlib.decompress(base64.b64decode('eJzLyAQAATsA0g==')).decode()", 'hi'],
    ["x = 'h'\nx += 'i'\nx", 'hi'],
    ["'%s-%s' % ('a', 'b')", 'a-b'],
    ['f\'{"a"}b\'', 'ab'],
    ["'\\x68\\151'", 'hi'],
  ])('%s → %s', (source, expected) => {
    const { evaluator, node } = lastExpression(source);
    expect(evaluator.text(node)).toBe(expected);
  });

  it('decrypts Fernet tokens whose key ships beside them', () => {
    const key = randomBytes(32);
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-128-cbc', key.subarray(16), iv);
    const body = Buffer.concat([
      Buffer.from([0x80]),
      Buffer.alloc(8),
      iv,
      cipher.update('hi'),
      cipher.final(),
    ]);
    const mac = createHmac('sha256', key.subarray(0, 16)).update(body).digest();
    const token = Buffer.concat([body, mac]).toString('base64url');
    const source = `from cryptography.fernet import Fernet\nFernet(b'${key.toString('base64url')}=').decrypt(b'${token}')`;
    const { evaluator, node } = lastExpression(source);
    expect(evaluator.text(node)).toBe('hi');
  });

  it('gives partial text with unknown parts as *', () => {
    const { evaluator, node } = lastExpression("import os\nf'/home/{os.getlogin()}/.profile'");
    expect(evaluator.partialText(node)).toBe('/home/*/.profile');
  });

  it('bounds work and refuses non-constants', () => {
    const { evaluator, node } = lastExpression('x = input()\nx + "a"');
    expect(evaluator.text(node)).toBeUndefined();
  });
});

describe('python origins', () => {
  it('follows assignments to decoders and network reads', () => {
    const decoded = lastExpression(
      'import base64\nblob = base64.b64decode(data)\ncode = blob.decode()\ncode',
    );
    expect([...originsOf(decoded.module, decoded.node)]).toContain('decode');
    const fetched = lastExpression('import requests\nr = requests.get(u)\nr.text');
    expect([...originsOf(fetched.module, fetched.node)]).toContain('network');
    // a file read is only where the text came from (a dropped script read back), never hidden
    const plain = lastExpression("src = open('v.py').read()\nsrc");
    expect([...originsOf(plain.module, plain.node)]).toEqual(['file']);
    const literal = lastExpression("src = 'print(1)'\nsrc");
    expect([...originsOf(literal.module, literal.node)]).toEqual([]);
  });
});
