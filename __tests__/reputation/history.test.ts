import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { historySignals, type HistoryInput } from '../../src/reputation/history.js';
import { emailsIn } from '../../src/reputation/metadata.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Json;
}

const LATER = new Date('2025-06-01T00:00:00Z');

function npm(overrides: Partial<HistoryInput> & { metadata: unknown; version: string }) {
  return historySignals({ ecosystem: 'npm', name: 'example-widget', now: LATER, ...overrides });
}

function rules(findings: { rule: string; severity: string }[]) {
  return findings.map((f) => `${f.rule}:${f.severity}`).sort();
}

/** The fixture packument plus a 2.1.1 release published from a stolen token. */
function hijacked(): Json {
  const doc = fixture('npm-packument.json');
  const base = doc.versions['2.1.0'];
  doc.versions['2.1.1'] = {
    ...base,
    version: '2.1.1',
    _npmUser: { name: 'mallory', email: 'mallory@example.net' },
    maintainers: [...base.maintainers, { name: 'mallory', email: 'mallory@example.net' }],
    dist: { ...base.dist, unpackedSize: 98_000, attestations: undefined },
  };
  delete doc.versions['2.1.1'].dist.attestations;
  doc.time['2.1.1'] = '2025-01-15T12:12:00.000Z';
  return doc;
}

describe('historySignals on npm packuments', () => {
  it('says nothing alarming about a routine bump by an existing maintainer', () => {
    const findings = npm({
      metadata: fixture('npm-packument.json'),
      version: '2.1.0',
      from: '2.0.0',
    });
    expect(rules(findings)).toEqual(['publisher-changed:info']);
    expect(findings[0].evidence).toBe('published by grace (2.0.0 by GitHub Actions)');
  });

  it('reports an added maintainer as a publisher change', () => {
    const findings = npm({
      metadata: fixture('npm-packument.json'),
      version: '2.0.0',
      from: '1.0.0',
    });
    expect(rules(findings)).toEqual(['publisher-changed:medium']);
    expect(findings[0].evidence).toContain('maintainers added: grace');
  });

  it('flags a quick, much larger release by a new account without provenance', () => {
    const findings = npm({ metadata: hijacked(), version: '2.1.1', from: '2.1.0' });
    expect(rules(findings)).toEqual([
      'provenance-dropped:high',
      'publisher-changed:medium',
      'rapid-republish:medium',
    ]);
    const rapid = findings.find((f) => f.rule === 'rapid-republish');
    expect(rapid?.message).toContain('12 minutes after 2.1.0');
    expect(rapid?.evidence).toContain('2.1.0: 9730 bytes');
    expect(findings.every((f) => f.file === '' && f.line === 0)).toBe(true);
  });

  it('does not call a release rapid when it came hours later or barely grew', () => {
    const late = hijacked();
    late.time['2.1.1'] = '2025-01-15T15:00:00.000Z';
    expect(rules(npm({ metadata: late, version: '2.1.1' }))).not.toContain(
      'rapid-republish:medium',
    );
    const small = hijacked();
    small.versions['2.1.1'].dist.unpackedSize = 12_000;
    expect(rules(npm({ metadata: small, version: '2.1.1' }))).not.toContain(
      'rapid-republish:medium',
    );
    expect(
      rules(
        npm({
          metadata: small,
          version: '2.1.1',
          options: { minSizeGrowthBytes: 1000, sizeGrowthFactor: 1.2 },
        }),
      ),
    ).toContain('rapid-republish:medium');
  });

  it('flags a package first published days ago, with a configurable window', () => {
    const doc = fixture('npm-packument.json');
    doc.versions = { '1.0.0': doc.versions['1.0.0'] };
    doc.time = { created: '2025-05-30T00:00:00.000Z', '1.0.0': '2025-05-30T00:00:00.000Z' };
    const findings = npm({ metadata: doc, version: '1.0.0' });
    expect(rules(findings)).toEqual(['new-package:medium', 'single-release:low']);
    expect(findings.find((f) => f.rule === 'new-package')?.message).toContain('2 days ago');
    expect(rules(npm({ metadata: doc, version: '1.0.0', options: { newPackageDays: 1 } }))).toEqual(
      ['single-release:low'],
    );
  });

  it('reports a deprecated version', () => {
    const doc = fixture('npm-packument.json');
    doc.versions['2.1.0'].deprecated = 'this release was compromised, use 2.1.2';
    const findings = npm({ metadata: doc, version: '2.1.0' });
    expect(rules(findings)).toEqual(['deprecated-or-yanked:medium']);
    expect(findings[0].evidence).toBe('deprecated: this release was compromised, use 2.1.2');
  });

  it('notes a package without repository or homepage', () => {
    const doc = fixture('npm-packument.json');
    delete doc.repository;
    delete doc.homepage;
    delete doc.versions['2.1.0'].repository;
    expect(rules(npm({ metadata: doc, version: '2.1.0' }))).toEqual(['no-source-repository:info']);
  });

  it('reports an author address at a disposable domain, subdomains included', () => {
    const doc = fixture('npm-packument.json');
    doc.versions['2.1.0'].author = 'Someone <someone@eu.mailinator.com> (https://example.org)';
    const findings = npm({ metadata: doc, version: '2.1.0' });
    expect(rules(findings)).toEqual(['disposable-email:low']);
    expect(findings[0].evidence).toBe('@eu.mailinator.com');
    expect(
      rules(
        npm({
          metadata: fixture('npm-packument.json'),
          version: '2.1.0',
          options: { disposableDomains: ['Example.org'] },
        }),
      ),
    ).toEqual(['disposable-email:low']);
  });

  it('skips what an abbreviated packument cannot tell instead of guessing', () => {
    const full = fixture('npm-packument.json');
    const abbreviated = {
      name: full.name,
      modified: full.time.modified,
      'dist-tags': full['dist-tags'],
      versions: Object.fromEntries(
        Object.entries(full.versions as Json).map(([v, m]) => [
          v,
          { name: m.name, version: v, dist: m.dist },
        ]),
      ),
    };
    expect(npm({ metadata: abbreviated, version: '2.1.0', from: '2.0.0' })).toEqual([]);
  });

  it('says so when the metadata is unusable or lacks the version', () => {
    expect(rules(npm({ metadata: 'not json', version: '1.0.0' }))).toEqual([
      'registry-metadata-incomplete:info',
    ]);
    const [missing] = npm({ metadata: fixture('npm-packument.json'), version: '9.9.9' });
    expect(missing.rule).toBe('registry-metadata-incomplete');
    expect(missing.evidence).toBe('version 9.9.9 not in the metadata');
  });
});

function pypi(overrides: Partial<HistoryInput> & { version: string }) {
  return historySignals({
    ecosystem: 'pypi',
    name: 'example-widget',
    now: LATER,
    metadata: fixture('pypi-project.json'),
    ...overrides,
  });
}

describe('historySignals on PyPI JSON', () => {
  it('is quiet on a healthy bump', () => {
    expect(
      pypi({
        version: '1.2.0',
        from: '1.0.0',
        versionMetadata: [fixture('pypi-release-1.0.0.json')],
      }),
    ).toEqual([]);
  });

  it('reports a yanked release with its reason', () => {
    const findings = pypi({ version: '1.1.0' });
    expect(rules(findings)).toEqual(['deprecated-or-yanked:medium']);
    expect(findings[0].evidence).toBe('yanked: Broken build');
  });

  it('reads the yanked flag of a version document too', () => {
    const release = fixture('pypi-release-1.0.0.json');
    release.info.yanked = true;
    release.info.yanked_reason = null;
    const findings = historySignals({
      ecosystem: 'pypi',
      name: 'example-widget',
      version: '1.0.0',
      metadata: release,
      now: LATER,
    });
    expect(rules(findings)).toEqual(['deprecated-or-yanked:medium']);
    expect(findings[0].evidence).toBe('yanked (no reason given)');
  });

  it('reports changed author and maintainer contacts between the two versions', () => {
    const next = fixture('pypi-release-1.0.0.json');
    next.info.version = '1.2.0';
    next.info.maintainer_email = 'new-owner@example.net';
    const findings = pypi({
      version: '1.2.0',
      from: '1.0.0',
      versionMetadata: [fixture('pypi-release-1.0.0.json'), next],
    });
    expect(rules(findings)).toEqual(['publisher-changed:medium']);
    expect(findings[0].evidence).toBe(
      'declared author/maintainer contacts added: new-owner@example.net',
    );
  });

  it('flags a quick, much larger upload', () => {
    const project = fixture('pypi-project.json');
    project.releases['1.2.1'] = [
      {
        ...project.releases['1.2.0'][0],
        filename: 'example_widget-1.2.1.tar.gz',
        size: 300_000,
        upload_time_iso_8601: '2024-09-01T09:07:00.000000Z',
      },
    ];
    const findings = pypi({ version: '1.2.1', metadata: project });
    expect(rules(findings)).toEqual(['rapid-republish:medium']);
    expect(findings[0].message).toContain('7 minutes after 1.2.0');
  });

  it('flags a project first uploaded yesterday with a single release', () => {
    const project = fixture('pypi-project.json');
    project.releases = {
      '0.0.1': [
        { ...project.releases['1.0.0'][0], upload_time_iso_8601: '2025-05-31T06:00:00.000000Z' },
      ],
    };
    project.info.version = '0.0.1';
    expect(rules(pypi({ version: '0.0.1', metadata: project }))).toEqual([
      'new-package:medium',
      'single-release:low',
    ]);
  });

  it('does not count a release whose files were all deleted', () => {
    const project = fixture('pypi-project.json');
    project.releases = { '0.0.1': [], '0.0.2': project.releases['1.0.0'] };
    project.info.version = '0.0.2';
    expect(rules(pypi({ version: '0.0.2', metadata: project }))).toEqual(['single-release:low']);
  });

  it('reports a disposable author address and a missing homepage', () => {
    const release = fixture('pypi-release-1.0.0.json');
    release.info.author_email = 'Throwaway <x7@guerrillamail.com>';
    release.info.home_page = '';
    const findings = historySignals({
      ecosystem: 'pypi',
      name: 'example-widget',
      version: '1.0.0',
      metadata: release,
      now: LATER,
    });
    expect(rules(findings)).toEqual(['disposable-email:low', 'no-source-repository:info']);
  });
});

describe('emailsIn', () => {
  it('extracts addresses from PEP 621 and npm person strings', () => {
    expect(emailsIn('Ada <Ada@Example.org>, bob@example.net')).toEqual([
      'ada@example.org',
      'bob@example.net',
    ]);
    expect(emailsIn('Name (https://example.org)')).toEqual([]);
    expect(emailsIn(null)).toEqual([]);
  });
});
