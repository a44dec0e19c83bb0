import { describe, expect, it } from '@jest/globals';
import { detectManifestFormat } from '../../../src/manifests/discover.js';
import { ManifestParseError, parseManifest } from '../../../src/manifests/parse/index.js';
import {
  parseNpmrcRegistries,
  parseYarnrcRegistries,
  registrySettings,
} from '../../../src/manifests/parse/registry-settings.js';

describe('registry configuration files', () => {
  it('are discovered as npmrc and yarnrc, at any depth, and declare no packages', () => {
    expect(detectManifestFormat('.npmrc')).toBe('npmrc');
    expect(detectManifestFormat('web/.npmrc')).toBe('npmrc');
    expect(detectManifestFormat('.yarnrc.yml')).toBe('yarnrc');
    expect(detectManifestFormat('node_modules/x/.npmrc')).toBeUndefined();
    expect(parseManifest('.npmrc', 'npmrc', 'registry=https://r.example/\n').packages).toEqual([]);
    expect(parseManifest('.yarnrc.yml', 'yarnrc', 'nodeLinker: node-modules\n').packages).toEqual(
      [],
    );
  });
});

describe('parseNpmrcRegistries', () => {
  it('reads the default and scoped registries with their lines, not auth lines or comments', () => {
    const npmrc = [
      '; company settings',
      'registry = https://npm.acme.example/',
      '@acme:registry="https://npm.acme.example/acme/"',
      '//npm.acme.example/:_authToken=${NPM_TOKEN}',
      '# @old:registry=https://old.example/',
      'save-exact=true',
    ].join('\n');
    expect(parseNpmrcRegistries(npmrc)).toEqual([
      { setting: 'registry', url: 'https://npm.acme.example/', line: 2 },
      { setting: '@acme:registry', url: 'https://npm.acme.example/acme/', line: 3 },
    ]);
  });
});

describe('parseYarnrcRegistries', () => {
  it('reads npmRegistryServer at the top and per scope', () => {
    const yarnrc = [
      'nodeLinker: node-modules',
      'npmRegistryServer: "https://npm.acme.example"',
      'npmScopes:',
      '  acme:',
      '    npmAlwaysAuth: true',
      '    npmRegistryServer: https://npm.evil.example',
      'npmRegistries:',
      '  "//npm.acme.example":',
      '    npmAuthToken: x',
    ].join('\n');
    expect(parseYarnrcRegistries(yarnrc)).toEqual([
      { setting: 'npmRegistryServer', url: 'https://npm.acme.example', line: 2 },
      { setting: 'npmScopes.acme.npmRegistryServer', url: 'https://npm.evil.example', line: 6 },
    ]);
    expect(parseYarnrcRegistries('')).toEqual([]);
  });

  it('reports malformed YAML with its line', () => {
    expect.assertions(2);
    try {
      parseYarnrcRegistries('npmScopes:\n  acme: [unclosed\n');
    } catch (error) {
      expect(error).toBeInstanceOf(ManifestParseError);
      expect((error as ManifestParseError).message).toMatch(/not valid YAML/);
    }
  });
});

describe('registrySettings', () => {
  it('reads pip index options from requirements files', () => {
    const requirements = [
      '--index-url https://pypi.acme.example/simple',
      '--extra-index-url=https://pypi.evil.example/simple',
      '-f ./wheels',
      '--trusted-host pypi.evil.example',
      'requests==2.31.0',
    ].join('\n');
    expect(registrySettings('requirements', requirements)).toEqual([
      { setting: '--index-url', url: 'https://pypi.acme.example/simple', line: 1 },
      { setting: '--extra-index-url', url: 'https://pypi.evil.example/simple', line: 2 },
      { setting: '--find-links', url: './wheels', line: 3 },
    ]);
  });

  it('reads uv, Poetry and PDM indexes from pyproject.toml', () => {
    const pyproject = [
      '[project]',
      'name = "app"',
      '',
      '[[tool.uv.index]]',
      'name = "acme"',
      'url = "https://pypi.acme.example/simple"',
      '',
      '[tool.uv]',
      'extra-index-url = ["https://pypi.extra.example/simple"]',
      '',
      '[[tool.poetry.source]]',
      'name = "torch"',
      'url = "https://download.pytorch.org/whl/cpu"',
      '',
      '[[tool.pdm.source]]',
      'name = "pdm"',
      'url = "https://pdm.example/simple"',
    ].join('\n');
    expect(registrySettings('pyproject', pyproject)).toEqual([
      { setting: '[[tool.uv.index]]', url: 'https://pypi.acme.example/simple', line: 6 },
      { setting: '[tool.uv] extra-index-url', url: 'https://pypi.extra.example/simple', line: 9 },
      { setting: '[[tool.poetry.source]]', url: 'https://download.pytorch.org/whl/cpu', line: 13 },
      { setting: '[[tool.pdm.source]]', url: 'https://pdm.example/simple', line: 17 },
    ]);
  });

  it('reads Pipfile sources, and nothing from lockfiles', () => {
    const pipfile =
      '[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\nname = "pypi"\n';
    expect(registrySettings('pipfile', pipfile)).toEqual([
      { setting: '[[source]]', url: 'https://pypi.org/simple', line: 2 },
    ]);
    expect(registrySettings('poetry-lock', 'anything')).toEqual([]);
  });
});
