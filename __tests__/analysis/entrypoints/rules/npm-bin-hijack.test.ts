import { describe, expect, it } from '@jest/globals';
import { entrypointFindings } from '../helpers.js';

const hijacks = async (path: string, name?: string) =>
  (await entrypointFindings(path, 'npm', name)).filter(
    (f) => f.rule === 'entrypoint-npm-bin-hijack',
  );

describe('entrypoint-npm-bin-hijack', () => {
  it('flags bins named like system commands or developer CLIs as critical', async () => {
    const findings = await hijacks('sources/npm-map');
    expect(findings.map((f) => [f.evidence, f.severity, f.line]).sort()).toEqual([
      ['"eslint": "./bin/eslint.js",', 'critical', 6],
      ['"git": "./bin/git.js",', 'critical', 5],
    ]);
    expect(findings[0].message).toContain('node_modules/.bin');
  });

  it('flags the string form, whose command is the unscoped package name', async () => {
    const findings = await hijacks('sources/npm-string');
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('`tsc`');
    expect(findings[0].message).toContain('typescript');
  });

  it('flags directories.bin files', async () => {
    const findings = await hijacks('sources/npm-directories');
    expect(findings.map((f) => f.message.slice(0, 12))).toEqual(['`node` is de']);
  });

  it('flags another popular package’s bin as high', async () => {
    const { inMemoryPackage } = await import('../helpers.js');
    const { analyzePackage } = await import('../../../../src/analysis/index.js');
    const { entrypointRules } = await import('../../../../src/analysis/entrypoints/index.js');
    const pkg = inMemoryPackage('npm', {
      'package/package.json': JSON.stringify({
        name: 'rimraff',
        version: '1.0.0',
        bin: { rimraf: 'x.js' },
      }),
    });
    const findings = (await analyzePackage(pkg, { rules: entrypointRules })).filter(
      (f) => f.rule === 'entrypoint-npm-bin-hijack',
    );
    expect(findings.map((f) => f.severity)).toEqual(['high']);
    expect(findings[0].message).toContain('rimraf');
  });
});
