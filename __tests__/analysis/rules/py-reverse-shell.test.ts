import { describe, expect, it } from '@jest/globals';
import { pyReverseShell } from '../../../src/analysis/rules/py-reverse-shell.js';
import { gating, run } from './helpers.js';

describe('py-reverse-shell', () => {
  it('flags the technique in a fixture package', async () => {
    const findings = await run(pyReverseShell, 'py-reverse-shell/positive');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].rule).toBe('py-reverse-shell');
    expect(findings[0].severity).toBe('critical');
    expect(findings[0].message.length).toBeGreaterThan(20);
    expect(findings[0].line).toBeGreaterThan(0);
  });

  it('stays below the gate on the legitimate look-alike', async () => {
    expect(gating(await run(pyReverseShell, 'py-reverse-shell/negative'))).toEqual([]);
  });
});
