import { describe, expect, it } from '@jest/globals';
import { advisoryOptions, reputationOptions } from '../../src/action.js';
import { parseConfig } from '../../src/config/parse.js';

const PATH = '.github/pkg-gate.yml';

describe('reputation settings in the config file', () => {
  it('reads advisories, osv-url and internal-prefixes', () => {
    const { config } = parseConfig(
      'advisories: off\nosv-url: https://osv.example.com/\ninternal-prefixes: ["@acme", "acme-"]\n',
      PATH,
    );
    expect(config.advisories).toBe('off');
    expect(config.osvUrl).toBe('https://osv.example.com');
    expect(config.internalPrefixes).toEqual(['@acme', 'acme-']);
    expect(parseConfig('advisories: false\n', PATH).config.advisories).toBe('off');
  });

  it('points at the bad key', () => {
    expect(() => parseConfig('advisories: sometimes\n', PATH)).toThrow(
      /advisories: must be one of on, off/,
    );
    expect(() => parseConfig('osv-url: ftp://osv\n', PATH)).toThrow(/osv-url/);
    expect(() => parseConfig('internal-prefixes: 3\n', PATH)).toThrow(/internal-prefixes/);
  });

  it('builds the advisory lookup from the input, with OSV switched off by "off"', () => {
    expect(advisoryOptions('', 't')).toMatchObject({ osvUrl: 'https://api.osv.dev' });
    expect(advisoryOptions('off', 't')).toMatchObject({ osvUrl: false, github: { token: 't' } });
    expect(() => advisoryOptions('nonsense', 't')).toThrow(/osv-url/);
  });

  it('reads established-package, each key optional', () => {
    expect(
      parseConfig('established-package:\n  min-age-days: 90\n  min-releases: 5\n', PATH).config
        .establishedPackage,
    ).toEqual({ minAgeDays: 90, minReleases: 5 });
    expect(
      parseConfig('established-package: { min-age-days: 0 }\n', PATH).config.establishedPackage,
    ).toEqual({ minAgeDays: 0 });
    expect(parseConfig('fail-on: high\n', PATH).config.establishedPackage).toBeUndefined();
  });

  it.each<[string, RegExp]>([
    ['established-package: 30\n', /established-package: must be a mapping/],
    [
      'established-package: { min-age-days: -1 }\n',
      /established-package\.min-age-days: must be a whole number from 0 to 3650 \(got -1\)/,
    ],
    [
      'established-package: { min-age-days: 7.5 }\n',
      /established-package\.min-age-days: must be a whole number/,
    ],
    [
      'established-package: { min-releases: "three" }\n',
      /established-package\.min-releases: must be a whole number from 0 to 1000 \(got "three"\)/,
    ],
    [
      'established-package: { min-age-day: 30 }\n',
      /established-package\.min-age-day: unknown key \(did you mean "min-age-days"\?\)/,
    ],
  ])('rejects %j', (text, message) => {
    expect(() => parseConfig(text, PATH)).toThrow(message);
  });

  it('passes the reputation keys to the scan', () => {
    const { config } = parseConfig(
      'advisories: off\ninternal-prefixes: ["@acme"]\nestablished-package: { min-age-days: 60 }\n',
      PATH,
    );
    expect(reputationOptions(config, '', 't')).toEqual({
      advisories: false,
      internalPrefixes: ['@acme'],
      established: { minAgeDays: 60 },
    });
  });
});
