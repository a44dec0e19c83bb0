import { describe, expect, it } from '@jest/globals';
import { contentNestedArchive } from '../../../src/analysis/rules/content-nested-archive.js';
import { gating, gzipBytes, runRule, tarBytes, zipBytes } from './fixtures.js';

describe('content-nested-archive', () => {
  it('flags a zip of code that setup.py imports at install time as high', async () => {
    const findings = await runRule(contentNestedArchive, 'pypi', {
      'demo-1.0/setup.py': `import zipimport\nzipimport.zipimporter("my.zip").load_module("my")\nfrom setuptools import setup\nsetup(name="demo")\n`,
      'demo-1.0/my.zip': zipBytes({ 'my/__init__.py': 'print(1)\n' }),
    });
    expect(gating(findings)).toHaveLength(1);
    expect(findings[0].message).toMatch(/setup\.py names it.*my\/__init__\.py/);
  });

  it('flags a zip under a .pyc name as high', async () => {
    const findings = await runRule(contentNestedArchive, 'pypi', {
      'demo/__pycache__/client.pyc': zipBytes({ '__main__.py': 'import os\n' }),
    });
    expect(findings[0]).toMatchObject({ severity: 'high' });
    expect(findings[0].message).toContain('claims another file type');
  });

  it('rates a gzipped tar carrying an executable as medium, and reads its member names', async () => {
    const findings = await runRule(contentNestedArchive, 'npm', {
      'package/package.json': '{"name":"demo"}',
      'package/payload.tar.gz': gzipBytes(tarBytes({ 'bin/run.exe': 'x', README: 'y' })),
    });
    expect(findings[0].severity).toBe('medium');
    expect(findings[0].message).toContain('bin/run.exe');
  });

  it('stays quiet on data archives: test fixtures, compressed tables, setup.py package_data', async () => {
    const findings = await runRule(contentNestedArchive, 'pypi', {
      'demo-1.0/setup.py': `from setuptools import setup\nsetup(name="demo", package_data={"demo": ["atlas.dat.gz"]})\n`,
      'demo-1.0/demo/atlas.dat.gz': gzipBytes('1 2 3\n'.repeat(100)),
      'demo-1.0/tests/data/sample.zip': zipBytes({ 'sample.csv': 'a,b\n1,2\n' }),
      'demo-1.0/demo/arrays.npz': zipBytes({ 'x.npy': 'NUMPY' }),
    });
    expect(gating(findings, 'medium')).toEqual([]);
  });
});
