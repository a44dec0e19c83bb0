import { describe, expect, it } from '@jest/globals';
import { pySuspiciousEndpoint } from '../../../src/analysis/rules/py-suspicious-endpoint.js';
import { gating, run } from './helpers.js';

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
});
