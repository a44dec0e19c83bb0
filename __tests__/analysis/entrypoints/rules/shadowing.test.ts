import { describe, expect, it } from '@jest/globals';
import { entrypointFindings } from '../helpers.js';

describe('entrypoint-shadowing', () => {
  it('flags a command owned by another popular package as high and names the owner', async () => {
    const findings = (await entrypointFindings('verdicts/shadowing', 'pypi')).filter(
      (f) => f.rule === 'entrypoint-shadowing',
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'high', file: 'fabrics-1.0/setup.cfg', line: 6 });
    expect(findings[0].message).toContain('fabric');
  });

  it('does not fire for the owner itself', async () => {
    const findings = await entrypointFindings('verdicts/shadowing', 'pypi', 'Fabric');
    expect(findings.filter((f) => f.rule === 'entrypoint-shadowing')).toEqual([]);
  });
});
