import { describe, expect, it } from '@jest/globals';
import { entrypointFindings } from '../helpers.js';

const of = (rule: string) => (f: { rule: string }) => f.rule === rule;

describe('entrypoint-command-jacking', () => {
  it('flags a developer CLI declared by a non-owner as critical, naming owner, file, line and PATH', async () => {
    const findings = (await entrypointFindings('sources/egg-info', 'pypi')).filter(
      of('entrypoint-command-jacking'),
    );
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f.severity).toBe('critical');
    expect(f.file).toBe('evilpkg-1.0/evilpkg.egg-info/entry_points.txt');
    expect(f.line).toBe(2);
    expect(f.evidence).toBe('aws = evilpkg.cli:main');
    expect(f.message).toContain('`aws`');
    expect(f.message).toContain('evilpkg.cli:main');
    expect(f.message).toContain('awscli');
    expect(f.message).toContain('PATH');
  });

  it('infers the package name from PKG-INFO when the context has none', async () => {
    const findings = (await entrypointFindings('sources/egg-info', 'pypi')).filter(
      of('entrypoint-command-jacking'),
    );
    expect(findings[0].message).toContain('`evilpkg` is not among its owners');
  });

  it('flags system commands from setup.py scripts and wheel data scripts', async () => {
    const setupPy = (await entrypointFindings('sources/setuppy', 'pypi')).filter(
      of('entrypoint-command-jacking'),
    );
    expect(setupPy.map((f) => [f.line, f.severity])).toEqual([
      [4, 'critical'], // pip3
      [16, 'critical'], // scripts=['bin/ls', …]
    ]);
    const wheel = (await entrypointFindings('sources/wheel', 'pypi')).filter(
      of('entrypoint-command-jacking'),
    );
    expect(wheel.map((f) => f.evidence).sort()).toEqual(['#!/bin/sh', 'pip = evilpkg.cli:main']);
  });

  it('reports each command once even when declared in several files', async () => {
    const findings = (await entrypointFindings('sources/pyproject', 'pypi')).filter(
      of('entrypoint-command-jacking'),
    );
    expect(findings.map((f) => f.evidence).sort()).toEqual([
      'kubectl = "evilpkg.cli:main"',
      'terraform = "evilpkg.cli:main"',
    ]);
  });

  it('stays quiet on the real owner (pip declaring pip and pip3)', async () => {
    const findings = await entrypointFindings('verdicts/owner', 'pypi');
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});
