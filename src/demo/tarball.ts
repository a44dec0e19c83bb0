import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

export interface TarEntry {
  path: string;
  content: string | Uint8Array;
  mode?: number;
}

/** Builds a .tar.gz in memory (for the demo and the tests' fixture registries). */
export async function buildTarGz(entries: readonly TarEntry[]): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    archive.on('end', resolve);
    archive.on('error', reject);
  });
  for (const entry of entries) {
    const body = typeof entry.content === 'string' ? Buffer.from(entry.content) : entry.content;
    // A fixed mtime keeps the bytes (and so the integrity hashes) identical run after run.
    archive.entry(
      { name: entry.path, mode: entry.mode ?? 0o644, mtime: new Date(0) },
      Buffer.from(body),
    );
  }
  archive.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks), { level: 9 });
}
