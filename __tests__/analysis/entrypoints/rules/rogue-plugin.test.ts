import { describe, expect, it } from '@jest/globals';
import { pluginSeverity } from '../../../../src/analysis/entrypoints/rules/rogue-plugin.js';
import { entrypointFindings } from '../helpers.js';

describe('entrypoint-rogue-plugin', () => {
  it('flags an auto-loaded pytest plugin that sends a token home and runs decoded code', async () => {
    const findings = (await entrypointFindings('verdicts/plugin-rogue', 'pypi')).filter(
      (f) => f.rule === 'entrypoint-rogue-plugin',
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'critical',
      file: 'pytest-fastcache-1.0/setup.py',
      line: 6,
    });
    expect(findings[0].message).toContain('pytest');
    expect(findings[0].message).toContain('pytest-fastcache-1.0/pytest_fastcache/plugin.py');
  });

  it('stays quiet on a plugin that only times tests', async () => {
    const findings = await entrypointFindings('verdicts/plugin-benign', 'pypi');
    expect(findings.filter((f) => f.rule === 'entrypoint-rogue-plugin')).toEqual([]);
  });

  it('rates behaviours: loaders and exfiltration critical, single capabilities lower', () => {
    expect(pluginSeverity(new Set(['exec-decoded']))).toBe('critical');
    expect(pluginSeverity(new Set(['network', 'credentials']))).toBe('critical');
    expect(pluginSeverity(new Set(['credentials']))).toBe('high');
    expect(pluginSeverity(new Set(['network']))).toBe('medium');
    expect(pluginSeverity(new Set())).toBeUndefined();
  });
});
