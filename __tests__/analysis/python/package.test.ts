import { describe, expect, it } from '@jest/globals';
import { AnalysisContext } from '../../../src/analysis/context.js';
import { initPythonParser } from '../../../src/analysis/python/parser.js';
import { pthExecutableLines, pythonPackageFacts } from '../../../src/analysis/python/package.js';

function context(files: Record<string, string>): AnalysisContext {
  return new AnalysisContext({
    ecosystem: 'pypi',
    files: Object.entries(files).map(([path, text]) => {
      const data = new TextEncoder().encode(text);
      return { path, data, size: data.length };
    }),
  });
}

describe('python package positions', () => {
  it('marks cmdclass methods and what they call as install time', async () => {
    await initPythonParser();
    const facts = pythonPackageFacts(
      context({
        'demo-1.0/setup.py': [
          'import os',
          'from setuptools import setup',
          'from setuptools.command.develop import develop',
          'def helper():',
          "    os.system('id')",
          'class Dev(develop):',
          '    def run(self):',
          '        helper()',
          "setup(name='demo', cmdclass={'develop': Dev})",
        ].join('\n'),
        'demo-1.0/demo/util.py': "import os\n\ndef later():\n    os.system('id')\n",
      }),
    );
    const processes = facts.files.flatMap((f) =>
      f.facts.filter((x) => x.kind === 'process').map((x) => [f.path, x.position]),
    );
    expect(processes).toEqual([
      ['demo-1.0/setup.py', 'install'],
      ['demo-1.0/demo/util.py', 'call'],
    ]);
  });

  it('follows an import-time call into another module', async () => {
    await initPythonParser();
    const facts = pythonPackageFacts(
      context({
        'pkg/__init__.py': 'from .net import beacon\nbeacon()\n',
        'pkg/net.py':
          "import urllib.request\n\ndef beacon():\n    urllib.request.urlopen('https://example.invalid')\n",
      }),
    );
    const network = facts.files.flatMap((f) => f.facts.filter((x) => x.kind === 'network'));
    expect(network.map((n) => n.position)).toEqual(['import']);
  });

  it('keeps only the lines site.py executes from .pth files', () => {
    expect(pthExecutableLines('/opt/lib\nimport x; x.run()\n# import y\n')).toBe(
      '\nimport x; x.run()\n\n',
    );
  });
});
