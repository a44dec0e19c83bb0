import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants as zlibConstants, createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import type { FileCollector, FileSink } from './collector.js';

const FEED_CHUNK_BYTES = 64 * 1024;
const TAR_BLOCK = 512;
const END_OF_ARCHIVE_BYTES = 2 * TAR_BLOCK;

/** Thrown into the pipeline to stop reading once a limit was hit; never escapes this module. */
class LimitReached extends Error {}

/**
 * Reads a tar (optionally gzipped) from memory into the collector. A truncated or damaged archive
 * yields every entry before the damage plus a problem; an archive with nothing readable throws.
 */
export async function readTar(
  data: Uint8Array,
  gzipped: boolean,
  collector: FileCollector,
): Promise<void> {
  // allowUnknownFormat: old v7 tars have no magic; the header checksum still guards against garbage.
  const extract = tar.extract({ allowUnknownFormat: true } as Parameters<typeof tar.extract>[0]);
  const tail = new TailTracker();
  const abort = new AbortController();
  let open: FileSink | null = null;
  let openDeclaredSize = 0;
  let entriesSeen = 0;
  const maxEntries = Math.max(collector.limits.maxFiles * 2, 1000);

  const stopReading = () => abort.abort(new LimitReached());

  extract.on('entry', (header, stream, next) => {
    stream.on('error', () => undefined);
    const skip = () => {
      stream.on('end', () => next());
      stream.resume();
    };
    entriesSeen += 1;
    if (entriesSeen > maxEntries) {
      collector.stop(`more than ${maxEntries} archive entries; the rest were not read`);
    }
    if (collector.stopped) return stopReading();
    switch (header.type) {
      case 'file':
      case 'contiguous-file': {
        const path = collector.admitFile(header.name);
        if (path === null) return collector.stopped ? stopReading() : skip();
        const sink = collector.openFile(path, header.mode ?? undefined);
        open = sink;
        openDeclaredSize = header.size ?? 0;
        stream.on('data', (chunk) => {
          if (!sink.write(chunk as Uint8Array)) stopReading();
        });
        stream.on('end', () => {
          open = null;
          sink.close();
          next();
        });
        return;
      }
      case 'symlink':
        collector.skipLink(header.name, header.linkname ?? undefined, 'symlink');
        return skip();
      case 'link':
        collector.skipLink(header.name, header.linkname ?? undefined, 'hardlink');
        return skip();
      default:
        return skip();
    }
  });

  let failure: unknown = null;
  try {
    const source = Readable.from(feed(data));
    if (gzipped) {
      // Z_SYNC_FLUSH at the end turns a cut-off gzip stream into its readable prefix instead of
      // an error, so entries before the cut are still inspected.
      const gunzip = createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH });
      await pipeline(source, gunzip, tail, extract, { signal: abort.signal });
    } else {
      await pipeline(source, tail, extract, { signal: abort.signal });
    }
  } catch (err) {
    failure = err;
  }

  if (collector.stopped) return;

  const pending = open as FileSink | null;
  if (failure !== null) {
    const reason = describe(failure);
    const truncated = /unexpected end/i.test(reason);
    if (pending !== null) {
      pending.closePartial(openDeclaredSize);
      collector.problem(
        'truncated',
        `archive ends inside ${pending.path}: kept the ${pending.bytesRead} bytes before the cut`,
        pending.path,
      );
    }
    if (collector.files.length === 0 && collector.problems.length === 0) {
      throw new Error(`${gzipped ? 'gzip/tar' : 'tar'} archive is unreadable: ${reason}`);
    }
    if (pending === null || !truncated) {
      collector.problem(
        truncated ? 'truncated' : 'corrupt',
        truncated
          ? `archive is truncated (${reason}); read ${collector.files.length} complete files before the cut`
          : `archive is damaged (${reason}); read ${collector.files.length} files before the damage`,
      );
    }
    return;
  }

  if (entriesSeen === 0 && tail.bytes < TAR_BLOCK) {
    throw new Error(`${gzipped ? 'gzip' : 'tar'} archive holds no tar entries`);
  }
  const endMarkerSeen = tail.endsWithZeroBlocks();
  const gzipTrailerMatches = gzipped && gzipSizeTrailer(data) === tail.bytes % 2 ** 32;
  if (!endMarkerSeen && !gzipTrailerMatches) {
    collector.problem(
      'truncated',
      `archive is truncated: it ends after ${collector.files.length} complete files without the tar end-of-archive marker`,
    );
  }
}

function* feed(data: Uint8Array): Generator<Buffer> {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  for (let offset = 0; offset < buffer.byteLength; offset += FEED_CHUNK_BYTES) {
    yield buffer.subarray(offset, offset + FEED_CHUNK_BYTES);
  }
}

/** ISIZE, the last four bytes of a gzip member: the uncompressed length modulo 2^32. */
function gzipSizeTrailer(data: Uint8Array): number {
  if (data.byteLength < 18) return -1;
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).readUInt32LE(
    data.byteLength - 4,
  );
}

function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // tar-stream's hint ("Maybe ... it needs to be gunzipped?") misleads once we have gunzipped.
  if (/^Invalid tar header/.test(message)) return 'bad tar header (not a tar, or damaged)';
  return message;
}

/** Passes bytes through while remembering how many there were and the last two tar blocks. */
class TailTracker extends Transform {
  bytes = 0;
  private last = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.byteLength;
    this.last =
      chunk.byteLength >= END_OF_ARCHIVE_BYTES
        ? Buffer.from(chunk.subarray(chunk.byteLength - END_OF_ARCHIVE_BYTES))
        : Buffer.concat([this.last, chunk]).subarray(-END_OF_ARCHIVE_BYTES);
    callback(null, chunk);
  }

  endsWithZeroBlocks(): boolean {
    return this.last.byteLength === END_OF_ARCHIVE_BYTES && this.last.every((byte) => byte === 0);
  }
}
