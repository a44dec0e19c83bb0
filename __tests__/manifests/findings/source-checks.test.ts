import { describe, expect, it } from '@jest/globals';
import { diffManifests } from '../../../src/manifests/diff.js';
import { checkChangeSource } from '../../../src/manifests/findings/source-checks.js';
import { parseManifest } from '../../../src/manifests/parse/index.js';
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

  it("does not fetch the project's own folders from the registry", () => {
    expect(
      checkChangeSource(
        change({
          ecosystem: 'pypi',
          name: '.',
          version: '',
          resolved: '.',
          manifest: { path: 'requirements.txt', line: 1 },
        }),
        'requirements',
        registries,
      ),
    ).toEqual({ findings: [], fromRegistry: false });
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

describe('checkChangeSource on Python lockfiles that name their index', () => {
  const entry = (registry: string) =>
    `version = 1\nrevision = 1\nrequires-python = ">=3.9"\n\n[[package]]\nname = "tidy"\nversion = "1.0"\nsource = { registry = "${registry}" }\nsdist = { url = "https://files.example/tidy-1.0.tar.gz", hash = "sha256:00", size = 1 }\n`;

  it('flags a uv.lock package moved to another index as a foreign host', () => {
    const base = parseManifest('uv.lock', 'uv-lock', entry('https://pypi.org/simple'));
    const head = parseManifest('uv.lock', 'uv-lock', entry('https://pypi.evil.example/simple'));
    expect(base.packages[0].resolved).toBeUndefined();
    const [moved] = diffManifests(base, head);
    expect(moved).toMatchObject({ change: 'source-changed', manifest: { line: 6 } });
    expect(checkChangeSource(moved, 'uv-lock', registries).findings).toEqual([
      expect.objectContaining({ rule: 'lockfile-foreign-host', line: 6 }),
    ]);
  });

  it('flags a pylock.toml package from another index, not one from PyPI', () => {
    const pylock = (index: string) =>
      `lock-version = "1.0"\ncreated-by = "t"\n\n[[packages]]\nname = "tidy"\nversion = "1.0"\nindex = "${index}"\nsdist = { name = "tidy-1.0.tar.gz", hashes = { sha256 = "00" } }\n`;
    const [fromPypi] = diffManifests(
      undefined,
      parseManifest('pylock.toml', 'pylock', pylock('https://pypi.org/simple')),
    );
    expect(checkChangeSource(fromPypi, 'pylock', registries).findings).toEqual([]);
    const [elsewhere] = diffManifests(
      undefined,
      parseManifest('pylock.toml', 'pylock', pylock('https://pypi.evil.example/simple/')),
    );
    expect(checkChangeSource(elsewhere, 'pylock', registries).findings.map((f) => f.rule)).toEqual([
      'lockfile-foreign-host',
    ]);
  });
});
