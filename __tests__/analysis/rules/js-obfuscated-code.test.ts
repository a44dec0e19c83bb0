import { describe, expect, it } from '@jest/globals';
import { jsObfuscatedCode } from '../../../src/analysis/rules/js-obfuscated-code.js';
import { gating, run } from './helpers.js';

describe('js-obfuscated-code', () => {
  it('flags the technique in a fixture package', async () => {
    const findings = await run(jsObfuscatedCode, 'js-obfuscated-code/positive');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].rule).toBe('js-obfuscated-code');
    expect(findings[0].severity).toBe('high');
    expect(findings[0].message.length).toBeGreaterThan(20);
    expect(findings[0].line).toBeGreaterThan(0);
  });

  it('stays below the gate on the legitimate look-alike', async () => {
    expect(gating(await run(jsObfuscatedCode, 'js-obfuscated-code/negative'))).toEqual([]);
  });
});
