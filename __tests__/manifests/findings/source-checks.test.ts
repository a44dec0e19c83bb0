import { describe, expect, it } from '@jest/globals';
import { checkChangeSource } from '../../../src/manifests/findings/source-checks.js';
import type { PackageChange } from '../../../src/types.js';

const registries = { npmRegistry: 'https://registry.npmjs.org', pypiUrl: 'https://pypi.org' };

function change(fields: Partial<PackageChange>): PackageChange {
  return {
    ecosystem: 'npm',
    name: 'chalk',
    version: '4.1.2',
    change: 'added',
    manifest: { path: 'web/package-lock.json', line: 42 },
    ...fields,
  };
}

describe('checkChangeSource', () => {
  it('passes registry downloads from the public or configured registry', () => {
    for (const resolved of [
      'https://registry.npmjs.org/chalk/-/chalk-4.1.2.tgz',
      'https://registry.yarnpkg.com/chalk/-/chalk-4.1.2.tgz',
      undefined,
    ]) {
      expect(checkChangeSource(change({ resolved }), 'package-lock', registries)).toEqual({
        findings: [],
        fromRegistry: true,
      });
    }
    const mirror = { ...registries, npmRegistry: 'https://npm.acme.example' };
    expect(
      checkChangeSource(
        change({ resolved: 'https://npm.acme.example/chalk/-/chalk-4.1.2.tgz' }),
        'package-lock',
        mirror,
      ).findings,
    ).toEqual([]);
  });

  it('flags a registry-shaped lockfile URL on another host as critical, at the lockfile line', () => {
    const check = checkChangeSource(
      change({ resolved: 'https://npm-mirror.evil.example/chalk/-/chalk-4.1.2.tgz' }),
      'package-lock',
      registries,
    );
    expect(check.fromRegistry).toBe(true);
    expect(check.findings).toEqual([
      expect.objectContaining({
        rule: 'lockfile-foreign-host',
        severity: 'critical',
        file: 'web/package-lock.json',
        line: 42,
        evidence: 'https://npm-mirror.evil.example/chalk/-/chalk-4.1.2.tgz',
      }),
    ]);
    expect(check.findings[0].message).toContain('npm-mirror.evil.example');
  });

  it('flags a Python lockfile package served by another index as critical', () => {
    const check = checkChangeSource(
      change({
        ecosystem: 'pypi',
        name: 'torch',
        resolved: 'https://download.evil.example/simple',
      }),
      'poetry-lock',
      registries,
    );
    expect(check.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['lockfile-foreign-host', 'critical'],
    ]);
  });

  it.each([
    ['git', 'git+ssh://git@github.com/o/chalk.git#0123456789abcdef0123'],
    ['tarball URL', 'https://example.com/chalk.tgz'],
    ['local archive', 'file:vendor/chalk-4.1.2.tgz'],
    ['folder outside the repository', 'file:../../outside'],
  ])(
    'flags a %s dependency as high and does not fetch it from the registry',
    (_label, resolved) => {
      const check = checkChangeSource(change({ resolved }), 'package-lock', registries);
      expect(check.fromRegistry).toBe(false);
      expect(check.findings).toEqual([
        expect.objectContaining({
          rule: 'dependency-bypasses-registry',
          severity: 'high',
          line: 42,
        }),
      ]);
    },
  );

  it('treats a registry-shaped URL in a declaring manifest as a bypass, not tampering', () => {
    const check = checkChangeSource(
      change({ ecosystem: 'pypi', name: 'x', version: '', resolved: 'https://host.example/x/' }),
      'requirements',
      registries,
    );
    expect(check.findings[0]?.rule).toBe('dependency-bypasses-registry');
  });

  it("leaves the project's own folders and removed packages alone", () => {
    expect(
      checkChangeSource(
        change({ resolved: 'file:packages/ui', manifest: { path: 'package.json', line: 3 } }),
        'package-json',
        registries,
      ).findings,
    ).toEqual([]);
    expect(
      checkChangeSource(
        change({ change: 'removed', resolved: 'git+https://x.example/r.git' }),
        'package-lock',
        registries,
      ).findings,
    ).toEqual([]);
  });

  it('checks the new source of a source-changed package', () => {
    const check = checkChangeSource(
      change({
        change: 'source-changed',
        from: '4.1.2',
        resolved: 'https://evil.example/chalk/-/chalk-4.1.2.tgz',
      }),
      'yarn-lock',
      registries,
    );
    expect(check.findings[0]?.rule).toBe('lockfile-foreign-host');
  });
});
