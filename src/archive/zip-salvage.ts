import { Readable } from 'node:stream';
import { createInflateRaw, constants as zlibConstants } from 'node:zlib';
import yauzl from 'yauzl';
import type { FileCollector } from './collector.js';

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_BYTES = 30;
const FLAG_DATA_DESCRIPTOR = 0x8;
const FLAG_ENCRYPTED = 0x1;
const SIZE_IN_ZIP64_FIELD = 0xffffffff;

/**
 * Recovers entries from a zip whose central directory is gone, typically a download cut short.
 * Local file headers sit back to back at the start of the archive; each is read while it is
 * complete. When a header does not state the compressed size (a data descriptor follows the data,
 * or zip64), the data is taken to run until the next local header signature.
 */
export async function salvageLocalEntries(buffer: Buffer, collector: FileCollector): Promise<void> {
  let offset = 0;
  while (offset + LOCAL_HEADER_BYTES <= buffer.length && !collector.stopped) {
    if (buffer.readUInt32LE(offset) !== LOCAL_HEADER_SIGNATURE) return;
    const flags = buffer.readUInt16LE(offset + 6);
    const method = buffer.readUInt16LE(offset + 8);
    const declaredCompressed = buffer.readUInt32LE(offset + 18);
    const nameLength = buffer.readUInt16LE(offset + 26);
    const extraLength = buffer.readUInt16LE(offset + 28);
    const nameStart = offset + LOCAL_HEADER_BYTES;
    const dataStart = nameStart + nameLength + extraLength;
    if (dataStart > buffer.length) return;

    const sizeKnown =
      (flags & FLAG_DATA_DESCRIPTOR) === 0 && declaredCompressed !== SIZE_IN_ZIP64_FIELD;
    const nextHeader = buffer.indexOf(signatureBytes, dataStart);
    const dataEnd = sizeKnown
      ? dataStart + declaredCompressed
      : nextHeader === -1
        ? buffer.length
        : nextHeader;
    const complete = dataEnd <= buffer.length;

    let extraFields: yauzl.ExtraField[] = [];
    try {
      extraFields = yauzl.parseExtraFields(buffer.subarray(nameStart + nameLength, dataStart));
    } catch {
      // A damaged extra field only costs the Unicode-path override; the name is still usable.
    }
    const name = yauzl.getFileNameLowLevel(
      flags,
      buffer.subarray(nameStart, nameStart + nameLength),
      extraFields,
      false,
    );

    if (!name.endsWith('/')) {
      let data = buffer.subarray(dataStart, Math.min(dataEnd, buffer.length));
      if (!sizeKnown) data = withoutDataDescriptor(data);
      await salvageEntry(collector, name, flags, method, data, complete);
    }
    if (!complete) return;
    offset = sizeKnown ? dataEnd : nextHeader === -1 ? buffer.length : nextHeader;
    if (
      sizeKnown &&
      buffer.readUInt32LE(Math.min(offset, buffer.length - 4)) !== LOCAL_HEADER_SIGNATURE
    ) {
      // A data descriptor or padding may sit between entries even when sizes were known.
      const next = buffer.indexOf(signatureBytes, offset);
      if (next === -1) return;
      offset = next;
    }
  }
}

const signatureBytes = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const DATA_DESCRIPTOR_SIGNATURE = 0x08074b50;

/**
 * When the data ran up to the next header, a data descriptor (optionally signed, 12 or 16 bytes,
 * or 20/24 with zip64 sizes) ends it; its compressed-size field confirms where the data stops.
 */
function withoutDataDescriptor(data: Buffer): Buffer {
  for (const [length, sizeOffset, wide] of [
    [16, 8, false],
    [12, 4, false],
    [24, 8, true],
    [20, 4, true],
  ] as const) {
    if (data.length < length) continue;
    const start = data.length - length;
    if (length % 8 === 0 && data.readUInt32LE(start) !== DATA_DESCRIPTOR_SIGNATURE) continue;
    const size = wide
      ? Number(data.readBigUInt64LE(start + sizeOffset))
      : data.readUInt32LE(start + sizeOffset);
    if (size === start) return data.subarray(0, start);
  }
  return data;
}

async function salvageEntry(
  collector: FileCollector,
  name: string,
  flags: number,
  method: number,
  compressed: Buffer,
  complete: boolean,
): Promise<void> {
  const path = collector.admitFile(name);
  if (path === null) return;
  if ((flags & FLAG_ENCRYPTED) !== 0) {
    collector.problem('unsupported', `skipped ${path}: encrypted zip entry`, path);
    return;
  }
  if (method !== 0 && method !== 8) {
    collector.problem(
      'unsupported',
      `skipped ${path}: zip compression method ${method} is not supported`,
      path,
    );
    return;
  }
  const sink = collector.openFile(path);
  if (method === 0) {
    if (!sink.write(compressed)) return;
    if (complete) sink.close();
    else sink.closePartial(sink.bytesRead);
    return;
  }
  let damaged = false;
  await new Promise<void>((resolve) => {
    // Z_SYNC_FLUSH: a deflate stream cut off by the end of the download yields its prefix.
    const inflate = createInflateRaw({ finishFlush: zlibConstants.Z_SYNC_FLUSH });
    inflate.on('data', (chunk: Uint8Array) => {
      if (!sink.write(chunk)) {
        inflate.destroy();
        resolve();
      }
    });
    inflate.on('end', resolve);
    inflate.on('error', () => {
      damaged = true;
      resolve();
    });
    Readable.from([compressed]).pipe(inflate);
  });
  if (collector.stopped) return;
  if (complete && !damaged) sink.close();
  else sink.closePartial(sink.bytesRead);
}
