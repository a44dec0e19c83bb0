import { describe, expect, it } from '@jest/globals';
import {
  describeDuration,
  describeReleaseTiming,
  registryContext,
  releaseBefore,
  whyNotVouched,
  withRegistryContext,
} from '../../src/compare/context.js';
import { npmHistory, pypiHistory, type PackageHistory } from '../../src/reputation/metadata.js';
import type { Finding } from '../../src/types.js';

const DAY = 86_400_000;
const NOW = new Date('2025-06-01T00:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

/** A full npm packument: versions with publish times, optionally deprecated. */
function npm(
  releases: Record<string, string | undefined>,
  deprecated: string[] = [],
): PackageHistory {
  const history = npmHistory({
    name: 'widget',
    versions: Object.fromEntries(
      Object.keys(releases).map((v) => [
        v,
        {
          name: 'widget',
          version: v,
          ...(deprecated.includes(v) ? { deprecated: 'compromised, do not use' } : {}),
        },
      ]),
    ),
    time: Object.fromEntries(
      Object.entries(releases).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
  });
  if (!history) throw new Error('not a packument');
  return history;
}

function pypi(releases: Record<string, { at: string; yanked?: boolean }>): PackageHistory {
  return pypiHistory({
    info: { name: 'widget', version: Object.keys(releases).pop() },
    releases: Object.fromEntries(
      Object.entries(releases).map(([v, r]) => [
        v,
        [
          {
            filename: `widget-${v}.tar.gz`,
            size: 1000,
            upload_time_iso_8601: r.at,
            yanked: r.yanked ?? false,
          },
        ],
      ]),
    ),
  });
}

const finding = (over: Partial<Finding>): Finding => ({
  rule: 'npm-install-script',
  severity: 'high',
  file: 'package/install.js',
  line: 3,
  message: 'm',
  evidence: 'node install.js',
  ...over,
});

describe('the release an added package is compared with', () => {
  it('is the release published last before it', () => {
    const history = npm({ '1.0.0': daysAgo(400), '1.1.0': daysAgo(300), '1.2.0': daysAgo(1) });
    expect(releaseBefore(history, '1.2.0')).toBe('1.1.0');
    expect(releaseBefore(history, '1.1.0')).toBe('1.0.0');
    expect(releaseBefore(history, '1.0.0')).toBeUndefined();
  });

  it('ignores higher versions published earlier, so a backport is compared with its own line', () => {
    const history = npm({
      '1.2.3': daysAgo(500),
      '1.2.4': daysAgo(400),
      '2.0.0': daysAgo(100),
      '1.2.5': daysAgo(10),
    });
    expect(releaseBefore(history, '1.2.5')).toBe('1.2.4');
  });

  it('ignores lower versions published later (a backport is not "before" the release it follows)', () => {
    const history = npm({ '1.2.4': daysAgo(400), '2.0.0': daysAgo(100), '1.2.5': daysAgo(10) });
    expect(releaseBefore(history, '2.0.0')).toBe('1.2.4');
  });

  it('falls back to version order when the registry has no publish times', () => {
    const history = npm({ '1.10.0': undefined, '1.9.0': undefined, '1.2.0': undefined });
    expect(releaseBefore(history, '1.10.0')).toBe('1.9.0');
    expect(releaseBefore(history, '1.2.0')).toBeUndefined();
  });

  it('skips pre-releases unless the version is one, and deprecated releases', () => {
    const history = npm(
      {
        '1.0.0': daysAgo(400),
        '1.1.0': daysAgo(300),
        '1.2.0-beta.1': daysAgo(20),
        '1.1.1': daysAgo(15),
        '1.2.0': daysAgo(1),
      },
      ['1.1.1'],
    );
    expect(releaseBefore(history, '1.2.0')).toBe('1.1.0');
    expect(
      releaseBefore(
        npm({ '1.0.0': daysAgo(9), '2.0.0-rc.1': daysAgo(5), '2.0.0-rc.2': daysAgo(1) }),
        '2.0.0-rc.2',
      ),
    ).toBe('2.0.0-rc.1');
  });

  it('skips yanked PyPI releases and orders by PEP 440', () => {
    const history = pypi({
      '0.9': { at: daysAgo(500) },
      '1.0': { at: daysAgo(400) },
      '1.0.post1': { at: daysAgo(30), yanked: true },
      '1.1rc1': { at: daysAgo(5) },
      '1.1': { at: daysAgo(1) },
    });
    expect(releaseBefore(history, '1.1')).toBe('1.0');
  });
});

describe('whether earlier releases vouch for what they already had', () => {
  it('not for a package first published days ago', () => {
    const context = registryContext(
      npm({ '1.0.0': daysAgo(4), '1.0.1': daysAgo(3), '1.0.2': daysAgo(2), '1.1.0': daysAgo(1) }),
      '1.1.0',
    );
    expect(whyNotVouched(context, NOW)).toBe(
      'first published 4 days ago: earlier releases do not vouch for it',
    );
  });

  it('not for a package with fewer than three releases, however old', () => {
    const context = registryContext(npm({ '1.0.0': daysAgo(900), '1.1.0': daysAgo(1) }), '1.1.0');
    expect(whyNotVouched(context, NOW)).toBe(
      'only 2 releases on the registry: earlier releases do not vouch for it',
    );
  });

  it('gives both reasons when both hold', () => {
    const context = registryContext(npm({ '1.0.0': daysAgo(3), '1.1.0': daysAgo(1) }), '1.1.0');
    expect(whyNotVouched(context, NOW)).toBe(
      'first published 3 days ago and only 2 releases on the registry: earlier releases do not vouch for it',
    );
  });

  it('for an established package, and with configurable thresholds', () => {
    const history = npm({ '1.0.0': daysAgo(400), '1.1.0': daysAgo(60), '1.2.0': daysAgo(1) });
    const context = registryContext(history, '1.2.0');
    expect(whyNotVouched(context, NOW)).toBeUndefined();
    expect(whyNotVouched(context, NOW, { minAgeDays: 500, minReleases: 3 })).toMatch(
      /^first published 13 months ago/,
    );
    // by default half a year of history is needed: three months is not a track record
    const young = npm({ '1.0.0': daysAgo(90), '1.1.0': daysAgo(60), '1.2.0': daysAgo(1) });
    expect(whyNotVouched(registryContext(young, '1.2.0'), NOW)).toMatch(
      /^first published 2 months ago/,
    );
    expect(whyNotVouched(context, NOW, { minAgeDays: 30, minReleases: 4 })).toMatch(
      /^only 3 releases/,
    );
  });

  it('when the registry does not tell (today’s behaviour: the exemption stands)', () => {
    expect(whyNotVouched({}, NOW)).toBeUndefined();
    // No publish times: only the release count can be judged.
    const undated = registryContext(npm({ a: undefined, b: undefined, c: undefined }), 'c');
    expect(undated.firstPublished).toBeUndefined();
    expect(whyNotVouched(undated, NOW)).toBeUndefined();
  });
});

describe('release timing', () => {
  it('says how long after the previous release this version came', () => {
    const history = npm({ '1.0.0': daysAgo(1200), '1.1.0': daysAgo(800), '1.1.1': daysAgo(0.1) });
    const context = registryContext(history, '1.1.1');
    expect(context.previousRelease?.version).toBe('1.1.0');
    expect(describeReleaseTiming(context)).toBe('published 2 years after 1.1.0');
    expect(describeReleaseTiming(registryContext(history, '1.0.0'))).toBeUndefined();
    expect(
      describeReleaseTiming(registryContext(npm({ a: undefined, b: undefined }), 'b')),
    ).toBeUndefined();
  });

  it('reads durations at a useful scale', () => {
    expect(describeDuration(45 * 60_000)).toBe('45 minutes');
    expect(describeDuration(5 * 3_600_000)).toBe('5 hours');
    expect(describeDuration(1 * DAY)).toBe('24 hours');
    expect(describeDuration(4 * DAY)).toBe('4 days');
    expect(describeDuration(200 * DAY)).toBe('6 months');
    expect(describeDuration(1200 * DAY)).toBe('3 years');
  });
});

describe('withRegistryContext', () => {
  it('marks existing findings not vouched for, and new ones with the release timing', () => {
    const [existing, fresh] = withRegistryContext(
      [finding({ alreadyIn: '1.0.0' }), finding({ rule: 'npm-exec-decoded' })],
      { notVouched: 'only 2 releases…', releaseTiming: 'published 3 hours after 1.0.0' },
    );
    expect(existing).toMatchObject({ alreadyIn: '1.0.0', notVouched: 'only 2 releases…' });
    expect(existing?.releaseTiming).toBeUndefined();
    expect(fresh).toMatchObject({ releaseTiming: 'published 3 hours after 1.0.0' });
    expect(fresh?.notVouched).toBeUndefined();
  });

  it('changes nothing without context', () => {
    const findings = [finding({ alreadyIn: '1.0.0' }), finding({})];
    expect(withRegistryContext(findings, {})).toEqual(findings);
  });
});
