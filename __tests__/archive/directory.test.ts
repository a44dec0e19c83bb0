import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDirectory } from '../../src/archive/directory.js';
import { text } from './helpers.js';

describe('readDirectory', () => {
  let root: string;
  let outside: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pkg-gate-dir-'));
    outside = await mkdtemp(join(tmpdir(), 'pkg-gate-outside-'));
    await writeFile(join(outside, 'secret.txt'), 'host secret');
    await mkdir(join(root, 'package', 'lib'), { recursive: true });
    await writeFile(join(root, 'package', 'package.json'), '{"name":"x"}');
    await writeFile(join(root, 'package', 'lib', 'index.js'), 'module.exports = 1;\n');
    await writeFile(join(root, 'package', 'big.bin'), Buffer.alloc(5000, 1));
    await symlink(join(outside, 'secret.txt'), join(root, 'package', 'secret-link'));
    await symlink(outside, join(root, 'package', 'dir-link'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('reads regular files with paths relative to the directory, in sorted order', async () => {
    const result = await readDirectory(root, { maxFileBytes: 1000, keepHeadBytes: 10 });
    expect(result.files.map((file) => file.path)).toEqual([
      'package/big.bin',
      'package/lib/index.js',
      'package/package.json',
    ]);
    expect(text(result.files[2].data)).toBe('{"name":"x"}');
    expect(result.files[0]).toMatchObject({ size: 5000, truncated: true });
    expect(result.files[0].data.byteLength).toBe(10);
  });

  it('reports symlinks instead of following them', async () => {
    const result = await readDirectory(root);
    expect(result.files.some((file) => text(file.data) === 'host secret')).toBe(false);
    expect(result.problems.filter((problem) => problem.kind === 'link').map((p) => p.path)).toEqual(
      ['package/dir-link', 'package/secret-link'],
    );
  });

  it('applies the file-count limit', async () => {
    const result = await readDirectory(root, { maxFiles: 1 });
    expect(result.files).toHaveLength(1);
    expect(result.problems.map((problem) => problem.kind)).toContain('limit');
  });

  it('throws a clear error for a missing directory or a file', async () => {
    await expect(readDirectory(join(root, 'nope'))).rejects.toThrow(
      /nope: cannot read directory \(ENOENT\)/,
    );
    await expect(readDirectory(join(root, 'package', 'package.json'))).rejects.toThrow(
      /not a directory/,
    );
  });
});
