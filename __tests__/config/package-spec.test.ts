import { describe, expect, it } from '@jest/globals';
import { parsePackageSpec, specCovers } from '../../src/config/package-spec.js';

const npm = (name: string, version: string) => ({ ecosystem: 'npm' as const, name, version });
const pypi = (name: string, version: string) => ({ ecosystem: 'pypi' as const, name, version });

describe('parsePackageSpec', () => {
  it('splits ecosystem, name and versions', () => {
    expect(parsePackageSpec('npm:left-pad@1.3.0')).toEqual({
      ecosystem: 'npm',
      name: 'left-pad',
      versions: '1.3.0',
    });
    expect(parsePackageSpec('npm:left-pad@^1.3')).toEqual({
      ecosystem: 'npm',
      name: 'left-pad',
      versions: '^1.3',
    });
    expect(parsePackageSpec('npm:left-pad')).toEqual({ ecosystem: 'npm', name: 'left-pad' });
    expect(parsePackageSpec('npm:@types/node@20.x')).toEqual({
      ecosystem: 'npm',
      name: '@types/node',
      versions: '20.x',
    });
    expect(parsePackageSpec('npm:@types/node')).toEqual({ ecosystem: 'npm', name: '@types/node' });
  });

  it('reads PyPI versions after @ or as a PEP 440 specifier, and normalises the name', () => {
    expect(parsePackageSpec('pypi:Evil_Pkg@1.0.0')).toEqual({
      ecosystem: 'pypi',
      name: 'evil-pkg',
      versions: '==1.0.0',
    });
    expect(parsePackageSpec('pypi:requests==2.31.0')).toEqual({
      ecosystem: 'pypi',
      name: 'requests',
      versions: '==2.31.0',
    });
    expect(parsePackageSpec('pypi:requests>=2,<3')).toEqual({
      ecosystem: 'pypi',
      name: 'requests',
      versions: '>=2,<3',
    });
    expect(parsePackageSpec('pypi:requests@~=2.31')).toEqual({
      ecosystem: 'pypi',
      name: 'requests',
      versions: '~=2.31',
    });
    expect(parsePackageSpec('pypi:zope.interface')).toEqual({
      ecosystem: 'pypi',
      name: 'zope-interface',
    });
  });

  it('explains what is wrong', () => {
    expect(() => parsePackageSpec('left-pad@1.0.0')).toThrow(/must start with "npm:" or "pypi:"/);
    expect(() => parsePackageSpec('gem:rails')).toThrow(/must start with "npm:" or "pypi:"/);
    expect(() => parsePackageSpec('npm:left pad')).toThrow(/not a valid npm package name/);
    expect(() => parsePackageSpec('npm:left-pad@')).toThrow(/not a semver version or range/);
    expect(() => parsePackageSpec('pypi:requests@^2.0')).toThrow(
      /not a PEP 440 version or specifier/,
    );
    expect(() => parsePackageSpec('pypi:-bad')).toThrow(/not a valid PyPI project name/);
  });
});

describe('specCovers', () => {
  it('matches npm exact versions and semver ranges', () => {
    expect(specCovers(parsePackageSpec('npm:left-pad@1.3.0'), npm('left-pad', '1.3.0'))).toBe(true);
    expect(specCovers(parsePackageSpec('npm:left-pad@1.3.0'), npm('left-pad', '1.3.1'))).toBe(
      false,
    );
    expect(specCovers(parsePackageSpec('npm:left-pad@^1.3'), npm('left-pad', '1.9.2'))).toBe(true);
    expect(specCovers(parsePackageSpec('npm:left-pad@^1.3'), npm('left-pad', '2.0.0'))).toBe(false);
    // A range does not take pre-releases unless it names one, like npm itself.
    expect(specCovers(parsePackageSpec('npm:left-pad@^1.3'), npm('left-pad', '1.4.0-beta.1'))).toBe(
      false,
    );
    expect(specCovers(parsePackageSpec('npm:left-pad'), npm('left-pad', '0.0.1'))).toBe(true);
    expect(specCovers(parsePackageSpec('npm:left-pad'), npm('left-pads', '1.3.0'))).toBe(false);
    expect(specCovers(parsePackageSpec('npm:left-pad'), pypi('left-pad', '1.3.0'))).toBe(false);
  });

  it('matches PyPI by PEP 440 with normalised names', () => {
    expect(specCovers(parsePackageSpec('pypi:requests@2.31.0'), pypi('Requests', '2.31.0'))).toBe(
      true,
    );
    expect(specCovers(parsePackageSpec('pypi:requests@2.31'), pypi('requests', '2.31.0'))).toBe(
      true,
    ); // PEP 440: 2.31 == 2.31.0
    expect(specCovers(parsePackageSpec('pypi:requests>=2,<3'), pypi('requests', '2.32.3'))).toBe(
      true,
    );
    expect(specCovers(parsePackageSpec('pypi:requests>=2,<3'), pypi('requests', '3.0.0'))).toBe(
      false,
    );
    expect(specCovers(parsePackageSpec('pypi:requests==2.31.*'), pypi('requests', '2.31.7'))).toBe(
      true,
    );
    expect(specCovers(parsePackageSpec('pypi:my_pkg'), pypi('My.Pkg', '1.0'))).toBe(true);
  });

  it('never covers an unknown version with a versioned entry', () => {
    expect(specCovers(parsePackageSpec('npm:left-pad@*'), npm('left-pad', ''))).toBe(false);
    expect(specCovers(parsePackageSpec('npm:left-pad'), npm('left-pad', ''))).toBe(true);
    expect(specCovers(parsePackageSpec('npm:left-pad@^1'), npm('left-pad', 'not-a-version'))).toBe(
      false,
    );
  });
});
