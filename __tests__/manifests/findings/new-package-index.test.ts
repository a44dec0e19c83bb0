import { describe, expect, it } from '@jest/globals';
import { newPackageIndexes } from '../../../src/manifests/findings/new-package-index.js';

const registries = { npmRegistry: 'https://registry.npmjs.org', pypiUrl: 'https://pypi.org' };

describe('newPackageIndexes', () => {
  it('reports only settings the head side adds, at their line', () => {
    const base = [{ setting: '--index-url', url: 'https://pypi.acme.example/simple', line: 1 }];
    const head = [
      { setting: '--index-url', url: 'https://pypi.acme.example/simple', line: 1 },
      { setting: '--extra-index-url', url: 'https://pypi.evil.example/simple', line: 2 },
    ];
    const findings = newPackageIndexes('requirements.txt', 'requirements', base, head, registries);
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'new-package-index',
        severity: 'high',
        file: 'requirements.txt',
        line: 2,
        evidence: '--extra-index-url https://pypi.evil.example/simple',
      }),
    ]);
    expect(findings[0].message).toContain('dependency confusion');
  });

  it('does not flag the public default or the configured registry', () => {
    const head = [
      { setting: '--index-url', url: 'https://pypi.org/simple', line: 1 },
      { setting: 'registry', url: 'https://registry.npmjs.org/', line: 1 },
    ];
    expect(
      newPackageIndexes('requirements.txt', 'requirements', [], head.slice(0, 1), registries),
    ).toEqual([]);
    expect(newPackageIndexes('.npmrc', 'npmrc', [], head.slice(1), registries)).toEqual([]);
    const own = { ...registries, npmRegistry: 'https://npm.acme.example' };
    expect(
      newPackageIndexes(
        '.npmrc',
        'npmrc',
        [],
        [{ setting: '@acme:registry', url: 'https://npm.acme.example/', line: 3 }],
        own,
      ),
    ).toEqual([]);
  });

  it('flags a scoped registry moved to another host, and local --find-links folders', () => {
    const base = [{ setting: '@acme:registry', url: 'https://npm.acme.example/', line: 1 }];
    const head = [{ setting: '@acme:registry', url: 'https://registry.evil.example/', line: 1 }];
    expect(newPackageIndexes('.npmrc', 'npmrc', base, head, registries)).toHaveLength(1);
    expect(
      newPackageIndexes(
        'requirements.txt',
        'requirements',
        [],
        [{ setting: '--find-links', url: './wheels', line: 4 }],
        registries,
      ),
    ).toHaveLength(1);
  });
});
