import { describe, expect, it } from '@jest/globals';
import type { Ecosystem } from '../../src/types.js';
import {
  dependencyConfusionSignals,
  isPublicIndex,
  matchInternalName,
  probeMajor,
} from '../../src/reputation/confusion.js';

function packument(versions: string[]) {
  return {
    name: 'acme-billing',
    versions: Object.fromEntries(
      versions.map((v) => [v, { name: 'acme-billing', version: v, dist: {} }]),
    ),
    time: Object.fromEntries(
      versions.map((v, i) => [v, new Date(Date.UTC(2025, 0, 1 + i)).toISOString()]),
    ),
  };
}

function pypiProject(versions: string[]) {
  return {
    info: { name: 'acme-billing', version: versions.at(-1) },
    releases: Object.fromEntries(
      versions.map((v) => [
        v,
        [
          {
            filename: `acme_billing-${v}.tar.gz`,
            size: 900,
            upload_time_iso_8601: '2025-01-01T00:00:00Z',
            yanked: false,
          },
        ],
      ]),
    ),
  };
}

describe('probe-style versions', () => {
  it.each(['99.0.0', '99.99.99', '100.0.0', '999.1.2', '9999.0.0', 'v1000.0.0'])(
    '%s is a probe version',
    (version) => {
      expect(probeMajor(version)).toBeDefined();
    },
  );

  it.each(['1.2.3', '98.0.0', '2024.1.0', '2025.10.3', '20240101.0', 'not-a-version'])(
    '%s is not',
    (version) => {
      expect(probeMajor(version)).toBeUndefined();
    },
  );

  it('is high on a package with few releases', () => {
    const findings = dependencyConfusionSignals({
      ecosystem: 'npm',
      name: 'acme-billing',
      version: '99.0.0',
      metadata: packument(['1.0.0', '99.0.0']),
      fromPublicIndex: true,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'dependency-confusion-version',
      severity: 'high',
      file: '',
      line: 0,
    });
    expect(findings[0].evidence).toBe('version 99.0.0; releases: 1.0.0, 99.0.0');
  });

  it('reads PyPI release lists too', () => {
    const findings = dependencyConfusionSignals({
      ecosystem: 'pypi',
      name: 'acme-billing',
      version: '9999.0.0',
      metadata: pypiProject(['9999.0.0']),
      fromPublicIndex: true,
    });
    expect(findings.map((f) => f.rule)).toEqual(['dependency-confusion-version']);
  });

  it('is quiet on a long-lived project with a high version, and without metadata', () => {
    const many = Array.from({ length: 30 }, (_, i) => `${80 + i}.0.0`);
    expect(
      dependencyConfusionSignals({
        ecosystem: 'npm',
        name: 'x',
        version: '105.0.0',
        metadata: packument(many),
        fromPublicIndex: true,
      }),
    ).toEqual([]);
    expect(
      dependencyConfusionSignals({
        ecosystem: 'npm',
        name: 'x',
        version: '99.0.0',
        fromPublicIndex: true,
      }),
    ).toEqual([]);
  });
});

describe('internal names', () => {
  const prefixes = ['@acme', 'acme-', 'pypi:corp_*', 'npm:exact-internal', 'billing-core'];

  it.each<[Ecosystem, string, string]>([
    ['npm', '@acme/billing', '@acme'],
    ['npm', '@ACME/billing', '@acme'],
    ['npm', 'acme-billing', 'acme-'],
    ['pypi', 'Acme_Billing', 'acme-'],
    ['pypi', 'corp-tools', 'pypi:corp_*'],
    ['npm', 'exact-internal', 'npm:exact-internal'],
    ['pypi', 'billing_core', 'billing-core'],
  ])('%s %s matches %s', (ecosystem, name, entry) => {
    expect(matchInternalName(ecosystem, name, prefixes)).toBe(entry);
  });

  it.each<[Ecosystem, string]>([
    ['npm', '@acmecorp/billing'],
    ['npm', 'corp-tools'],
    ['pypi', 'exact-internal'],
    ['pypi', '@acme/billing'],
    ['npm', 'billing-core-extra'],
    ['npm', 'acme'],
  ])('%s %s does not match', (ecosystem, name) => {
    expect(matchInternalName(ecosystem, name, prefixes)).toBeUndefined();
  });

  it('is high only when the package came from the public index', () => {
    const input = {
      ecosystem: 'npm' as const,
      name: '@acme/billing',
      version: '1.0.0',
      internalPrefixes: ['@acme/*'],
    };
    const [finding] = dependencyConfusionSignals({ ...input, fromPublicIndex: true });
    expect(finding).toMatchObject({ rule: 'dependency-confusion-internal', severity: 'high' });
    expect(finding.message).toContain('`@acme/*`');
    expect(dependencyConfusionSignals({ ...input, fromPublicIndex: false })).toEqual([]);
  });

  it('knows the public indexes', () => {
    expect(isPublicIndex('https://registry.npmjs.org/')).toBe(true);
    expect(isPublicIndex('https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz')).toBe(true);
    expect(isPublicIndex('https://files.pythonhosted.org/packages/aa/bb/x-1.0.tar.gz')).toBe(true);
    expect(isPublicIndex('https://npm.acme.internal/')).toBe(false);
    expect(isPublicIndex('not a url')).toBe(false);
  });
});
