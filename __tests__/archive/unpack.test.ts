import { describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { detectArchiveFormat, unpackArchive } from '../../src/archive/unpack.js';
import type { UnpackResult } from '../../src/types.js';
import { buildTar, buildTarGz, buildZip, pseudoRandomBytes, text } from './helpers.js';

const MiB = 1024 * 1024;

function paths(result: UnpackResult): string[] {
  return result.files.map((file) => file.path);
}

function kinds(result: UnpackResult): string[] {
  return result.problems.map((problem) => problem.kind);
}

describe('unpackArchive: formats', () => {
  it('reads an npm-style .tgz with contents and modes', async () => {
    const archive = await buildTarGz([
      { name: 'package/package.json', data: '{"name":"x"}' },
      { name: 'package/bin/cli.js', data: '#!/usr/bin/env node\n', mode: 0o755 },
      { name: 'package/lib', type: 'directory' },
    ]);
    const result = await unpackArchive(archive, 'x-1.0.0.tgz');
    expect(paths(result)).toEqual(['package/package.json', 'package/bin/cli.js']);
    expect(text(result.files[0].data)).toBe('{"name":"x"}');
    expect(result.files[0].size).toBe(12);
    expect(result.files[1].mode).toBe(0o755);
    expect(result.problems).toEqual([]);
  });

  it('reads a plain tar', async () => {
    const archive = await buildTar([{ name: 'evil-1.0/setup.py', data: 'import os\n' }]);
    const result = await unpackArchive(archive, 'evil-1.0.tar');
    expect(paths(result)).toEqual(['evil-1.0/setup.py']);
    expect(result.problems).toEqual([]);
  });

  it('reads a wheel and ignores directory entries', async () => {
    const archive = buildZip([
      { name: 'pkg/' },
      { name: 'pkg/__init__.py', data: 'print(1)\n' },
      { name: 'pkg-1.0.dist-info/RECORD', data: 'x', method: 0 },
    ]);
    const result = await unpackArchive(archive, 'pkg-1.0-py3-none-any.whl');
    expect(paths(result)).toEqual(['pkg/__init__.py', 'pkg-1.0.dist-info/RECORD']);
    expect(text(result.files[0].data)).toBe('print(1)\n');
    expect(result.problems).toEqual([]);
  });

  it('detects a zip by its bytes even when it is named .tar.gz', async () => {
    const archive = buildZip([{ name: 'evil-1.0/setup.py', data: 'exec(1)' }]);
    expect(detectArchiveFormat(archive)).toBe('zip');
    const result = await unpackArchive(archive, 'evil-1.0.tar.gz');
    expect(paths(result)).toEqual(['evil-1.0/setup.py']);
  });

  it('counts the real inflated size of a zip entry that lies about its size', async () => {
    const archive = buildZip([{ name: 'a.py', data: 'x'.repeat(5000), declaredSize: 10 }]);
    const result = await unpackArchive(archive, 'a.zip');
    expect(result.files[0].size).toBe(5000);
    expect(result.files[0].data.byteLength).toBe(5000);
  });

  it('reports bzip2 as unsupported instead of guessing', async () => {
    const result = await unpackArchive(Buffer.from('BZh91AY&SY....'), 'x-1.0.tar.bz2');
    expect(result.files).toEqual([]);
    expect(kinds(result)).toEqual(['unsupported']);
  });

  it('throws a one-line error for input that is no archive', async () => {
    await expect(unpackArchive(Buffer.from('hello world'), 'notes.tgz')).rejects.toThrow(
      /^notes\.tgz: not a recognised package archive \(expected gzip, zip or tar; it starts with 68 65 6c 6c\)$/,
    );
    await expect(unpackArchive(new Uint8Array(0), 'empty.whl')).rejects.toThrow(/empty/);
  });

  it('throws when a gzip holds no tar', async () => {
    await expect(
      unpackArchive(gzipSync(Buffer.from('just text, no tar')), 'x.tgz'),
    ).rejects.toThrow(/x\.tgz: .*(unreadable|no tar entries)/);
  });
});

describe('unpackArchive: hostile entries', () => {
  const hostileNames = [
    '../escape.py',
    '/etc/passwd',
    'C:\\Windows\\evil.py',
    'pkg\\..\\..\\up.py',
  ];

  it('skips path traversal in tar archives and keeps the safe files', async () => {
    const archive = await buildTarGz([
      ...hostileNames.map((name) => ({ name, data: 'bad' })),
      { name: './package/ok.js', data: 'ok' },
      { name: 'package\\sub\\win.js', data: 'ok' },
    ]);
    const result = await unpackArchive(archive, 'x.tgz');
    expect(paths(result)).toEqual(['package/ok.js', 'package/sub/win.js']);
    expect(kinds(result)).toEqual(['unsafe-path', 'unsafe-path', 'unsafe-path', 'unsafe-path']);
  });

  it('skips path traversal in zip archives without abandoning the rest', async () => {
    const archive = buildZip([
      ...hostileNames.map((name) => ({ name, data: 'bad' })),
      { name: 'pkg/ok.py', data: 'ok' },
    ]);
    const result = await unpackArchive(archive, 'x.whl');
    expect(paths(result)).toEqual(['pkg/ok.py']);
    expect(kinds(result)).toEqual(['unsafe-path', 'unsafe-path', 'unsafe-path', 'unsafe-path']);
  });

  it('never follows symlinks or hardlinks', async () => {
    const tarball = await buildTarGz([
      { name: 'package/id_rsa', type: 'symlink', linkname: '/home/user/.ssh/id_rsa' },
      { name: 'package/copy', type: 'link', linkname: 'package/index.js' },
      { name: 'package/index.js', data: 'x' },
    ]);
    const fromTar = await unpackArchive(tarball, 'x.tgz');
    expect(paths(fromTar)).toEqual(['package/index.js']);
    expect(kinds(fromTar)).toEqual(['link', 'link']);
    expect(fromTar.problems[0].path).toBe('package/id_rsa');

    const zip = buildZip([
      { name: 'pkg/link', data: '/etc/shadow', mode: 0o120777 },
      { name: 'pkg/a.py', data: 'x' },
    ]);
    const fromZip = await unpackArchive(zip, 'x.whl');
    expect(paths(fromZip)).toEqual(['pkg/a.py']);
    expect(kinds(fromZip)).toEqual(['link']);
  });
});

describe('unpackArchive: limits', () => {
  it('keeps only the head of an oversized file and records its real size', async () => {
    const big = Buffer.alloc(10_000, 0x61);
    const archive = await buildTarGz([{ name: 'package/big.js', data: big }]);
    const result = await unpackArchive(archive, 'x.tgz', {
      maxFileBytes: 4096,
      keepHeadBytes: 100,
    });
    expect(result.files[0]).toMatchObject({
      path: 'package/big.js',
      size: 10_000,
      truncated: true,
    });
    expect(result.files[0].data.byteLength).toBe(100);
  });

  it('stops at maxFiles and says so', async () => {
    const entries = Array.from({ length: 10 }, (_, i) => ({ name: `p/f${i}.py`, data: 'x' }));
    const tarResult = await unpackArchive(await buildTarGz(entries), 'x.tgz', { maxFiles: 3 });
    expect(tarResult.files).toHaveLength(3);
    expect(kinds(tarResult)).toEqual(['limit']);
    const zipResult = await unpackArchive(buildZip(entries), 'x.whl', { maxFiles: 3 });
    expect(zipResult.files).toHaveLength(3);
    expect(kinds(zipResult)).toEqual(['limit']);
  });

  it('stops a zip bomb at maxTotalBytes without inflating it all', async () => {
    const bomb = buildZip([
      { name: 'bomb/a.bin', data: Buffer.alloc(64 * MiB) },
      { name: 'bomb/b.py', data: 'after' },
    ]);
    expect(bomb.byteLength).toBeLessThan(200 * 1024);
    const result = await unpackArchive(bomb, 'bomb.whl', {
      maxTotalBytes: 4 * MiB,
      maxFileBytes: MiB,
      keepHeadBytes: 1024,
    });
    expect(paths(result)).toEqual(['bomb/a.bin']);
    expect(result.files[0].truncated).toBe(true);
    expect(result.files[0].data.byteLength).toBe(1024);
    expect(result.files[0].size).toBe(4 * MiB);
    expect(kinds(result)).toEqual(['limit']);
  });

  it('stops a gzip bomb at maxTotalBytes', async () => {
    const bomb = await buildTarGz([{ name: 'package/zeros', data: Buffer.alloc(64 * MiB) }]);
    const result = await unpackArchive(bomb, 'bomb.tgz', { maxTotalBytes: 2 * MiB });
    expect(result.files[0].size).toBe(2 * MiB);
    expect(result.files[0].truncated).toBe(true);
    expect(kinds(result)).toEqual(['limit']);
  });

  it('rejects nonsense limits', async () => {
    await expect(unpackArchive(buildZip([]), 'x.zip', { maxFiles: -1 })).rejects.toThrow(
      /maxFiles/,
    );
  });
});

describe('unpackArchive: damaged input', () => {
  async function sampleTarGz(): Promise<Buffer> {
    return buildTarGz([
      { name: 'evil-1.0/PKG-INFO', data: 'Name: evil\n' },
      { name: 'evil-1.0/setup.py', data: pseudoRandomBytes(40_000, 7).toString('hex') },
      { name: 'evil-1.0/evil/__init__.py', data: 'x = 1\n' },
    ]);
  }

  it('salvages the complete entries of a truncated .tar.gz and keeps the cut one as partial', async () => {
    const archive = await sampleTarGz();
    const cut = archive.subarray(0, Math.floor(archive.byteLength / 2));
    const result = await unpackArchive(cut, 'evil-1.0.tar.gz');
    expect(text(result.files[0].data)).toBe('Name: evil\n');
    expect(result.files[1]).toMatchObject({
      path: 'evil-1.0/setup.py',
      truncated: true,
      size: 80_000,
    });
    expect(result.files[1].data.byteLength).toBeGreaterThan(0);
    expect(result.files[1].data.byteLength).toBeLessThan(80_000);
    expect(kinds(result)).toContain('truncated');
  });

  it('notices a tar cut exactly between two entries', async () => {
    const tarBytes = await buildTar([
      { name: 'a/one.py', data: 'x'.repeat(512) },
      { name: 'a/two.py', data: 'y'.repeat(512) },
    ]);
    const result = await unpackArchive(tarBytes.subarray(0, 1024), 'a.tar');
    expect(paths(result)).toEqual(['a/one.py']);
    expect(kinds(result)).toEqual(['truncated']);
  });

  it('recovers entries of a zip whose central directory was cut off', async () => {
    const archive = buildZip([
      { name: 'pkg/a.py', data: 'a'.repeat(3000) },
      { name: 'pkg/b.py', data: 'b = 2\n', method: 0 },
      { name: 'pkg/c.py', data: pseudoRandomBytes(5000, 3) },
    ]);
    const directoryStart = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const withoutDirectory = archive.subarray(
      0,
      archive.indexOf(Buffer.from('PK\x01\x02', 'latin1')),
    );
    expect(directoryStart).toBeGreaterThan(0);
    const result = await unpackArchive(withoutDirectory, 'pkg.whl');
    expect(paths(result)).toEqual(['pkg/a.py', 'pkg/b.py', 'pkg/c.py']);
    expect(text(result.files[0].data)).toBe('a'.repeat(3000));
    expect(result.files[2].truncated).toBeUndefined();
    expect(kinds(result)).toEqual(['truncated']);

    const cutInsideLast = archive.subarray(0, archive.indexOf(Buffer.from('pkg/c.py')) + 2000);
    const partial = await unpackArchive(cutInsideLast, 'pkg.whl');
    expect(paths(partial)).toEqual(['pkg/a.py', 'pkg/b.py', 'pkg/c.py']);
    expect(partial.files[2].truncated).toBe(true);
  });

  it('recovers streamed zip entries (data descriptors) when the central directory is gone', async () => {
    const archive = buildZip([
      { name: 'pkg/a.py', data: 'import os\n'.repeat(50), dataDescriptor: true },
      { name: 'pkg/b.py', data: 'b = 2\n', dataDescriptor: true },
      { name: 'pkg/c.py', data: 'c = 3\n', dataDescriptor: true, method: 0 },
    ]);
    const complete = await unpackArchive(archive, 'pkg.whl');
    expect(paths(complete)).toEqual(['pkg/a.py', 'pkg/b.py', 'pkg/c.py']);
    expect(complete.problems).toEqual([]);

    const withoutDirectory = archive.subarray(
      0,
      archive.indexOf(Buffer.from('PK\x01\x02', 'latin1')),
    );
    const salvaged = await unpackArchive(withoutDirectory, 'pkg.whl');
    expect(paths(salvaged)).toEqual(['pkg/a.py', 'pkg/b.py', 'pkg/c.py']);
    expect(text(salvaged.files[0].data)).toBe('import os\n'.repeat(50));
    expect(text(salvaged.files[1].data)).toBe('b = 2\n');
    expect(text(salvaged.files[2].data)).toBe('c = 3\n');
  });

  it('never crashes or hangs on random bytes or archives cut at any point', async () => {
    const samples: Buffer[] = [];
    for (let seed = 1; seed <= 40; seed++) samples.push(pseudoRandomBytes(seed * 37, seed));
    const tgz = await sampleTarGz();
    const zip = buildZip([
      { name: 'p/a.py', data: 'a'.repeat(2000) },
      { name: 'p/b.py', data: pseudoRandomBytes(3000, 9) },
    ]);
    for (const archive of [tgz, zip]) {
      for (let cut = 0; cut < archive.byteLength; cut += Math.ceil(archive.byteLength / 60)) {
        samples.push(archive.subarray(0, cut));
      }
      // Magic bytes followed by garbage, and archives with a corrupted middle.
      samples.push(Buffer.concat([archive.subarray(0, 10), pseudoRandomBytes(500, 11)]));
      const flipped = Buffer.from(archive);
      for (let i = 40; i < flipped.byteLength; i += 97) flipped[i] ^= 0x5a;
      samples.push(flipped);
    }
    for (const sample of samples) {
      try {
        const result = await unpackArchive(sample, 'fuzz.tgz');
        for (const file of result.files) expect(file.data).toBeInstanceOf(Uint8Array);
      } catch (err) {
        expect(err).toBeInstanceOf(Error);
        expect((err as Error).message).toMatch(/^fuzz\.tgz: .+/);
      }
    }
  });
});
