import { describe, expect, it } from '@jest/globals';
import {
  detectManifestFormat,
  INCLUDING_REQUIREMENTS_NAMES,
  isRequirementsLikeName,
  listedIncluders,
  MAX_INCLUDER_FOLDERS,
  MAX_LISTED_INCLUDERS,
  mayBeIncludedRequirements,
  possibleIncluders,
} from '../../src/manifests/discover.js';

describe('detectManifestFormat', () => {
  it.each([
    ['requirements.txt', 'requirements'],
    ['requirements-dev.txt', 'requirements'],
    ['services/api/requirements_test.txt', 'requirements'],
    ['Requirements.txt', 'requirements'],
    ['requirements/base.txt', 'requirements'],
    ['backend/requirements/prod.txt', 'requirements'],
    ['package-lock.json', 'package-lock'],
    ['apps/web/package-lock.json', 'package-lock'],
    ['npm-shrinkwrap.json', 'package-lock'],
    ['requirements-dev.in', 'requirements'],
    ['requirements/dev.in', 'requirements'],
    ['constraints.txt', 'requirements'],
    ['package.json', 'package-json'],
    ['packages/ui/package.json', 'package-json'],
    ['yarn.lock', 'yarn-lock'],
    ['pnpm-lock.yaml', 'pnpm-lock'],
    ['bun.lock', 'bun-lock'],
    ['poetry.lock', 'poetry-lock'],
    ['services/api/uv.lock', 'uv-lock'],
    ['Pipfile.lock', 'pipfile-lock'],
    ['pdm.lock', 'pdm-lock'],
    ['pyproject.toml', 'pyproject'],
    ['Pipfile', 'pipfile'],
    ['pylock.toml', 'pylock'],
    ['deploy/pylock.prod.toml', 'pylock'],
  ])('%s is %s', (path, format) => {
    expect(detectManifestFormat(path)).toBe(format);
  });

  it.each([
    'node_modules/foo/package-lock.json',
    'packages/a/node_modules/b/requirements.txt',
    'docs/base.txt',
    'requirements.md',
    'my-requirements.txt',
    'package.json.bak',
    'package-lock.json5',
    'MANIFEST.in',
    'node_modules/x/package.json',
    'vendor/node_modules/y/yarn.lock',
    'pipfile.lock.bak',
    'pylock.a.b.toml',
    '',
  ])('%s is not a dependency file it reads', (path) => {
    expect(detectManifestFormat(path)).toBeUndefined();
  });
});

describe('mayBeIncludedRequirements', () => {
  it.each<[string, boolean]>([
    ['deps/base.txt', true],
    ['pins/prod.in', true],
    ['pins/constraints-prod.in', false],
    ['tools/lint.TXT', true],
    ['requirements.txt', false], // already discovered by name
    ['requirements/dev.txt', false],
    ['docs/index.md', false],
    ['setup.py', false],
    ['node_modules/x/deps.txt', false],
    ['', false],
  ])('%s → %s', (path, expected) => {
    expect(mayBeIncludedRequirements(path)).toBe(expected);
  });
});

describe('possibleIncluders', () => {
  it("lists the conventional names in each path's folder and every folder above, once", () => {
    const paths = possibleIncluders(['py/deps/base.txt', 'py/deps/dev.txt', 'top.txt']);
    expect(paths.filter((p) => /(^|\/)requirements\.txt$/.test(p)).sort()).toEqual([
      'py/deps/requirements.txt',
      'py/requirements.txt',
      'requirements.txt',
    ]);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toHaveLength(3 * INCLUDING_REQUIREMENTS_NAMES.length);
    expect(paths).toEqual(expect.arrayContaining(['constraints.txt', 'py/requirements.in']));
  });

  it('looks in the shallowest folders only, so a PR touching text files everywhere stays cheap', () => {
    const many = Array.from({ length: 200 }, (_, i) => `fixtures/case${i}/deep/input.txt`);
    const paths = possibleIncluders(many);
    expect(paths).toHaveLength(MAX_INCLUDER_FOLDERS * INCLUDING_REQUIREMENTS_NAMES.length);
    expect(paths).toEqual(
      expect.arrayContaining(['requirements.txt', 'fixtures/requirements.txt']),
    );
    expect(paths.some((p) => p.includes('/deep/'))).toBe(false);
  });
});

describe('isRequirementsLikeName', () => {
  it.each<[string, boolean]>([
    ['services/api/requirements-prod.txt', true],
    ['dev-requirements.in', true],
    ['ci/constraints-py312.txt', true],
    ['requirements/base.txt', true],
    ['Requirements.TXT', true],
    ['shared/deps.txt', false],
    ['requirements.md', false],
    ['node_modules/x/requirements.txt', false],
    ['', false],
  ])('%s → %s', (path, expected) => {
    expect(isRequirementsLikeName(path)).toBe(expected);
  });
});

describe('listedIncluders', () => {
  it('keeps every requirements-like file of the listing, anywhere', () => {
    const listing = [
      'README.md',
      'shared/deps.txt',
      'services/api/requirements-prod.txt',
      'services/api/main.py',
      'docs/requirements.txt',
      'requirements.txt',
      'node_modules/pkg/requirements.txt',
    ];
    expect(listedIncluders(listing, ['shared/deps.txt'])).toEqual([
      'requirements.txt',
      'docs/requirements.txt',
      'services/api/requirements-prod.txt',
    ]);
  });

  it('reads at most the limit, those on the way up from a changed file and nearest first', () => {
    const far = Array.from(
      { length: MAX_LISTED_INCLUDERS + 50 },
      (_, i) => `vendor/pkg${i}/requirements.txt`,
    );
    const listing = [
      ...far,
      'py/app/requirements.txt',
      'py/requirements-dev.txt',
      'py/other/requirements.txt',
    ];
    const picked = listedIncluders(listing, ['py/app/deps/base.txt']);
    expect(picked).toHaveLength(MAX_LISTED_INCLUDERS);
    expect(picked.slice(0, 3)).toEqual([
      'py/app/requirements.txt',
      'py/requirements-dev.txt',
      'py/other/requirements.txt',
    ]);
    expect(listedIncluders(listing, ['py/app/deps/base.txt'], 2)).toEqual([
      'py/app/requirements.txt',
      'py/requirements-dev.txt',
    ]);
  });
});
