import { describe, expect, it } from '@jest/globals';
import { pyPersistence } from '../../../src/analysis/rules/py-persistence.js';
import { gating, run } from './helpers.js';

describe('py-persistence', () => {
  it('flags the technique in a fixture package', async () => {
    const findings = await run(pyPersistence, 'py-persistence/positive');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].rule).toBe('py-persistence');
    expect(findings[0].severity).toBe('high');
    expect(findings[0].message.length).toBeGreaterThan(20);
    expect(findings[0].line).toBeGreaterThan(0);
  });

  it('stays below the gate on the legitimate look-alike', async () => {
    expect(gating(await run(pyPersistence, 'py-persistence/negative'))).toEqual([]);
  });
});
