import { describe, expect, it } from '@jest/globals';
import { jsPersistence } from '../../../src/analysis/rules/js-persistence.js';
import { gating, run } from './helpers.js';

describe('js-persistence', () => {
  it('flags the technique in a fixture package', async () => {
    const findings = await run(jsPersistence, 'js-persistence/positive');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].rule).toBe('js-persistence');
    expect(findings[0].severity).toBe('high');
    expect(findings[0].message.length).toBeGreaterThan(20);
    expect(findings[0].line).toBeGreaterThan(0);
  });

  it('stays below the gate on the legitimate look-alike', async () => {
    expect(gating(await run(jsPersistence, 'js-persistence/negative'))).toEqual([]);
  });
});
