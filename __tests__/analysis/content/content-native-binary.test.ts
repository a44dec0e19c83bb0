import { describe, expect, it } from '@jest/globals';
import { contentNativeBinary } from '../../../src/analysis/rules/content-native-binary.js';
import {
  ELF_BYTES,
  FAT_MACHO_BYTES,
  MACHO_BYTES,
  PE_BYTES,
  gating,
  npmManifest,
  readableJs,
  runRule,
} from './fixtures.js';

describe('content-native-binary', () => {
  it('flags an ELF disguised as an image as high, whatever its name says', async () => {
    const findings = await runRule(contentNativeBinary, 'npm', {
      'package/package.json': npmManifest(),
      'package/index.js': readableJs(),
      'package/assets/logo.png': ELF_BYTES,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'content-native-binary', severity: 'high' });
    expect(findings[0].message).toMatch(/ELF.*logo\.png.*claims another file type/);
  });

  it('flags a PE that a postinstall script runs as high', async () => {
    const findings = await runRule(contentNativeBinary, 'npm', {
      'package/package.json': npmManifest({ scripts: { postinstall: 'node setup.js' } }),
      'package/setup.js': `const { execFile } = require('child_process');\nexecFile(__dirname + '/lib/update.exe');\n`,
      'package/lib/update.exe': PE_BYTES,
    });
    expect(gating(findings)).toHaveLength(1);
    expect(findings[0].message).toMatch(/setup\.js names it/);
    expect(findings[0].evidence).toContain('update.exe');
  });

  it('flags a binary that setup.py runs, and a hidden Mach-O', async () => {
    const findings = await runRule(contentNativeBinary, 'pypi', {
      'demo-1.0/setup.py': `import subprocess\nsubprocess.Popen(['demo/helper.bin'])\nfrom setuptools import setup\nsetup(name='demo')\n`,
      'demo-1.0/demo/helper.bin': ELF_BYTES,
      'demo-1.0/demo/.cache': MACHO_BYTES,
    });
    expect(findings.map((f) => [f.file, f.severity])).toEqual([
      ['demo-1.0/demo/.cache', 'high'],
      ['demo-1.0/demo/helper.bin', 'high'],
    ]);
  });

  it('reports an unexplained binary as medium (a fat Mach-O in a plain npm package)', async () => {
    const findings = await runRule(contentNativeBinary, 'npm', {
      'package/package.json': npmManifest(),
      'package/vendor/tool': FAT_MACHO_BYTES,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe('medium');
    expect(findings[0].message).toContain('universal');
  });

  it('stays informational for packages whose purpose is shipping binaries', async () => {
    const platform = await runRule(contentNativeBinary, 'npm', {
      'package/package.json': npmManifest({ os: ['linux'], cpu: ['x64'] }),
      'package/bin/esbuild': ELF_BYTES,
    });
    const prebuilt = await runRule(contentNativeBinary, 'npm', {
      'package/package.json': npmManifest({ scripts: { install: 'node-gyp-build' } }),
      'package/prebuilds/linux-x64/addon.node': ELF_BYTES,
      'package/prebuilds/win32-x64/addon.node': PE_BYTES,
    });
    const wheel = await runRule(contentNativeBinary, 'pypi', {
      'demo/_speedups.cpython-311-x86_64-linux-gnu.so': ELF_BYTES,
      'demo-1.0.dist-info/WHEEL': 'Wheel-Version: 1.0\nTag: cp311-cp311-manylinux_2_17_x86_64\n',
      'demo.libs/libz-1234.so.1.2.11': ELF_BYTES,
    });
    for (const findings of [platform, prebuilt, wheel]) {
      expect(findings.length).toBeGreaterThan(0);
      expect(findings.every((f) => f.severity === 'info')).toBe(true);
    }
  });

  it('ignores text that merely starts with MZ or mentions ELF', async () => {
    const findings = await runRule(contentNativeBinary, 'npm', {
      'package/package.json': npmManifest(),
      'package/MZ.txt': 'MZ is the DOS header; see the ELF spec for Linux.\n'.repeat(20),
    });
    expect(findings).toEqual([]);
  });
});

describe('content-native-binary (XOR-hidden executables)', () => {
  it('finds a PE encrypted with a single-byte XOR key, whatever the file is called', async () => {
    const hidden = PE_BYTES.map((b) => b ^ 0xfc);
    const findings = await runRule(contentNativeBinary, 'pypi', { 'demo/utilities.py': hidden });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'high',
      evidence: 'XOR 0xfc → Windows PE executable or DLL',
    });
  });

  it('does not see executables in ordinary binary data', async () => {
    const data = new Uint8Array(4096).map((_, i) => (i * 37) & 0xff);
    expect(await runRule(contentNativeBinary, 'pypi', { 'demo/table.bin': data })).toEqual([]);
  });
});
