import { describe, expect, it } from '@jest/globals';
import { contentLongLine } from '../../../src/analysis/rules/content-long-line.js';
import { minifiedJs, noise, runRule } from './fixtures.js';

describe('content-long-line', () => {
  it('flags a Python line far past the screen edge; medium in setup.py', async () => {
    const hidden = `print("hello")${' '.repeat(5000)};import os;os.system("id")`;
    const findings = await runRule(contentLongLine, 'pypi', {
      'demo-1.0/setup.py': `from setuptools import setup\n${hidden}\nsetup(name="demo")\n`,
      'demo-1.0/demo/table.py': `T = [${Array.from({ length: 1500 }, (_, i) => i).join(',')}]\n`,
    });
    expect(findings.map((f) => [f.file, f.severity, f.line])).toEqual([
      ['demo-1.0/setup.py', 'medium', 2],
      ['demo-1.0/demo/table.py', 'low', 1],
    ]);
  });

  it('leaves JavaScript bundles and lines that are one encoded blob to other rules', async () => {
    const blob = Buffer.from(noise(6000)).toString('base64');
    const findings = await runRule(contentLongLine, 'pypi', {
      'demo/bundle.js': minifiedJs(20000),
      'demo/blob.py': `B = "${blob}"\n`,
      'demo/short.py': 'x = 1\n'.repeat(3000),
    });
    expect(findings).toEqual([]);
  });
});
