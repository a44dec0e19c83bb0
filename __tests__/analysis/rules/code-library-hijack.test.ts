import { describe, expect, it } from '@jest/globals';
import { codeLibraryHijack } from '../../../src/analysis/rules/code-library-hijack.js';
import { gating, runOn } from './helpers.js';

describe('code-library-hijack', () => {
  it('flags a setup.py that writes /etc/ld.so.preload', async () => {
    const findings = await runOn(codeLibraryHijack, 'pypi', {
      'demo-1.0/setup.py': [
        'from setuptools import setup',
        "with open('/etc/ld.so.preload', 'w') as f:",
        "    f.write('/usr/lib/libhook.so')",
        "setup(name='demo')",
      ].join('\n'),
    });
    expect(findings[0].severity).toBe('critical');
  });

  it('flags a DLL planted beside a program in an install script', async () => {
    const findings = await runOn(codeLibraryHijack, 'npm', {
      'package/package.json': JSON.stringify({
        name: 'demo',
        version: '1.0.0',
        scripts: { postinstall: 'node setup.js' },
      }),
      'package/setup.js':
        "const fs = require('fs');\nconst path = require('path');\nfs.copyFileSync(path.join(__dirname, 'x.bin'), 'C:/Program Files/Tool/version.dll');\nfs.writeFileSync('C:/Program Files/Tool/version.dll', fs.readFileSync(path.join(__dirname, 'x.bin')));\n",
    });
    expect(gating(findings)).toHaveLength(1);
  });

  it('keeps a test helper that runs a child with a sanitizer preloaded below the gate', async () => {
    const findings = await runOn(codeLibraryHijack, 'pypi', {
      'demo-1.0/setup.py': "from setuptools import setup\nsetup(name='demo')\n",
      'demo-1.0/demo/testing.py': [
        'import os, subprocess',
        'def run_with_asan(cmd):',
        '    env = dict(os.environ)',
        "    env['LD_PRELOAD'] = '/usr/lib/libasan.so'",
        '    return subprocess.run(cmd, env=env)',
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
  });
});
