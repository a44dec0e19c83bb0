import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ruleCatalog } from '../../src/analysis/catalog.js';
import {
  advisoryFindings,
  dependencyConfusionSignals,
  historySignals,
  reputationRules,
  reputationSignals,
  typosquatFindings,
} from '../../src/reputation/index.js';
import { isSeverity } from '../../src/types.js';

const NOW = new Date('2025-06-01T00:00:00Z');

function packument(version: string, published: string, extra: Record<string, unknown> = {}) {
  return {
    name: 'reqeusts',
    versions: { [version]: { name: 'reqeusts', version, dist: { unpackedSize: 1000 }, ...extra } },
    time: { created: published, [version]: published },
  };
}

describe('reputation rule catalog', () => {
  it('has unique ids with valid severities that do not clash with the content rules', () => {
    const ids = reputationRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of reputationRules) {
      expect(isSeverity(rule.severity)).toBe(true);
      expect(rule.title.length).toBeGreaterThan(0);
      expect(rule.description.length).toBeGreaterThan(0);
    }
    // The catalog carries the reputation rules too; every id in it must stay unique.
    const catalog = ruleCatalog().map((r) => r.id);
    expect(catalog).toEqual(expect.arrayContaining(ids));
    expect(new Set(catalog).size).toBe(catalog.length);
  });

  it('describes every rule the signals raise, at its catalog severity or a documented step', () => {
    const raised = [
      ...typosquatFindings('pypi', 'reqeusts'),
      ...dependencyConfusionSignals({
        ecosystem: 'npm',
        name: '@acme/x',
        version: '99.0.0',
        metadata: packument('99.0.0', '2025-05-31T00:00:00Z'),
        internalPrefixes: ['@acme'],
        fromPublicIndex: true,
      }),
      ...historySignals({
        ecosystem: 'npm',
        name: 'reqeusts',
        version: '1.0.0',
        metadata: packument('1.0.0', '2025-05-31T00:00:00Z', {
          deprecated: 'gone',
          author: 'x <x@yopmail.com>',
        }),
        now: NOW,
      }),
      ...historySignals({
        ecosystem: 'npm',
        name: 'x',
        version: '1.0.0',
        metadata: null,
        now: NOW,
      }),
      ...advisoryFindings(
        { ecosystem: 'npm', name: 'x', version: '1.0.0' },
        { vulns: [{ id: 'MAL-1' }, { id: 'GHSA-1' }] },
      ),
    ];
    const catalog = new Map(reputationRules.map((r) => [r.id, r.severity]));
    for (const finding of raised) {
      expect(catalog.get(finding.rule)).toBe(finding.severity);
    }
    expect(new Set(raised.map((f) => f.rule)).size).toBeGreaterThanOrEqual(11);
  });
});

describe('reputationSignals', () => {
  it('runs the name signals alone when there is no metadata', () => {
    const findings = reputationSignals({
      ecosystem: 'pypi',
      name: 'reqeusts',
      version: '1.0',
      now: NOW,
    });
    expect(findings.map((f) => f.rule)).toEqual(['typosquat']);
  });

  it('adds confusion and history signals from metadata', () => {
    const findings = reputationSignals({
      ecosystem: 'npm',
      name: 'acme-internal',
      version: '999.0.0',
      metadata: packument('999.0.0', '2025-05-31T00:00:00Z', { repository: 'github:acme/x' }),
      internalPrefixes: ['acme-'],
      now: NOW,
    });
    expect(findings.map((f) => `${f.rule}:${f.severity}`).sort()).toEqual([
      'dependency-confusion-internal:high',
      'dependency-confusion-version:high',
      'new-package:medium',
      'single-release:low',
    ]);
  });

  it('does not call a private-registry package an internal-name leak', () => {
    const findings = reputationSignals({
      ecosystem: 'npm',
      name: 'acme-internal',
      version: '1.0.0',
      internalPrefixes: ['acme-'],
      fromPublicIndex: false,
      now: NOW,
    });
    expect(findings).toEqual([]);
  });
});

describe('scripts/gen-popular.ts', () => {
  it('ranks the library lists, checks their columns and dates the output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gen-popular-'));
    writeFileSync(
      join(dir, 'npm.tsv'),
      'name\tversion\tdownloads_a_month\tsummary\nsmall\t1.0.0\t10\ta\nbig\t2.0.0\t5000\tb\n@s/mid\t1.0.0\t300\tc\nzero\t1.0.0\t0\t\n',
    );
    writeFileSync(
      join(dir, 'pypi.tsv'),
      'name\tversion\tmonth\trank_among_15000_most_downloaded\tsummary\nsecond\t1\t2026-10\t2\tx\nunranked\t1\t2026-11\t\ty\nfirst\t1\t2026-09\t1\tz\n',
    );
    const out = join(dir, 'out');
    execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/gen-popular.ts',
        '--packages',
        dir,
        '--out',
        out,
        '--top',
        '2',
        '--known',
        '3',
      ],
      { stdio: 'pipe' },
    );
    const npm = JSON.parse(readFileSync(join(out, 'npm.json'), 'utf8'));
    expect(npm).toMatchObject({ ecosystem: 'npm', top: ['big', '@s/mid'], known: ['small'] });
    expect(npm.dataDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const pypi = JSON.parse(readFileSync(join(out, 'pypi.json'), 'utf8'));
    expect(pypi).toMatchObject({ ecosystem: 'pypi', top: ['first', 'second'], known: [] });
    expect(pypi.source).toContain('2026-11');

    writeFileSync(join(dir, 'npm.tsv'), 'package\tversion\tdownloads\n');
    expect(() =>
      execFileSync(
        process.execPath,
        ['--import', 'tsx', 'scripts/gen-popular.ts', '--packages', dir, '--out', out],
        {
          stdio: 'pipe',
        },
      ),
    ).toThrow(/column 1 is "package", expected "name"/);
  });
});
