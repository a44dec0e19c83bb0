import type { UnpackLimits, UnpackResult } from '../types.js';
import { DEFAULT_UNPACK_LIMITS, FileCollector } from './collector.js';
import { readTar } from './tar.js';
import { readZip } from './zip.js';

export { DEFAULT_UNPACK_LIMITS } from './collector.js';

export type ArchiveFormat = 'gzip' | 'zip' | 'tar' | 'bzip2' | 'xz';

/**
 * Recognises an archive by its first bytes. The file name is no guide: some `.tar.gz` sdists on
 * PyPI are zip files, and a hostile upload can be named anything.
 */
export function detectArchiveFormat(data: Uint8Array): ArchiveFormat | null {
  const starts = (...bytes: number[]) => bytes.every((byte, i) => data[i] === byte);
  if (starts(0x1f, 0x8b)) return 'gzip';
  // Local file header, or the end-of-central-directory record of an empty zip.
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) return 'zip';
  if (starts(0x42, 0x5a, 0x68)) return 'bzip2';
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'xz';
  if (data.byteLength >= 262 && ascii(data.subarray(257, 262)) === 'ustar') return 'tar';
  return null;
}

/**
 * Unpacks a package archive in memory, within `limits`. Nothing is written to disk. Entries that
 * are skipped (unsafe paths, links, limits, damage) are listed in `problems`; an input that is not
 * an archive, or one with nothing readable, throws an Error with a one-line reason.
 */
export async function unpackArchive(
  data: Uint8Array,
  filename: string,
  limits: Partial<UnpackLimits> = {},
): Promise<UnpackResult> {
  const collector = new FileCollector({ ...DEFAULT_UNPACK_LIMITS, ...limits });
  const format = detectArchiveFormat(data);
  try {
    switch (format) {
      case 'gzip':
        await readTar(data, true, collector);
        break;
      case 'tar':
        await readTar(data, false, collector);
        break;
      case 'zip':
        await readZip(data, collector);
        break;
      case 'bzip2':
      case 'xz':
        collector.problem(
          'unsupported',
          `${filename}: ${format} archives are not supported; its contents were not inspected`,
        );
        break;
      case null:
        throw new Error(`not a recognised package archive (${describeStart(data)})`);
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`${filename}: ${reason}`, { cause: err });
  }
  return collector.result();
}

function ascii(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

function describeStart(data: Uint8Array): string {
  if (data.byteLength === 0) return 'the file is empty';
  const head = Array.from(data.subarray(0, 4), (byte) => byte.toString(16).padStart(2, '0'));
  return `expected gzip, zip or tar; it starts with ${head.join(' ')}`;
}
