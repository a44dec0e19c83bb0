import { describe, expect, it } from '@jest/globals';
import { ManifestParseError, parseManifest } from '../../../src/manifests/parse/index.js';
import type { ManifestFormat } from '../../../src/types.js';

describe('parseManifest', () => {
  it('dispatches on the format and keeps the path', () => {
    expect(parseManifest('a/requirements.txt', 'requirements', 'six==1.16.0\n')).toEqual({
      path: 'a/requirements.txt',
      format: 'requirements',
      packages: [{ ecosystem: 'pypi', name: 'six', version: '1.16.0', line: 1 }],
    });
    expect(
      parseManifest('package-lock.json', 'package-lock', '{"lockfileVersion":3,"packages":{}}'),
    ).toEqual({ path: 'package-lock.json', format: 'package-lock', packages: [] });
  });

  it('throws ManifestParseError with a line for malformed content', () => {
    expect(() => parseManifest('package-lock.json', 'package-lock', '{\n  "a": [\n')).toThrow(
      ManifestParseError,
    );
    try {
      parseManifest('requirements.txt', 'requirements', 'ok==1\nnot a requirement!\n');
    } catch (error) {
      expect(error).toBeInstanceOf(ManifestParseError);
      expect((error as ManifestParseError).line).toBe(2);
    }
    expect.assertions(3);
  });

  it('refuses a format it has no parser for', () => {
    expect(() => parseManifest('x', 'nope' as ManifestFormat, '')).toThrow(
      'no parser for dependency file format "nope"',
    );
  });
});
