import { describe, expect, it } from '@jest/globals';
import { pyPthExec } from '../../../src/analysis/rules/py-pth-exec.js';
import { gating, run } from './helpers.js';

describe('py-pth-exec', () => {
  it('flags the technique in a fixture package', async () => {
    const findings = await run(pyPthExec, 'py-pth-exec/positive');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].rule).toBe('py-pth-exec');
    expect(findings[0].severity).toBe('critical');
    expect(findings[0].message.length).toBeGreaterThan(20);
    expect(findings[0].line).toBeGreaterThan(0);
  });

  it('stays below the gate on the legitimate look-alike', async () => {
    expect(gating(await run(pyPthExec, 'py-pth-exec/negative'))).toEqual([]);
  });
});
