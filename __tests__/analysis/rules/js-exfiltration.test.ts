import { describe, expect, it } from '@jest/globals';
import { jsExfiltration } from '../../../src/analysis/rules/js-exfiltration.js';
import { gating, run } from './helpers.js';

describe('js-exfiltration', () => {
  it('flags the technique in a fixture package', async () => {
    const findings = await run(jsExfiltration, 'js-exfiltration/positive');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].rule).toBe('js-exfiltration');
    expect(findings[0].severity).toBe('critical');
    expect(findings[0].message.length).toBeGreaterThan(20);
    expect(findings[0].line).toBeGreaterThan(0);
  });

  it('stays below the gate on the legitimate look-alike', async () => {
    expect(gating(await run(jsExfiltration, 'js-exfiltration/negative'))).toEqual([]);
  });
});
