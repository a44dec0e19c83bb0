import { describe, expect, it } from '@jest/globals';
import { parseManifest } from '../../src/manifests/parse/index.js';
import { diffSources } from '../../src/manifests/sources.js';
import type { DeclaredPackage, ParsedManifest } from '../../src/types.js';
import { fixture, lineOf } from './fixtures.js';

function lock(packages: Partial<DeclaredPackage>[]): ParsedManifest {
  return {
    path: 'package-lock.json',
    format: 'package-lock',
    packages: packages.map((pkg, index) => ({
      ecosystem: 'npm',
      name: 'a',
      version: '1.0.0',
      line: index + 1,
      ...pkg,
    })),
  };
}

describe('diffSources', () => {
  it('finds a tampered resolved URL and integrity in a real lockfile', () => {
    const baseText = fixture('yarn/classic.head.lock');
    const headText = baseText
      .replace(
        'https://registry.yarnpkg.com/debug/-/debug-2.6.9.tgz#5d128515df134ff327e90a4c93f4e077a536341f',
        'https://evil.example/debug-2.6.9.tgz',
      )
      .replace(
        'sha512-bC7ElrdJaJnPbAP+1EotYvqZsb3ecl5wi6Bfi6BJTUcNowp6cvspg0jXznRTKDjm/E7AdgFBVeAPVMNcKGsHMA==',
        'sha512-forged',
      );
    const changes = diffSources(
      parseManifest('yarn.lock', 'yarn-lock', baseText),
      parseManifest('yarn.lock', 'yarn-lock', headText),
    );
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      name: 'debug',
      version: '2.6.9',
      manifest: { path: 'yarn.lock', line: lineOf(headText, 'debug@2.6.9:') },
      to: { resolved: 'https://evil.example/debug-2.6.9.tgz', integrity: 'sha512-forged' },
      fields: ['integrity', 'resolved'],
    });
  });

  it('reports changed or dropped hashes of a pinned requirement', () => {
    const base = parseManifest(
      'r.txt',
      'requirements',
      'a==1 --hash=sha256:aa\nb==2 --hash=sha256:bb\n',
    );
    const head = parseManifest('r.txt', 'requirements', 'a==1 --hash=sha256:cc\nb==2\n');
    expect(diffSources(base, head).map((c) => [c.name, c.fields])).toEqual([
      ['a', ['hashes']],
      ['b', ['hashes']],
    ]);
  });

  it('checks each nested copy, and ignores fields one side does not record', () => {
    const base = lock([
      { integrity: 'sha512-x' },
      { integrity: 'sha512-x', resolved: 'https://r/a.tgz' },
    ]);
    expect(diffSources(base, lock([{ integrity: 'sha512-x' }, { integrity: 'sha512-y' }]))).toEqual(
      [
        {
          ecosystem: 'npm',
          name: 'a',
          version: '1.0.0',
          manifest: { path: 'package-lock.json', line: 2 },
          from: [{ integrity: 'sha512-x' }, { integrity: 'sha512-x', resolved: 'https://r/a.tgz' }],
          to: { integrity: 'sha512-y' },
          fields: ['integrity'],
        },
      ],
    );
    // A lockfile written without `resolved` is not a change of source.
    expect(diffSources(base, lock([{ integrity: 'sha512-x' }]))).toEqual([]);
    expect(diffSources(base, lock([{}]))[0].fields).toEqual(['integrity']);
  });

  it('has nothing to compare for added or deleted files, or new versions', () => {
    const base = lock([{ integrity: 'sha512-x' }]);
    expect(diffSources(undefined, base)).toEqual([]);
    expect(diffSources(base, undefined)).toEqual([]);
    expect(diffSources(base, lock([{ version: '2.0.0', integrity: 'sha512-z' }]))).toEqual([]);
  });
});
