import { describe, expect, it } from '@jest/globals';
import { jsSuspiciousEndpoint } from '../../../src/analysis/rules/js-suspicious-endpoint.js';
import { gating, run } from './helpers.js';

describe('js-suspicious-endpoint', () => {
  it('flags the technique in a fixture package', async () => {
    const findings = await run(jsSuspiciousEndpoint, 'js-suspicious-endpoint/positive');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].rule).toBe('js-suspicious-endpoint');
    expect(findings[0].severity).toBe('high');
    expect(findings[0].message.length).toBeGreaterThan(20);
    expect(findings[0].line).toBeGreaterThan(0);
  });

  it('stays below the gate on the legitimate look-alike', async () => {
    expect(gating(await run(jsSuspiciousEndpoint, 'js-suspicious-endpoint/negative'))).toEqual([]);
  });
});
