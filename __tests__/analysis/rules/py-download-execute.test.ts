import { describe, expect, it } from '@jest/globals';
import { pyDownloadExecute } from '../../../src/analysis/rules/py-download-execute.js';
import { gating, run } from './helpers.js';

describe('py-download-execute', () => {
  it('flags the technique in a fixture package', async () => {
    const findings = await run(pyDownloadExecute, 'py-download-execute/positive');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].rule).toBe('py-download-execute');
    expect(findings[0].severity).toBe('critical');
    expect(findings[0].message.length).toBeGreaterThan(20);
    expect(findings[0].line).toBeGreaterThan(0);
  });

  it('stays below the gate on the legitimate look-alike', async () => {
    expect(gating(await run(pyDownloadExecute, 'py-download-execute/negative'))).toEqual([]);
  });
});
