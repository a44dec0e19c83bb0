import { describe, expect, it } from '@jest/globals';
import { pyImportProcess } from '../../../src/analysis/rules/py-import-process.js';
import { gating, run } from './helpers.js';

describe('py-import-process', () => {
  it('flags the technique in a fixture package', async () => {
    const findings = await run(pyImportProcess, 'py-import-process/positive');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].rule).toBe('py-import-process');
    expect(findings[0].severity).toBe('critical');
    expect(findings[0].message.length).toBeGreaterThan(20);
    expect(findings[0].line).toBeGreaterThan(0);
  });

  it('stays below the gate on the legitimate look-alike', async () => {
    expect(gating(await run(pyImportProcess, 'py-import-process/negative'))).toEqual([]);
  });
});
