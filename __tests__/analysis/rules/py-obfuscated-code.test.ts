import { describe, expect, it } from '@jest/globals';
import { pyObfuscatedCode } from '../../../src/analysis/rules/py-obfuscated-code.js';
import { gating, run } from './helpers.js';

describe('py-obfuscated-code', () => {
  it('flags the technique in a fixture package', async () => {
    const findings = await run(pyObfuscatedCode, 'py-obfuscated-code/positive');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].rule).toBe('py-obfuscated-code');
    expect(findings[0].severity).toBe('high');
    expect(findings[0].message.length).toBeGreaterThan(20);
    expect(findings[0].line).toBeGreaterThan(0);
  });

  it('stays below the gate on the legitimate look-alike', async () => {
    expect(gating(await run(pyObfuscatedCode, 'py-obfuscated-code/negative'))).toEqual([]);
  });
});

describe('py-obfuscated-code, look-alike letters', () => {
  it('resolves identifiers written in mathematical letters as Python does, and reports them', async () => {
    const { runOn } = await import('./helpers.js');
    const findings = await runOn(pyObfuscatedCode, 'pypi', {
      'demo/__init__.py': "import 𝘳𝘦𝘲𝘶𝘦𝘴𝘵𝘴\n𝘳𝘦𝘲𝘶𝘦𝘴𝘵𝘴.get('https://example.invalid')\n",
    });
    expect(findings[0].severity).toBe('high');
    expect(findings[0].message).toContain('look-alike');
  });
});
