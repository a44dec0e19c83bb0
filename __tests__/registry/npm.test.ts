import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import {
  FetchError,
  fetchRelease,
  packumentUrl,
  resolveNpmVersion,
  type RegistryConfig,
} from '../../src/registry/index.js';
import { bytes, json, startServer, type TestServer } from './server.js';

const sri = (data: Uint8Array, algorithm = 'sha512') =>
  `${algorithm}-${createHash(algorithm).update(data).digest('base64')}`;

describe('resolveNpmVersion', () => {
  const packument = {
    'dist-tags': { latest: '1.2.0', next: '2.0.0-beta.1' },
    versions: { '1.0.0': {}, '1.2.0': {}, '1.3.0': {}, '2.0.0-beta.1': {}, '0.9.0': {} },
  };

  it('uses latest for an empty spec or *', () => {
    expect(resolveNpmVersion(packument, '')).toBe('1.2.0');
    expect(resolveNpmVersion(packument, '*')).toBe('1.2.0');
    expect(resolveNpmVersion(packument, undefined)).toBe('1.2.0');
  });

  it('prefers latest when it satisfies the range, as npm does', () => {
    expect(resolveNpmVersion(packument, '^1.0.0')).toBe('1.2.0');
  });

  it('takes the highest satisfying version otherwise', () => {
    expect(resolveNpmVersion(packument, '>=1.3.0 <2')).toBe('1.3.0');
    expect(resolveNpmVersion(packument, '~0.9')).toBe('0.9.0');
  });

  it('follows a dist-tag and returns null when nothing matches', () => {
    expect(resolveNpmVersion(packument, 'next')).toBe('2.0.0-beta.1');
    expect(resolveNpmVersion(packument, '^5.0.0')).toBeNull();
    expect(resolveNpmVersion(packument, 'not a range')).toBeNull();
  });
});

describe('packumentUrl', () => {
  it('encodes scoped names and keeps a registry path', () => {
    expect(packumentUrl('https://r.example/', '@scope/pkg')).toBe('https://r.example/@scope%2fpkg');
    expect(packumentUrl('https://r.example/api/npm', 'left-pad')).toBe(
      'https://r.example/api/npm/left-pad',
    );
  });

  it('rejects names that could smuggle a path', () => {
    expect(() => packumentUrl('https://r.example', '../admin')).toThrow(FetchError);
    expect(() => packumentUrl('https://r.example', 'a/b')).toThrow(/not a valid npm package name/);
  });
});

describe('fetchRelease (npm)', () => {
  let registry: TestServer;
  let config: RegistryConfig;
  const tarball = Buffer.from('pretend this is a gzipped tarball');

  function publish(name: string, versions: Record<string, object>, latest: string): void {
    const path = name.startsWith('@') ? `/${name.replace('/', '%2f')}` : `/${name}`;
    registry.route(path, json({ name, 'dist-tags': { latest }, versions }));
  }

  function version(file: string, dist: object = { integrity: sri(tarball) }): object {
    registry.route(`/tarballs/${file}`, bytes(tarball));
    return { dist: { tarball: `${registry.url}/tarballs/${file}`, ...dist } };
  }

  beforeEach(async () => {
    registry = await startServer();
    config = {
      npmRegistry: registry.url,
      pypiUrl: 'http://127.0.0.1:9',
      retries: 0,
      retryBaseDelayMs: 1,
    };
  });
  afterEach(async () => {
    await registry.close();
  });

  it('downloads the tarball of an exact version and verifies the packument SRI', async () => {
    publish('left-pad', { '1.1.0': version('left-pad-1.1.0.tgz') }, '1.1.0');
    const release = await fetchRelease(
      { ecosystem: 'npm', name: 'left-pad', version: '1.1.0' },
      config,
    );
    expect(release.version).toBe('1.1.0');
    expect(release.artifacts).toHaveLength(1);
    expect(release.artifacts[0]).toMatchObject({
      filename: 'left-pad-1.1.0.tgz',
      kind: 'npm-tarball',
      url: `${registry.url}/tarballs/left-pad-1.1.0.tgz`,
    });
    expect(Buffer.from(release.artifacts[0].data)).toEqual(tarball);
    expect(registry.requests[0].headers.accept).toMatch(/application\/vnd\.npm\.install-v1\+json/);
  });

  it('fetches a scoped package through the encoded packument path', async () => {
    publish('@acme/tool', { '2.0.0': version('tool-2.0.0.tgz') }, '2.0.0');
    const release = await fetchRelease(
      { ecosystem: 'npm', name: '@acme/tool', version: '2.0.0' },
      config,
    );
    expect(release.version).toBe('2.0.0');
    expect(registry.requests[0].path).toBe('/@acme%2ftool');
  });

  it('fails with integrity when the tarball does not match the packument', async () => {
    const wrong = sri(Buffer.from('something else'));
    publish('x', { '1.0.0': version('x-1.0.0.tgz', { integrity: wrong }) }, '1.0.0');
    await expect(
      fetchRelease({ ecosystem: 'npm', name: 'x', version: '1.0.0' }, config),
    ).rejects.toMatchObject({
      code: 'integrity',
      message: expect.stringMatching(/the registry expects/),
    });
  });

  it("trusts the lockfile's integrity over the packument's", async () => {
    const wrong = sri(Buffer.from('something else'));
    publish('x', { '1.0.0': version('x-1.0.0.tgz', { integrity: wrong }) }, '1.0.0');
    const release = await fetchRelease(
      { ecosystem: 'npm', name: 'x', version: '1.0.0', integrity: sri(tarball) },
      config,
    );
    expect(release.version).toBe('1.0.0');

    publish('y', { '1.0.0': version('y-1.0.0.tgz') }, '1.0.0');
    await expect(
      fetchRelease({ ecosystem: 'npm', name: 'y', version: '1.0.0', integrity: wrong }, config),
    ).rejects.toMatchObject({ code: 'integrity', message: expect.stringMatching(/the lockfile/) });
  });

  it('falls back to the sha1 shasum when the packument has nothing else', async () => {
    const shasum = createHash('sha1').update(tarball).digest('hex');
    publish('old', { '0.1.0': version('old-0.1.0.tgz', { shasum }) }, '0.1.0');
    await expect(
      fetchRelease({ ecosystem: 'npm', name: 'old', version: '0.1.0' }, config),
    ).resolves.toMatchObject({ version: '0.1.0' });

    publish('older', { '0.1.0': version('older-0.1.0.tgz', { shasum: '0'.repeat(40) }) }, '0.1.0');
    await expect(
      fetchRelease({ ecosystem: 'npm', name: 'older', version: '0.1.0' }, config),
    ).rejects.toMatchObject({ code: 'integrity' });
  });

  it('resolves a range when the change has no exact version', async () => {
    publish(
      'ranged',
      {
        '1.0.0': version('ranged-1.0.0.tgz'),
        '1.4.0': version('ranged-1.4.0.tgz'),
        '2.0.0': version('ranged-2.0.0.tgz'),
      },
      '2.0.0',
    );
    const release = await fetchRelease(
      { ecosystem: 'npm', name: 'ranged', version: '', spec: '^1.0.0' },
      config,
    );
    expect(release.version).toBe('1.4.0');
    expect(release.artifacts[0].filename).toBe('ranged-1.4.0.tgz');
    await expect(
      fetchRelease({ ecosystem: 'npm', name: 'ranged', version: '', spec: '^3' }, config),
    ).rejects.toMatchObject({ code: 'not-found' });
  });

  it('reports a missing package and a missing version as not-found', async () => {
    await expect(
      fetchRelease({ ecosystem: 'npm', name: 'ghost', version: '1.0.0' }, config),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/ghost was not found/),
    });
    publish('real', { '1.0.0': version('real-1.0.0.tgz') }, '1.0.0');
    await expect(
      fetchRelease({ ecosystem: 'npm', name: 'real', version: '9.9.9' }, config),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/no version 9\.9\.9/),
    });
  });

  it('refuses a tarball over the download cap', async () => {
    const big = Buffer.alloc(64 * 1024, 7);
    registry.route('/tarballs/huge-1.0.0.tgz', bytes(big));
    const dist = { tarball: `${registry.url}/tarballs/huge-1.0.0.tgz`, integrity: sri(big) };
    publish('huge', { '1.0.0': { dist } }, '1.0.0');
    const request = { ecosystem: 'npm', name: 'huge', version: '1.0.0' } as const;
    await expect(
      fetchRelease(request, { ...config, maxDownloadBytes: 128 * 1024 }),
    ).resolves.toBeDefined();
    await expect(
      fetchRelease(request, { ...config, maxDownloadBytes: 32 * 1024 }),
    ).rejects.toMatchObject({ code: 'too-large' });
  });

  it('rejects a response that is not a packument', async () => {
    registry.route('/weird', json({ hello: 'world' }));
    await expect(
      fetchRelease({ ecosystem: 'npm', name: 'weird', version: '1.0.0' }, config),
    ).rejects.toMatchObject({ code: 'bad-response' });
  });

  it('sends the token to the registry but not to a tarball host elsewhere', async () => {
    const cdn = await startServer();
    try {
      cdn.route('/t/priv-1.0.0.tgz', bytes(tarball));
      publish(
        'priv',
        { '1.0.0': { dist: { tarball: `${cdn.url}/t/priv-1.0.0.tgz`, integrity: sri(tarball) } } },
        '1.0.0',
      );
      publish('local', { '1.0.0': version('local-1.0.0.tgz') }, '1.0.0');
      const withToken = { ...config, npmToken: 's3cret' };
      await fetchRelease({ ecosystem: 'npm', name: 'priv', version: '1.0.0' }, withToken);
      await fetchRelease({ ecosystem: 'npm', name: 'local', version: '1.0.0' }, withToken);
      expect(registry.requests.map((r) => r.headers.authorization)).toEqual([
        'Bearer s3cret',
        'Bearer s3cret',
        'Bearer s3cret',
      ]);
      expect(cdn.requests[0].headers.authorization).toBeUndefined();
    } finally {
      await cdn.close();
    }
  });
});
