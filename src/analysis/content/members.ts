import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import type { ContentType } from './magic.js';

/**
 * Names of the members of a nested archive, read without unpacking it: the zip central directory
 * (or local headers when it is missing), tar headers, and the first megabytes of a gzipped tar.
 * Enough to say "this zip holds a .exe" or "this .tar.gz is Python code"; bounded and pure.
 */
export function archiveMemberNames(data: Uint8Array, type: ContentType, limit = 200): string[] {
  try {
    if (type.id === 'zip') return zipNames(data, limit);
    if (type.id === 'tar') return tarNames(data, limit);
    if (type.id === 'gzip') {
      const head = gunzipSync(data.subarray(0, 512 * 1024), {
        finishFlush: zlibConstants.Z_SYNC_FLUSH,
        maxOutputLength: 8 * 1024 * 1024,
      });
      return tarNames(head, limit);
    }
  } catch {
    // unreadable or over the output bound: no names, the caller reports the archive as such
  }
  return [];
}

function u16(d: Uint8Array, at: number): number {
  return d[at] | (d[at + 1] << 8);
}
function u32(d: Uint8Array, at: number): number {
  return (d[at] | (d[at + 1] << 8) | (d[at + 2] << 16) | (d[at + 3] << 24)) >>> 0;
}
const decoder = new TextDecoder('utf-8', { fatal: false });

function zipNames(d: Uint8Array, limit: number): string[] {
  // end of central directory: 22 bytes plus up to 64 KiB of comment, searched from the end
  for (let i = d.length - 22; i >= Math.max(0, d.length - 22 - 65535); i--) {
    if (d[i] !== 0x50 || d[i + 1] !== 0x4b || d[i + 2] !== 5 || d[i + 3] !== 6) continue;
    const count = u16(d, i + 10);
    let at = u32(d, i + 16);
    const names: string[] = [];
    for (let k = 0; k < count && names.length < limit && at + 46 <= d.length; k++) {
      if (u32(d, at) !== 0x02014b50) break;
      const nameLength = u16(d, at + 28);
      names.push(decoder.decode(d.subarray(at + 46, at + 46 + nameLength)));
      at += 46 + nameLength + u16(d, at + 30) + u16(d, at + 32);
    }
    if (names.length) return names;
    break;
  }
  // no usable central directory (truncated head): walk the local headers
  const names: string[] = [];
  let at = 0;
  while (at + 30 <= d.length && u32(d, at) === 0x04034b50 && names.length < limit) {
    const nameLength = u16(d, at + 26);
    names.push(decoder.decode(d.subarray(at + 30, at + 30 + nameLength)));
    const size = u32(d, at + 18);
    if (size === 0 && (u16(d, at + 6) & 8) !== 0) break;
    at += 30 + nameLength + u16(d, at + 28) + size;
  }
  return names;
}

function tarNames(d: Uint8Array, limit: number): string[] {
  const names: string[] = [];
  let at = 0;
  while (at + 512 <= d.length && names.length < limit) {
    if (decoder.decode(d.subarray(at + 257, at + 262)) !== 'ustar') break;
    const raw = d.subarray(at, at + 100);
    const end = raw.indexOf(0);
    const prefixRaw = d.subarray(at + 345, at + 500);
    const prefixEnd = prefixRaw.indexOf(0);
    const prefix = decoder.decode(prefixRaw.subarray(0, prefixEnd < 0 ? 155 : prefixEnd));
    const name = decoder.decode(raw.subarray(0, end < 0 ? 100 : end));
    names.push(prefix ? `${prefix}/${name}` : name);
    const size =
      parseInt(
        decoder
          .decode(d.subarray(at + 124, at + 136))
          .replace(/\0.*$/, '')
          .trim(),
        8,
      ) || 0;
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

/** Members whose names say they run: native executables, libraries, scripts and code. */
export const RUNNABLE_MEMBER =
  /\.(?:exe|dll|scr|sys|so|dylib|node|pyd|bat|cmd|ps1|vbs|js|py|pyc|sh|jar|msi|lnk|hta)$/i;
