import { describe, expect, it } from '@jest/globals';
import type { Ecosystem } from '../../../src/types.js';
import {
  allowedHosts,
  classifySource,
  leavesRepository,
} from '../../../src/manifests/findings/hosts.js';

const registries = { npmRegistry: 'https://npm.acme.example/repo/', pypiUrl: 'https://pypi.org' };

describe('allowedHosts', () => {
  it('is the configured registry plus the public defaults of the ecosystem', () => {
    expect([...allowedHosts(registries, 'npm')].sort()).toEqual([
      'npm.acme.example',
      'registry.npmjs.org',
      'registry.yarnpkg.com',
    ]);
    expect(allowedHosts(registries, 'pypi').has('files.pythonhosted.org')).toBe(true);
    expect(allowedHosts(registries, 'pypi').has('registry.npmjs.org')).toBe(false);
  });
});

describe('classifySource', () => {
  it.each<[Ecosystem, string, string, string | undefined]>([
    [
      'npm',
      'https://registry.npmjs.org/chalk/-/chalk-4.1.2.tgz',
      'registry-url',
      'registry.npmjs.org',
    ],
    ['npm', 'https://evil.example/chalk/-/chalk-4.1.2.tgz', 'registry-url', 'evil.example'],
    ['npm', 'https://codeload.github.com/o/r/tar.gz/abc', 'url', 'codeload.github.com'],
    ['npm', 'https://example.com/pkg.tgz', 'url', 'example.com'],
    ['npm', 'git+ssh://git@github.com/o/r.git#0123456789abcdef', 'git', 'github.com'],
    ['npm', 'git+https://gitlab.com/o/r.git', 'git', 'gitlab.com'],
    ['npm', 'github:o/r#main', 'git', 'github.com'],
    ['npm', 'o/r', 'git', 'github.com'],
    ['npm', 'git@bitbucket.org:o/r.git', 'git', 'bitbucket.org'],
    ['npm', 'https://github.com/o/r.git', 'git', 'github.com'],
    ['pypi', 'git+https://github.com/o/tool@v1', 'git', 'github.com'],
    [
      'pypi',
      'https://files.pythonhosted.org/packages/x/attrs-23.2.0.tar.gz',
      'url',
      'files.pythonhosted.org',
    ],
    ['pypi', 'https://download.pytorch.org/whl/cpu', 'registry-url', 'download.pytorch.org'],
  ])('%s %s is %s', (ecosystem, resolved, kind, host) => {
    expect(classifySource(ecosystem, resolved)).toEqual({ kind, host });
  });

  it.each<[Ecosystem, string, string]>([
    ['npm', 'file:vendor/left-pad-1.0.0.tgz', 'local-archive'],
    ['npm', 'file:../shared', 'local-folder'],
    ['pypi', './wheels/tool-1.0-py3-none-any.whl', 'local-archive'],
    ['pypi', '.', 'local-folder'],
    ['pypi', 'src/tool', 'local-folder'],
    ['npm', 'latest', 'other'],
  ])('%s %s is %s', (ecosystem, resolved, kind) => {
    expect(classifySource(ecosystem, resolved).kind).toBe(kind);
  });
});

describe('leavesRepository', () => {
  it('tells folders inside the repository from ones above it or absolute', () => {
    expect(leavesRepository('web/package.json', 'file:../shared')).toBe(false);
    expect(leavesRepository('package.json', 'file:../shared')).toBe(true);
    expect(leavesRepository('a/b/requirements.txt', '../../lib')).toBe(false);
    expect(leavesRepository('a/b/requirements.txt', '../../../lib')).toBe(true);
    expect(leavesRepository('requirements.txt', '/opt/tool')).toBe(true);
    expect(leavesRepository('requirements.txt', '~/tool')).toBe(true);
  });
});
