import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { FileCollector } from './collector.js';
import { salvageLocalEntries } from './zip-salvage.js';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const MADE_BY_UNIX = 3;

/**
 * Reads a zip (wheel, zipped sdist) from memory into the collector. Entry data is inflated and
 * counted as it streams; the sizes the archive declares are never trusted. A zip whose central
 * directory is missing (cut off) is salvaged entry by entry from its local headers.
 */
export async function readZip(data: Uint8Array, collector: FileCollector): Promise<void> {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let zipfile: yauzl.ZipFile;
  try {
    zipfile = await openZip(buffer);
  } catch (err) {
    const reason = describe(err);
    await salvageLocalEntries(buffer, collector);
    if (collector.files.length === 0 && collector.problems.length === 0) {
      throw new Error(`zip archive is unreadable: ${reason}`);
    }
    collector.problem(
      'truncated',
      `zip central directory is unreadable (${reason}); recovered ${collector.files.length} files from local headers`,
    );
    return;
  }
  try {
    await readEntries(zipfile, collector);
  } finally {
    zipfile.close();
  }
}

function openZip(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      buffer,
      // decodeStrings off: with it on, yauzl aborts the whole archive on one `../` name, and a
      // hostile archive must not be able to hide its other files that way.
      {
        lazyEntries: true,
        decodeStrings: false,
        validateEntrySizes: false,
        strictFileNames: false,
      },
      (err, zipfile) => (err ? reject(err) : resolve(zipfile)),
    );
  });
}

async function readEntries(zipfile: yauzl.ZipFile, collector: FileCollector): Promise<void> {
  const maxEntries = Math.max(collector.limits.maxFiles * 2, 1000);
  let entriesSeen = 0;
  const nextEntry = () =>
    new Promise<yauzl.Entry | null>((resolve, reject) => {
      const onEntry = (entry: yauzl.Entry) => settle(() => resolve(entry));
      const onEnd = () => settle(() => resolve(null));
      const onError = (err: Error) => settle(() => reject(err));
      const settle = (then: () => void) => {
        zipfile.off('entry', onEntry);
        zipfile.off('end', onEnd);
        zipfile.off('error', onError);
        then();
      };
      zipfile.on('entry', onEntry);
      zipfile.on('end', onEnd);
      zipfile.on('error', onError);
      zipfile.readEntry();
    });

  for (;;) {
    let entry: yauzl.Entry | null;
    try {
      entry = await nextEntry();
    } catch (err) {
      if (collector.files.length === 0 && collector.problems.length === 0) {
        throw new Error(`zip archive is unreadable: ${describe(err)}`);
      }
      collector.problem(
        'corrupt',
        `zip central directory is damaged (${describe(err)}); read ${collector.files.length} files before the damage`,
      );
      return;
    }
    if (entry === null) return;
    entriesSeen += 1;
    if (entriesSeen > maxEntries) {
      collector.stop(`more than ${maxEntries} archive entries; the rest were not read`);
    }
    if (collector.stopped) return;
    await readEntry(zipfile, entry, collector);
    if (collector.stopped) return;
  }
}

async function readEntry(
  zipfile: yauzl.ZipFile,
  entry: yauzl.Entry,
  collector: FileCollector,
): Promise<void> {
  const name = yauzl.getFileNameLowLevel(
    entry.generalPurposeBitFlag,
    entry.fileName as unknown as Buffer,
    entry.extraFields,
    false,
  );
  const mode = unixMode(entry);
  if (name.endsWith('/') || (mode !== undefined && (mode & S_IFMT) === S_IFDIR)) return;
  if (mode !== undefined && (mode & S_IFMT) === S_IFLNK) {
    collector.skipLink(name, undefined, 'symlink');
    return;
  }
  if (mode !== undefined && (mode & S_IFMT) !== 0 && (mode & S_IFMT) !== S_IFREG) return;

  const path = collector.admitFile(name);
  if (path === null) return;
  if (entry.isEncrypted()) {
    collector.problem('unsupported', `skipped ${path}: encrypted zip entry`, path);
    return;
  }
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    collector.problem(
      'unsupported',
      `skipped ${path}: zip compression method ${entry.compressionMethod} is not supported`,
      path,
    );
    return;
  }

  let stream: Readable;
  try {
    stream = await new Promise<Readable>((resolve, reject) =>
      zipfile.openReadStream(entry, (err, readable) => (err ? reject(err) : resolve(readable))),
    );
  } catch (err) {
    collector.problem('corrupt', `skipped ${path}: ${describe(err)}`, path);
    return;
  }

  const sink = collector.openFile(path, mode === undefined ? undefined : mode & 0o7777);
  await new Promise<void>((resolve) => {
    stream.on('data', (chunk: Uint8Array) => {
      if (!sink.write(chunk)) {
        stream.destroy();
        resolve();
      }
    });
    stream.on('end', () => {
      sink.close();
      resolve();
    });
    stream.on('error', (err) => {
      if (!collector.stopped) {
        sink.closePartial(sink.bytesRead);
        collector.problem(
          'corrupt',
          `${path} is damaged (${describe(err)}); kept the ${sink.bytesRead} bytes read before the damage`,
          path,
        );
      }
      resolve();
    });
  });
}

/** The Unix mode an entry records, when the archive was made on a Unix-like system. */
function unixMode(entry: yauzl.Entry): number | undefined {
  if (entry.versionMadeBy >> 8 !== MADE_BY_UNIX) return undefined;
  const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
  return mode === 0 ? undefined : mode;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
