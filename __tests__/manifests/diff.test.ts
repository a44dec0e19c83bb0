import { describe, expect, it } from '@jest/globals';
import { compareVersions, diffManifests } from '../../src/manifests/diff.js';
import { parseManifest } from '../../src/manifests/parse/index.js';
import type { DeclaredPackage, PackageChange, ParsedManifest } from '../../src/types.js';
import { fixture, lineOf } from './fixtures.js';

function manifest(packages: Partial<DeclaredPackage>[], path = 'requirements.txt'): ParsedManifest {
  return {
    path,
    format: 'requirements',
    packages: packages.map((pkg, index) => ({
      ecosystem: 'pypi',
      name: 'x',
      line: index + 1,
      ...pkg,
    })),
  };
}

/** `change name from→version` lines: the shape a reviewer reads, easy to compare. */
function summary(changes: PackageChange[]): string[] {
  return changes.map(
    (c) =>
      `${c.change} ${c.name} ${c.from ? `${c.from}->` : ''}${c.version}${c.spec !== undefined ? ` spec=${c.spec}` : ''}`,
  );
}

describe.each([1, 2, 3])('diffManifests on real npm lockfiles v%i', (version) => {
  const path = 'web/package-lock.json';
  const baseText = fixture(`npm/package-lock.v${version}.base.json`);
  const headText = fixture(`npm/package-lock.v${version}.head.json`);
  const base = parseManifest(path, 'package-lock', baseText);
  const head = parseManifest(path, 'package-lock', headText);
  const changes = diffManifests(base, head);
  const byName = (name: string) => changes.filter((c) => c.name === name);

  it('reports added, bumped, downgraded and removed packages and nothing unchanged', () => {
    expect(summary(changes).sort()).toEqual(
      [
        'added ansi-styles 4.3.0',
        'added chalk 4.1.2',
        'added color-convert 2.0.1',
        'added color-name 1.1.4',
        'added has-flag 4.0.0',
        'added supports-color 7.2.0',
        'bumped left-pad 1.0.0->1.1.0',
        'bumped left-pad 1.0.0->1.3.0',
        'downgraded ms 2.1.3->2.1.2',
        'removed is-number 7.0.0->7.0.0',
      ].sort(),
    );
  });

  it('places head changes at the head entry line and removals at the base line', () => {
    const key = (name: string) => (version === 1 ? `"${name}": {` : `"node_modules/${name}": {`);
    expect(byName('chalk')[0].manifest).toEqual({ path, line: lineOf(headText, key('chalk')) });
    expect(byName('is-number')[0].manifest).toEqual({
      path,
      line: lineOf(baseText, key('is-number')),
    });
    const alias = byName('left-pad').find((c) => c.version === '1.3.0');
    expect(alias?.manifest.line).toBe(lineOf(headText, key('lp')));
  });

  it('carries the head entry integrity', () => {
    expect(byName('chalk')[0].integrity).toMatch(/^sha512-/);
  });

  it('sorts by path, line, name', () => {
    const keys = changes.map((c) => [c.manifest.path, c.manifest.line, c.name] as const);
    const text = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    const sorted = [...keys].sort((x, y) => text(x[0], y[0]) || x[1] - y[1] || text(x[2], y[2]));
    expect(keys).toEqual(sorted);
  });
});

describe('diffManifests on requirements files', () => {
  const headText = fixture('python/requirements.head.txt');
  const base = parseManifest(
    'requirements.txt',
    'requirements',
    fixture('python/requirements.base.txt'),
  );
  const head = parseManifest('requirements.txt', 'requirements', headText);
  const changes = diffManifests(base, head);

  it('reports the PR story: a new package, a bump with hashes, a downgrade, a removal, a new range and a URL', () => {
    expect(summary(changes)).toEqual([
      'bumped certifi 2024.2.2->2024.7.4',
      'downgraded django 4.2.11->4.2.10',
      'added evil-pkg 1.0.0',
      'removed urllib3 2.2.1->2.2.1',
      'bumped typing_extensions  spec=>=4.6',
      'added attrs  spec=',
    ]);
  });

  it('keeps the line of each head entry and the hashes of a bump', () => {
    const certifi = changes.find((c) => c.name === 'certifi');
    expect(certifi?.manifest).toEqual({
      path: 'requirements.txt',
      line: lineOf(headText, 'certifi=='),
    });
    expect(certifi?.hashes).toHaveLength(2);
    expect(changes.find((c) => c.name === 'evil-pkg')?.manifest.line).toBe(
      lineOf(headText, 'evil-pkg=='),
    );
    expect(changes.find((c) => c.name === 'attrs')?.resolved).toMatch(/attrs-23\.2\.0/);
  });
});

describe('diffManifests rules', () => {
  it('treats an added file as all added and a deleted file as all removed', () => {
    const file = manifest([
      { name: 'a', version: '1.0' },
      { name: 'b', spec: '>=2' },
    ]);
    expect(summary(diffManifests(undefined, file))).toEqual(['added a 1.0', 'added b  spec=>=2']);
    expect(summary(diffManifests(file, undefined))).toEqual([
      'removed a 1.0->1.0',
      'removed b  spec=>=2',
    ]);
  });

  it('compares PyPI names after PEP 503 normalisation and versions by PEP 440', () => {
    const changes = diffManifests(
      manifest([{ name: 'Zope.Interface', version: '5.0' }]),
      manifest([{ name: 'zope_interface', version: '5.0.post1' }]),
    );
    expect(summary(changes)).toEqual(['bumped zope_interface 5.0->5.0.post1']);
    expect(
      summary(
        diffManifests(
          manifest([{ name: 'a', version: '1.0' }]),
          manifest([{ name: 'a', version: '1.0rc1' }]),
        ),
      ),
    ).toEqual(['downgraded a 1.0->1.0rc1']);
  });

  it('compares npm versions by semver, not as text', () => {
    expect(compareVersions('npm', '1.10.0', '1.9.0')).toBeGreaterThan(0);
    expect(compareVersions('npm', '1.0.0-beta.2', '1.0.0')).toBeLessThan(0);
    expect(compareVersions('pypi', '1.10', '1.9')).toBeGreaterThan(0);
    expect(compareVersions('pypi', 'not a version', 'zzz')).toBeLessThan(0);
  });

  it('does not report an existing version that appears at a new nested path', () => {
    const base = manifest(
      [{ ecosystem: 'npm', name: 'ms', version: '2.1.3' }],
      'package-lock.json',
    );
    const head = manifest(
      [
        { ecosystem: 'npm', name: 'ms', version: '2.1.3' },
        { ecosystem: 'npm', name: 'ms', version: '2.1.3', line: 40 },
      ],
      'package-lock.json',
    );
    expect(diffManifests(base, head)).toEqual([]);
  });

  it('reports a second copy at a new version as a bump from the closest lower version', () => {
    const base = manifest([
      { ecosystem: 'npm', name: 'ms', version: '2.0.0' },
      { ecosystem: 'npm', name: 'ms', version: '2.1.3' },
    ]);
    const head = manifest([
      { ecosystem: 'npm', name: 'ms', version: '2.0.0' },
      { ecosystem: 'npm', name: 'ms', version: '2.1.3' },
      { ecosystem: 'npm', name: 'ms', version: '2.1.0' },
      { ecosystem: 'npm', name: 'ms', version: '1.0.0' },
    ]);
    expect(summary(diffManifests(base, head))).toEqual([
      'bumped ms 2.0.0->2.1.0',
      'downgraded ms 2.0.0->1.0.0',
    ]);
  });

  it('does not report a name that keeps some versions when one copy disappears', () => {
    const base = manifest([
      { name: 'a', version: '1.0' },
      { name: 'a', version: '2.0' },
    ]);
    expect(diffManifests(base, manifest([{ name: 'a', version: '2.0' }]))).toEqual([]);
  });

  it('reports a changed range, a change to a URL and a pin that became a range', () => {
    const base = manifest([
      { name: 'r', spec: '>=1' },
      { name: 'u', spec: '', resolved: 'https://h/u-1.0.tar.gz' },
      { name: 'p', version: '3.0' },
      { name: 'same', spec: '~=2.0' },
    ]);
    const head = manifest([
      { name: 'r', spec: '>=2' },
      { name: 'u', spec: '', resolved: 'https://h/u-2.0.tar.gz' },
      { name: 'p', spec: '>=3.0' },
      { name: 'same', spec: '~=2.0' },
    ]);
    const changes = diffManifests(base, head);
    expect(summary(changes)).toEqual([
      'bumped r  spec=>=2',
      'bumped u  spec=',
      'bumped p 3.0-> spec=>=3.0',
    ]);
    expect(changes[1].resolved).toBe('https://h/u-2.0.tar.gz');
  });

  it('uses the first entry of a version for its line and data', () => {
    const head = manifest(
      [
        { ecosystem: 'npm', name: 'b', version: '1.0.0', line: 30, integrity: 'sha512-late' },
        { ecosystem: 'npm', name: 'b', version: '1.0.0', line: 10, integrity: 'sha512-early' },
      ],
      'package-lock.json',
    );
    const [change] = diffManifests(undefined, head);
    expect(change).toEqual({
      ecosystem: 'npm',
      name: 'b',
      version: '1.0.0',
      change: 'added',
      manifest: { path: 'package-lock.json', line: 10 },
      integrity: 'sha512-early',
    });
  });

  it('keeps ecosystems apart', () => {
    const base = manifest([{ ecosystem: 'npm', name: 'six', version: '1.0.0' }]);
    const head = manifest([{ ecosystem: 'pypi', name: 'six', version: '1.0.0' }]);
    expect(summary(diffManifests(base, head))).toEqual([
      'added six 1.0.0',
      'removed six 1.0.0->1.0.0',
    ]);
  });
});
