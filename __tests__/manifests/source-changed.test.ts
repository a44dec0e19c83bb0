import { describe, expect, it } from '@jest/globals';
import { diffManifests } from '../../src/manifests/diff.js';
import { parseManifest } from '../../src/manifests/parse/index.js';
import type { DeclaredPackage, ManifestFormat } from '../../src/types.js';
import { fixture } from './fixtures.js';

// Every lockfile format that records an integrity or hashes, from the real (or spec-true)
// fixtures: the head side's copy of an unchanged package gets another integrity or hash, as a
// tampered lockfile would, and must come out as `source-changed` at that entry's line.
const FORMATS: [string, ManifestFormat, string, string][] = [
  ['package-lock v1', 'package-lock', 'npm/package-lock.v1.base.json', 'package-lock.json'],
  ['package-lock v3', 'package-lock', 'npm/package-lock.v3.base.json', 'package-lock.json'],
  ['yarn 1', 'yarn-lock', 'yarn/classic.base.lock', 'yarn.lock'],
  ['pnpm 7', 'pnpm-lock', 'pnpm/pnpm7.base.yaml', 'pnpm-lock.yaml'],
  ['pnpm 9', 'pnpm-lock', 'pnpm/pnpm9.base.yaml', 'pnpm-lock.yaml'],
  ['bun 1.2', 'bun-lock', 'bun/bun-1.2.19.base.lock', 'bun.lock'],
  ['poetry 2.0', 'poetry-lock', 'python/poetry.base.lock', 'poetry.lock'],
  ['uv 1', 'uv-lock', 'python/uv.base.lock', 'uv.lock'],
  ['Pipfile.lock 6', 'pipfile-lock', 'python/Pipfile.base.lock', 'Pipfile.lock'],
  ['pdm 4.5', 'pdm-lock', 'python/pdm.base.lock', 'pdm.lock'],
  ['pylock 1.0', 'pylock', 'python/pylock.base.toml', 'pylock.toml'],
  ['requirements --hash', 'requirements', 'python/requirements.base.txt', 'requirements.txt'],
];

function checkedValue(pkg: DeclaredPackage): string | undefined {
  if (pkg.integrity) return pkg.integrity;
  const hash = pkg.hashes?.[0];
  return hash?.slice(hash.indexOf(':') + 1);
}

function forged(value: string): string {
  // Same length and alphabet, different bytes: what a forger writes.
  return value.startsWith('sha')
    ? value.replace(/-(.)(.)/, (_m, a: string, b: string) => `-${b === a ? 'Z' : b}${a}`)
    : [...value].reverse().join('');
}

describe.each(FORMATS)('source-changed in %s', (_label, format, file, path) => {
  const baseText = fixture(file);
  const base = parseManifest(path, format, baseText);
  const target = base.packages.find(
    (pkg) => pkg.version !== undefined && checkedValue(pkg) !== undefined,
  )!;
  const original = checkedValue(target)!;
  const headText = baseText.split(original).join(forged(original));
  const head = parseManifest(path, format, headText);
  const changes = diffManifests(base, head);

  it('reports the copy with another integrity or hash as source-changed, at its line', () => {
    expect(forged(original)).not.toBe(original);
    const moved = changes.filter((c) => c.change === 'source-changed');
    expect(moved.length).toBeGreaterThanOrEqual(1);
    expect(moved[0]).toMatchObject({
      name: target.name,
      version: target.version,
      from: target.version,
      manifest: { path, line: target.line },
    });
    expect(moved[0].sourceChange?.fields.some((f) => f === 'integrity' || f === 'hashes')).toBe(
      true,
    );
    // The fetch stage checks the download against the new value, which the registry's bytes
    // cannot match: that is what turns a forged hash into an integrity-mismatch finding.
    expect(moved[0].integrity ?? moved[0].hashes?.join(' ')).toContain(forged(original));
    expect(changes.filter((c) => c.change !== 'source-changed')).toEqual([]);
  });

  it('reports nothing when only the line moved', () => {
    expect(diffManifests(base, parseManifest(path, format, baseText))).toEqual([]);
  });
});

describe('source-changed from a new resolved URL', () => {
  it('carries the old and new source', () => {
    const path = 'yarn.lock';
    const baseText = fixture('yarn/classic.base.lock');
    const original =
      'https://registry.yarnpkg.com/ms/-/ms-2.1.3.tgz#574c8138ce1d2b5861f0b44579dbadd60c6615b2';
    const headText = baseText.replace(original, 'https://evil.example/ms/-/ms-2.1.3.tgz');
    expect(headText).not.toBe(baseText);
    const changes = diffManifests(
      parseManifest(path, 'yarn-lock', baseText),
      parseManifest(path, 'yarn-lock', headText),
    );
    expect(changes).toEqual([
      expect.objectContaining({
        change: 'source-changed',
        name: 'ms',
        version: '2.1.3',
        from: '2.1.3',
        resolved: 'https://evil.example/ms/-/ms-2.1.3.tgz',
        integrity: expect.stringMatching(/^sha512-/),
        sourceChange: {
          fields: ['resolved'],
          from: [expect.objectContaining({ resolved: original })],
          to: expect.objectContaining({ resolved: 'https://evil.example/ms/-/ms-2.1.3.tgz' }),
        },
      }),
    ]);
  });
});
