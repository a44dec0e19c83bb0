import { describe, expect, it } from '@jest/globals';
import { pyInstallNetwork } from '../../../src/analysis/rules/py-install-network.js';
import { gating, run } from './helpers.js';

describe('py-install-network', () => {
  it('flags the technique in a fixture package', async () => {
    const findings = await run(pyInstallNetwork, 'py-install-network/positive');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].rule).toBe('py-install-network');
    expect(findings[0].severity).toBe('medium');
    expect(findings[0].message.length).toBeGreaterThan(20);
    expect(findings[0].line).toBeGreaterThan(0);
  });

  it('stays below the gate on the legitimate look-alike', async () => {
    expect(gating(await run(pyInstallNetwork, 'py-install-network/negative'))).toEqual([]);
  });
});
