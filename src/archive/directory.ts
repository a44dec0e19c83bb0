import { lstat, open, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { UnpackLimits, UnpackResult } from '../types.js';
import { FileCollector } from './collector.js';

const READ_CHUNK_BYTES = 256 * 1024;

/**
 * Reads an unpacked package directory with the same limits and result shape as an archive, so
 * `pkg-gate inspect <dir>` sees exactly what it would see in the tarball. Symlinks are never
 * followed (a link to `/etc` or `~/.ssh` must not pull host files into the report).
 */
export async function readDirectory(
  dir: string,
  limits: Partial<UnpackLimits> = {},
): Promise<UnpackResult> {
  const rootStat = await lstat(dir).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`${dir}: cannot read directory (${err.code ?? err.message})`);
  });
  if (!rootStat.isDirectory()) throw new Error(`${dir}: not a directory`);
  const collector = new FileCollector(limits);
  await walk(dir, dir, collector);
  return collector.result();
}

async function walk(root: string, dir: string, collector: FileCollector): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (err) {
    collector.problem('corrupt', `cannot list ${relativePath(root, dir)}: ${describe(err)}`);
    return;
  }
  for (const name of names) {
    if (collector.stopped) return;
    const full = join(dir, name);
    const rel = relativePath(root, full);
    let stats;
    try {
      stats = await lstat(full);
    } catch (err) {
      collector.problem('corrupt', `cannot stat ${rel}: ${describe(err)}`, rel);
      continue;
    }
    if (stats.isSymbolicLink()) {
      collector.skipLink(rel, undefined, 'symlink');
    } else if (stats.isDirectory()) {
      await walk(root, full, collector);
    } else if (stats.isFile()) {
      const path = collector.admitFile(rel);
      if (path !== null) await readFile(full, path, stats.mode & 0o7777, collector);
    }
  }
}

async function readFile(
  full: string,
  path: string,
  mode: number,
  collector: FileCollector,
): Promise<void> {
  const sink = collector.openFile(path, mode);
  let handle;
  try {
    handle = await open(full, 'r');
  } catch (err) {
    collector.problem('corrupt', `cannot read ${path}: ${describe(err)}`, path);
    return;
  }
  try {
    const buffer = Buffer.alloc(READ_CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, null);
      if (bytesRead === 0) break;
      if (!sink.write(buffer.subarray(0, bytesRead))) return;
    }
    sink.close();
  } catch (err) {
    sink.closePartial(sink.bytesRead);
    collector.problem('corrupt', `cannot read ${path}: ${describe(err)}`, path);
  } finally {
    await handle.close();
  }
}

function relativePath(root: string, full: string): string {
  return relative(root, full).split(sep).join('/');
}

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (err instanceof Error ? err.message : String(err));
}
