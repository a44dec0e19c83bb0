import { describe, expect, it } from '@jest/globals';
import type { Ecosystem } from '../../src/types.js';
import npmList from '../../data/popular/npm.json' with { type: 'json' };
import pypiList from '../../data/popular/pypi.json' with { type: 'json' };
import {
  editDistance,
  findTyposquat,
  isAdjacentSwap,
  isTypoOf,
  typosquatFindings,
} from '../../src/reputation/typosquat.js';
import { PopularNames, popularNames } from '../../src/reputation/popular.js';

describe('findTyposquat with the bundled popular lists', () => {
  it.each<[Ecosystem, string, string, string]>([
    ['pypi', 'reqeusts', 'requests', 'swapped-letters'],
    ['npm', 'lodahs', 'lodash', 'swapped-letters'],
    ['pypi', 'requets', 'requests', 'edit-distance'],
    ['npm', 'expres', 'express', 'edit-distance'],
    ['npm', 'expresss', 'express', 'edit-distance'],
    ['pypi', 'beautifulsoup5', 'beautifulsoup4', 'edit-distance'],
    ['pypi', 'pythondateutil', 'python-dateutil', 'separator-variant'],
    ['pypi', 'python-date-util', 'python-dateutil', 'separator-variant'],
    ['npm', 'lo-dash', 'lodash', 'separator-variant'],
    ['npm', 'angular-core', '@angular/core', 'separator-variant'],
    ['npm', 'React', 'react', 'case-variant'],
    ['npm', '1odash', 'lodash', 'confusable-characters'],
    ['npm', 'rnoment', 'moment', 'confusable-characters'],
    ['pypi', 'djang0', 'django', 'confusable-characters'],
    ['pypi', 'Iibrosa', 'librosa', 'confusable-characters'],
    ['pypi', 'python-requests', 'requests', 'added-affix'],
    ['pypi', 'requests-py', 'requests', 'added-affix'],
    ['pypi', 'pyrequests', 'requests', 'added-affix'],
    ['npm', 'node-lodash', 'lodash', 'added-affix'],
    ['npm', 'lodash-js', 'lodash', 'added-affix'],
    ['npm', 'axiosjs', 'axios', 'added-affix'],
    ['npm', 'express-cli', 'express', 'added-affix'],
    ['pypi', 'boto3-sdk', 'boto3', 'added-affix'],
    ['pypi', 'numpy-dev', 'numpy', 'added-affix'],
    ['pypi', 'dateutil', 'python-dateutil', 'dropped-affix'],
    ['npm', '@typess/node', '@types/node', 'scope-imitation'],
    ['npm', '@babell/core', '@babel/core', 'scope-imitation'],
    ['npm', '@bable/core', '@babel/core', 'swapped-letters'],
    ['npm', '@angullar/some-helper', '@angular', 'scope-imitation'],
    ['npm', '@lodash/core', 'lodash', 'scope-named-after-package'],
  ])('%s %s imitates %s (%s)', (ecosystem, name, imitates, technique) => {
    expect(findTyposquat(ecosystem, name)).toEqual({ imitates, technique });
  });

  it.each<[Ecosystem, string]>([
    ['npm', 'react-dom'],
    ['npm', 'react'],
    ['npm', 'preact'],
    ['npm', '@types/node'],
    ['npm', '@types/some-package-nobody-uses'],
    ['npm', '@babel/core'],
    ['npm', '@babel/not-yet-popular-plugin'],
    ['pypi', 'types-requests'],
    ['pypi', 'pytest-cov'],
    ['pypi', 'pytest'],
    ['pypi', 'Requests'],
    ['pypi', 'python_dateutil'],
    ['pypi', 'typing_extensions'],
    ['pypi', 'pyjwt'],
    ['pypi', 'jwt'],
    ['npm', 'my-company-internal-thing'],
    ['pypi', 'a-long-and-unrelated-project-name'],
  ])('stays quiet on %s %s', (ecosystem, name) => {
    expect(findTyposquat(ecosystem, name)).toBeUndefined();
  });

  it('never reports a popular name as a squat of another popular name', () => {
    for (const [ecosystem, list] of [
      ['npm', npmList],
      ['pypi', pypiList],
    ] as const) {
      const flagged = [...list.top, ...list.known].filter((name) => findTyposquat(ecosystem, name));
      expect(flagged).toEqual([]);
    }
  });

  it('reports popular look-alike pairs from the list only through the popularity guard', () => {
    // These pairs are one edit or one affix apart: without the guard the later name would be
    // reported; with it, a real project is never called a squat.
    const pairs: [string, string][] = [
      ['react', 'preact'],
      ['colors', 'color'],
      ['pyyaml', 'yaml'],
    ];
    for (const [first, second] of pairs) {
      const eco = first === 'pyyaml' ? 'pypi' : 'npm';
      expect(findTyposquat(eco, second, [first])).toBeDefined();
      expect(findTyposquat(eco, second, new PopularNames(eco, [first], [second]))).toBeUndefined();
    }
  });
});

describe('findTyposquat with an explicit list', () => {
  it('prefers the most popular of several imitated names', () => {
    expect(findTyposquat('npm', 'colorz', ['colors', 'color'])?.imitates).toBe('colors');
    expect(findTyposquat('npm', 'colorz', ['color', 'colors'])?.imitates).toBe('color');
  });

  it('uses edit distance 2 only for long names', () => {
    expect(findTyposquat('npm', 'typscrpt-eslnt', ['typescript-eslint'])).toBeUndefined();
    expect(findTyposquat('npm', 'typescrit-eslnt', ['typescript-eslint'])).toEqual({
      imitates: 'typescript-eslint',
      technique: 'edit-distance',
    });
    expect(findTyposquat('npm', 'exprs', ['express'])).toBeUndefined();
  });

  it('skips edit distance on very short names, where every name is one letter from another', () => {
    expect(findTyposquat('npm', 'ps', ['ms'])).toBeUndefined();
    expect(findTyposquat('npm', 'vue2', ['vue'])).toBeUndefined();
  });

  it('does not call a different short word a typo', () => {
    expect(findTyposquat('npm', 'fs-promise', ['is-promise'])).toBeUndefined();
    expect(findTyposquat('npm', 'map-values', ['has-values'])).toBeUndefined();
    expect(findTyposquat('npm', 'is-promis', ['is-promise'])?.technique).toBe('edit-distance');
  });

  it('does not strip an affix that leaves too short a core', () => {
    expect(findTyposquat('pypi', 'pyre', ['re'])).toBeUndefined();
  });

  it('ignores a scope named after a package outside the best-known ones', () => {
    const names = Array.from({ length: 1200 }, (_, i) => `filler-package-${i}`);
    names.push('fast-check');
    expect(findTyposquat('npm', '@fast-check/jest', names)).toBeUndefined();
    expect(findTyposquat('npm', '@fast-check/jest', ['fast-check'])).toEqual({
      imitates: 'fast-check',
      technique: 'scope-named-after-package',
    });
  });

  it('treats PyPI names that normalise alike as the same project', () => {
    expect(findTyposquat('pypi', 'Typing.Extensions', ['typing-extensions'])).toBeUndefined();
    expect(findTyposquat('pypi', 'typingextensions', ['typing-extensions'])?.technique).toBe(
      'separator-variant',
    );
  });

  it('answers nothing for an empty name', () => {
    expect(findTyposquat('npm', '  ', ['lodash'])).toBeUndefined();
  });
});

describe('typosquatFindings', () => {
  it('is a medium finding that names the imitated package and the technique', () => {
    const [finding] = typosquatFindings('pypi', 'reqeusts');
    expect(finding).toMatchObject({ rule: 'typosquat', severity: 'medium', file: '', line: 0 });
    expect(finding.message).toContain('`requests`');
    expect(finding.evidence).toBe('reqeusts ≈ requests (swapped-letters)');
  });

  it('is empty for a legitimate name', () => {
    expect(typosquatFindings('npm', 'react-dom')).toEqual([]);
  });
});

describe('string helpers', () => {
  it('computes optimal string alignment distance with swaps as one edit', () => {
    expect(editDistance('requests', 'reqeusts')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('recognises exactly one adjacent swap', () => {
    expect(isAdjacentSwap('lodahs', 'lodash')).toBe(true);
    expect(isAdjacentSwap('lodash', 'lodash')).toBe(false);
    expect(isAdjacentSwap('ldoahs', 'lodash')).toBe(false);
  });

  it('keeps each word recognisable for a typo', () => {
    expect(isTypoOf('reqursts', 'requests')).toBe(true);
    expect(isTypoOf('fs-promise', 'is-promise')).toBe(false);
    expect(isTypoOf('debuglog', 'debug-log')).toBe(true);
  });
});

describe('bundled popular lists', () => {
  it('carry the date of their data and thousands of ranked names', () => {
    for (const list of [npmList, pypiList]) {
      expect(list.dataDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(list.top.length).toBeGreaterThanOrEqual(5000);
      expect(new Set(list.top).size).toBe(list.top.length);
    }
    expect(npmList.top.slice(0, 50)).toContain('semver');
    expect(pypiList.top.slice(0, 10)).toContain('requests');
  });

  it('are indexed once per ecosystem', () => {
    expect(popularNames('npm')).toBe(popularNames('npm'));
    expect(popularNames('pypi').isPopular('Python_Dateutil')).toBe(true);
    expect(popularNames('npm').isPopular('React')).toBe(false);
  });
});
