import { describe, expect, it } from '@jest/globals';
import { detectManifestFormat } from '../../src/manifests/discover.js';

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
