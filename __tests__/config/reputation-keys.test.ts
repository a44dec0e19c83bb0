import { describe, expect, it } from '@jest/globals';
import { advisoryOptions } from '../../src/action.js';
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
});
