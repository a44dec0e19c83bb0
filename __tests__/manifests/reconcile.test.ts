import { describe, expect, it } from '@jest/globals';
import { diffManifests } from '../../src/manifests/diff.js';
import { parseManifest } from '../../src/manifests/parse/index.js';
import { dropChangesDecidedByLockfiles, isLockfileFormat } from '../../src/manifests/reconcile.js';
import type { PackageChange } from '../../src/types.js';
import { fixture } from './fixtures.js';

function pair(path: string, format: 'package-json' | 'package-lock', file: string) {
  const base = parseManifest(path, format, fixture(`npm/${file}.base.json`));
  const head = parseManifest(path, format, fixture(`npm/${file}.head.json`));
  return { head, changes: diffManifests(base, head) };
}

const describeChange = (c: PackageChange) =>
  `${c.manifest.path} ${c.change} ${c.name} ${c.version}`;

describe('dropChangesDecidedByLockfiles', () => {
  it('keeps only the lockfile changes when package.json and its lockfile change together', () => {
    const manifest = pair('web/package.json', 'package-json', 'package');
    const lock = pair('web/package-lock.json', 'package-lock', 'package-lock.v3');
    const kept = dropChangesDecidedByLockfiles(
      [...manifest.changes, ...lock.changes],
      [manifest.head, lock.head],
    );
    expect(kept.map(describeChange)).toEqual(lock.changes.map(describeChange));
  });

  it('lets a root lockfile decide for workspace package.json files below it', () => {
    const manifest = pair('packages/ui/package.json', 'package-json', 'package');
    const lock = pair('package-lock.json', 'package-lock', 'package-lock.v3');
    const kept = dropChangesDecidedByLockfiles(manifest.changes, [manifest.head, lock.head]);
    expect(kept).toEqual([]);
  });

  it('keeps package.json changes with no lockfile, a lockfile elsewhere, or a name the lockfile lacks', () => {
    const manifest = pair('web/package.json', 'package-json', 'package');
    expect(dropChangesDecidedByLockfiles(manifest.changes, [manifest.head])).toEqual(
      manifest.changes,
    );
    const otherLock = pair('api/package-lock.json', 'package-lock', 'package-lock.v3');
    expect(
      dropChangesDecidedByLockfiles(manifest.changes, [manifest.head, otherLock.head]),
    ).toEqual(manifest.changes);

    const outOfSync = { ...pair('web/package-lock.json', 'package-lock', 'package-lock.v3').head };
    outOfSync.packages = outOfSync.packages.filter((p) => p.name !== 'chalk');
    const kept = dropChangesDecidedByLockfiles(manifest.changes, [manifest.head, outOfSync]);
    expect(kept.map(describeChange)).toEqual(['web/package.json added chalk 4.1.2']);
  });

  it('lets uv.lock decide for the pyproject.toml beside it', () => {
    const base = parseManifest(
      'pyproject.toml',
      'pyproject',
      fixture('python/pyproject.base.toml'),
    );
    const head = parseManifest(
      'pyproject.toml',
      'pyproject',
      fixture('python/pyproject.head.toml'),
    );
    const uv = parseManifest('uv.lock', 'uv-lock', fixture('python/uv.head.lock'));
    const kept = dropChangesDecidedByLockfiles(diffManifests(base, head), [head, uv]);
    // uv.lock decides requests, evil-pkg, internal-tool and six; django and ruff are not in
    // it (an out-of-sync lockfile), so a fresh install would resolve them: they stay.
    expect(kept.map(describeChange)).toEqual([
      'pyproject.toml downgraded django 4.2.10',
      'pyproject.toml bumped ruff 0.4.4',
    ]);
  });

  it('never drops requirements or lockfile changes', () => {
    const changes: PackageChange[] = [
      {
        ecosystem: 'pypi',
        name: 'six',
        version: '1.16.0',
        change: 'added',
        manifest: { path: 'requirements.txt', line: 1 },
      },
    ];
    const uv = parseManifest('uv.lock', 'uv-lock', fixture('python/uv.head.lock'));
    expect(dropChangesDecidedByLockfiles(changes, [uv])).toEqual(changes);
    expect(isLockfileFormat('uv-lock')).toBe(true);
    expect(isLockfileFormat('package-json')).toBe(false);
  });
});
