import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import {
  chooseFiles,
  fetchRelease,
  resolvePypiVersion,
  type RegistryConfig,
} from '../../src/registry/index.js';
import type { PypiFile } from '../../src/registry/pypi.js';
import { bytes, json, startServer, type TestServer } from './server.js';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('chooseFiles', () => {
  const file = (filename: string, packagetype: string): PypiFile => ({
    filename,
    packagetype,
    url: `https://files.example/${filename}`,
  });

  it('takes the sdist and the pure-Python wheel, not platform wheels', () => {
    const chosen = chooseFiles([
      file('x-1.0-cp311-cp311-manylinux_2_17_x86_64.whl', 'bdist_wheel'),
      file('x-1.0-py3-none-any.whl', 'bdist_wheel'),
      file('x-1.0.tar.gz', 'sdist'),
    ]);
    expect(chosen.map((f) => f.filename)).toEqual(['x-1.0.tar.gz', 'x-1.0-py3-none-any.whl']);
  });

  it('falls back to the first wheel when there is neither', () => {
    const chosen = chooseFiles([
      file('x-1.0-cp311-cp311-win_amd64.whl', 'bdist_wheel'),
      file('x-1.0-cp312-cp312-win_amd64.whl', 'bdist_wheel'),
    ]);
    expect(chosen.map((f) => f.filename)).toEqual(['x-1.0-cp311-cp311-win_amd64.whl']);
  });
});

describe('resolvePypiVersion', () => {
  const some: PypiFile[] = [{ filename: 'f', url: 'u' }];
  const releases = {
    '1.0': some,
    '1.5': some,
    '1.6': [{ filename: 'f', url: 'u', yanked: true }],
    '2.0b1': some,
    '1.7': [],
    'not-pep440': some,
  };

  it('picks the highest final release, skipping yanked and empty ones', () => {
    expect(resolvePypiVersion(releases, '')).toBe('1.5');
    expect(resolvePypiVersion(releases, '>=1.0')).toBe('1.5');
    expect(resolvePypiVersion(releases, '~=1.0')).toBe('1.5');
  });

  it('allows a pre-release when the spec names one or nothing else matches', () => {
    expect(resolvePypiVersion(releases, '>=2.0b1')).toBe('2.0b1');
    expect(resolvePypiVersion(releases, '>=1.9')).toBe('2.0b1');
  });

  it('returns null for no match or a malformed spec', () => {
    expect(resolvePypiVersion(releases, '>=3')).toBeNull();
    expect(resolvePypiVersion(releases, '>>>1')).toBeNull();
  });
});

describe('fetchRelease (pypi)', () => {
  let index: TestServer;
  let config: RegistryConfig;
  const sdist = Buffer.from('sdist bytes');
  const pureWheel = Buffer.from('pure wheel bytes');
  const platformWheel = Buffer.from('platform wheel bytes');

  function serveRelease(name: string, version: string, files: PypiFile[]): void {
    index.route(`/pypi/${name}/${version}/json`, json({ info: { name, version }, urls: files }));
  }

  function hosted(filename: string, data: Buffer, packagetype: string, digest = sha256(data)) {
    index.route(`/files/${filename}`, bytes(data));
    return {
      filename,
      packagetype,
      url: `${index.url}/files/${filename}`,
      digests: { sha256: digest },
    };
  }

  function standardRelease(name: string, version: string): void {
    serveRelease(name, version, [
      hosted(
        `${name}-${version}-cp311-cp311-manylinux_2_17_x86_64.whl`,
        platformWheel,
        'bdist_wheel',
      ),
      hosted(`${name}-${version}-py3-none-any.whl`, pureWheel, 'bdist_wheel'),
      hosted(`${name}-${version}.tar.gz`, sdist, 'sdist'),
    ]);
  }

  beforeEach(async () => {
    index = await startServer();
    config = { npmRegistry: 'http://127.0.0.1:9', pypiUrl: index.url, retries: 0 };
  });
  afterEach(async () => {
    await index.close();
  });

  it('downloads the sdist and the pure wheel, verified by sha256', async () => {
    standardRelease('evil-pkg', '1.0.0');
    const release = await fetchRelease(
      { ecosystem: 'pypi', name: 'evil-pkg', version: '1.0.0' },
      config,
    );
    expect(release.version).toBe('1.0.0');
    expect(release.artifacts.map((a) => [a.filename, a.kind])).toEqual([
      ['evil-pkg-1.0.0.tar.gz', 'sdist'],
      ['evil-pkg-1.0.0-py3-none-any.whl', 'wheel'],
    ]);
    expect(Buffer.from(release.artifacts[0].data)).toEqual(sdist);
    expect(index.requests.map((r) => r.path)).not.toContain(
      '/files/evil-pkg-1.0.0-cp311-cp311-manylinux_2_17_x86_64.whl',
    );
  });

  it('fails with integrity when a file does not match its published sha256', async () => {
    serveRelease('bad', '1.0', [hosted('bad-1.0.tar.gz', sdist, 'sdist', sha256(pureWheel))]);
    await expect(
      fetchRelease({ ecosystem: 'pypi', name: 'bad', version: '1.0' }, config),
    ).rejects.toMatchObject({
      code: 'integrity',
      message: expect.stringMatching(/differs from the index/),
    });
  });

  it('inspects only the files the --hash values allow', async () => {
    standardRelease('pinned', '2.0');
    const release = await fetchRelease(
      {
        ecosystem: 'pypi',
        name: 'pinned',
        version: '2.0',
        hashes: [`sha256:${sha256(pureWheel)}`],
      },
      config,
    );
    expect(release.artifacts.map((a) => a.kind)).toEqual(['wheel']);
  });

  it('fails with integrity when no file matches the --hash values', async () => {
    standardRelease('pinned', '2.0');
    await expect(
      fetchRelease(
        {
          ecosystem: 'pypi',
          name: 'pinned',
          version: '2.0',
          hashes: [`sha256:${'ab'.repeat(32)}`],
        },
        config,
      ),
    ).rejects.toMatchObject({
      code: 'integrity',
      message: expect.stringMatching(/has a hash the requirement lists/),
    });
  });

  it('fails with integrity when the index claims the listed hash but serves other bytes', async () => {
    const listed = sha256(sdist);
    serveRelease('swapped', '1.0', [hosted('swapped-1.0.tar.gz', platformWheel, 'sdist', listed)]);
    await expect(
      fetchRelease(
        { ecosystem: 'pypi', name: 'swapped', version: '1.0', hashes: [`sha256:${listed}`] },
        config,
      ),
    ).rejects.toMatchObject({ code: 'integrity' });
  });

  it('resolves an unpinned requirement against the project JSON', async () => {
    const files = [{ filename: 'x', url: 'x', packagetype: 'sdist' }];
    index.route(
      '/pypi/ranged/json',
      json({
        info: { name: 'ranged' },
        releases: {
          '1.0': files,
          '1.4': files,
          '2.0rc1': files,
          '1.9': [{ ...files[0], yanked: true }],
        },
      }),
    );
    standardRelease('ranged', '1.4');
    const release = await fetchRelease(
      { ecosystem: 'pypi', name: 'ranged', version: '', spec: '>=1.0,<3' },
      config,
    );
    expect(release.version).toBe('1.4');
    expect(release.artifacts[0].filename).toBe('ranged-1.4.tar.gz');
    await expect(
      fetchRelease({ ecosystem: 'pypi', name: 'ranged', version: '', spec: '>=5' }, config),
    ).rejects.toMatchObject({ code: 'not-found' });
  });

  it('reports a missing project or release as not-found', async () => {
    await expect(
      fetchRelease({ ecosystem: 'pypi', name: 'ghost', version: '1.0' }, config),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/ghost==1\.0 was not found/),
    });
    serveRelease('nofiles', '1.0', []);
    await expect(
      fetchRelease({ ecosystem: 'pypi', name: 'nofiles', version: '1.0' }, config),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/no sdist or wheel/),
    });
  });

  it('asks for the PEP 503 normal form of the name', async () => {
    standardRelease('zope-interface', '6.0');
    const release = await fetchRelease(
      { ecosystem: 'pypi', name: 'Zope.Interface', version: '6.0' },
      config,
    );
    expect(release.artifacts).toHaveLength(2);
    expect(index.requests[0].path).toBe('/pypi/zope-interface/6.0/json');
  });

  it('rejects names that could smuggle a path', async () => {
    await expect(
      fetchRelease({ ecosystem: 'pypi', name: '../../admin', version: '1.0' }, config),
    ).rejects.toMatchObject({ code: 'not-found' });
    expect(index.requests).toHaveLength(0);
  });
});
