import { describe, expect, it, jest } from '@jest/globals';
import {
  advisoriesFrom,
  main,
  parseRegistryTarget,
  registryConfigFrom,
} from '../../src/cli/main.js';

async function capture(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await main(argv, {}), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('cli arguments', () => {
  it('parses registry targets, scoped npm names included', () => {
    expect(parseRegistryTarget('npm:left-pad@1.3.0')).toEqual({
      ecosystem: 'npm',
      name: 'left-pad',
      version: '1.3.0',
    });
    expect(parseRegistryTarget('npm:@types/node@20.1.0')).toEqual({
      ecosystem: 'npm',
      name: '@types/node',
      version: '20.1.0',
    });
    expect(parseRegistryTarget('pypi:requests==2.32.3')).toEqual({
      ecosystem: 'pypi',
      name: 'requests',
      version: '2.32.3',
    });
    expect(parseRegistryTarget('./left-pad.tgz')).toBeUndefined();
    expect(() => parseRegistryTarget('pypi:requests>=2')).toThrow(/exact version/);
  });

  it('takes registries from flags, then environment, then defaults', () => {
    expect(registryConfigFrom({}, {})).toMatchObject({
      npmRegistry: 'https://registry.npmjs.org',
      pypiUrl: 'https://pypi.org',
    });
    expect(
      registryConfigFrom(
        { 'pypi-url': 'http://127.0.0.1:9/' },
        { PKG_GATE_NPM_REGISTRY: 'http://npm.local/' },
      ),
    ).toMatchObject({ npmRegistry: 'http://npm.local', pypiUrl: 'http://127.0.0.1:9' });
    expect(() => registryConfigFrom({ 'npm-registry': 'ftp://x' }, {})).toThrow(/http\(s\) URL/);
  });

  it('looks up advisories on OSV by default, on GitHub with a token, and can turn them off', () => {
    expect(advisoriesFrom(undefined, {})).toEqual({ osvUrl: 'https://api.osv.dev', github: false });
    expect(advisoriesFrom('off', {})).toBe(false);
    expect(advisoriesFrom('http://127.0.0.1:9/', { GITHUB_TOKEN: 't' })).toEqual({
      osvUrl: 'http://127.0.0.1:9',
      github: { apiUrl: 'https://api.github.com', token: 't' },
    });
    expect(() => advisoriesFrom('ftp://osv', {})).toThrow(/--osv-url/);
  });

  it('exits 2 with a one-line message on bad arguments', async () => {
    for (const argv of [
      ['frobnicate'],
      ['inspect'],
      ['inspect', 'x', '--fail-on', 'severe'],
      ['inspect', 'x', '--format', 'xml'],
      ['inspect', 'x', '--ecosystem', 'cargo'],
      ['inspect', 'x', '--bogus'],
      ['diff', '--base', 'main'],
    ]) {
      const { code, stderr } = await capture(argv);
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^pkg-gate: /);
    }
  });

  it('exits 2 on an unreadable input and reports it as an error package', async () => {
    const { code, stdout, stderr } = await capture([
      'inspect',
      '/no/such/file.tgz',
      '--format',
      'json',
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no such file/);
    const report = JSON.parse(stdout);
    expect(report.packages[0]).toMatchObject({ source: '/no/such/file.tgz', verdict: 'error' });
  });
});
