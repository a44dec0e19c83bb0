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

describe('entrypoint-rogue-plugin and a tool’s own groups', () => {
  it('does not flag a tool registering its built-ins in its own group', async () => {
    const { inMemoryPackage } = await import('../helpers.js');
    const { analyzePackage } = await import('../../../../src/analysis/index.js');
    const { entrypointRules } = await import('../../../../src/analysis/entrypoints/index.js');
    const files = {
      'x.dist-info/entry_points.txt': '[virtualenv.seed]\npip = venvtool.seed:Pip\n',
      'venvtool/seed.py':
        'import subprocess, requests\ndef run():\n    subprocess.Popen(["pip"])\n    requests.get("https://pypi.org")\n',
    };
    const rogue = (name: string) =>
      analyzePackage(inMemoryPackage('pypi', files, name), { rules: entrypointRules }).then((fs) =>
        fs.filter((f) => f.rule === 'entrypoint-rogue-plugin'),
      );
    expect(await rogue('virtualenv')).toEqual([]);
    expect((await rogue('venv-booster')).map((f) => f.severity)).toEqual(['high']);
  });
});
