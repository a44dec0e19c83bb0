import { constants as zlibConstants, gunzipSync, inflateSync } from 'node:zlib';
import { lineIndex } from './lines.js';
import { sniff, type ContentType } from './magic.js';

/**
 * Encoded blobs in source text: long base64 or hex runs whose characters look random. Carrying a
 * blob is a capability, not a threat (fonts, wasm and source maps are shipped this way), so the
 * helpers here describe a blob and leave the verdict to the rule that combines it with more.
 */

/** Shannon entropy in bits per symbol (0 for empty input; 8 is the maximum for bytes). */
export function shannonEntropy(input: string | Uint8Array, maxSymbols = 1 << 20): number {
  const length = Math.min(input.length, maxSymbols);
  if (length === 0) return 0;
  const counts = new Map<number, number>();
  const ascii = new Uint32Array(256);
  for (let i = 0; i < length; i++) {
    const symbol = typeof input === 'string' ? input.charCodeAt(i) : input[i];
    if (symbol < 256) ascii[symbol]++;
    else counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
  }
  let entropy = 0;
  const add = (count: number) => {
    if (count === 0) return;
    const p = count / length;
    entropy -= p * Math.log2(p);
  };
  ascii.forEach(add);
  counts.forEach(add);
  return entropy;
}

export type BlobEncoding = 'base64' | 'hex' | 'escaped-bytes';

export interface EncodedBlob {
  encoding: BlobEncoding;
  /** Character offset and 1-based line of the blob in the text. */
  offset: number;
  line: number;
  /** Length of the encoded text in characters. */
  length: number;
  /** Bits per character of the encoded text. */
  entropy: number;
  /** What the decoded bytes are (by magic bytes), when recognised; zlib/gzip is inflated first. */
  decodedType?: ContentType;
  /** True when the decoded bytes were zlib/gzip-compressed. */
  compressed?: boolean;
  /** The data: URI media type right before the blob (`image/png`), when there is one. */
  dataUri?: string;
  /** The first characters of the blob, for evidence. */
  head: string;
}

export interface BlobOptions {
  /** Shortest run reported, in characters (default 512). */
  minLength?: number;
  /** Stop after this many blobs (default 50). */
  limit?: number;
}

const ESCAPED_RUN = /(?:\\x[0-9a-fA-F]{2}){32,}/g;

interface Run {
  start: number;
  end: number;
  hex: boolean;
}

/**
 * Maximal runs of base64-alphabet characters at least `minLength` long, each marked hex when it
 * uses only hex digits (hex is a subset of the alphabet). A plain `[…]+` regex with a length
 * check scans a 70 MB bundle twice as fast as `{512,}` or a charCodeAt loop.
 */
function scanRuns(text: string, minLength: number): Run[] {
  const runs: Run[] = [];
  for (const m of text.matchAll(/[A-Za-z0-9+/_-]+={0,2}/g)) {
    if (m[0].length < minLength) continue;
    runs.push({ start: m.index, end: m.index + m[0].length, hex: /^[0-9a-fA-F]+$/.test(m[0]) });
  }
  return runs;
}

/** Minimum entropy of a base64 run: random data sits near 6 bits/char, words and paths far below. */
const BASE64_MIN_ENTROPY = 4.8;
const HEX_MIN_ENTROPY = 3.0;

export function findEncodedBlobs(text: string, options: BlobOptions = {}): EncodedBlob[] {
  const minLength = options.minLength ?? 512;
  const limit = options.limit ?? 50;
  const blobs: EncodedBlob[] = [];
  const lineOf = lineIndex(text);
  const taken: [number, number][] = [];
  const overlaps = (start: number, end: number) => taken.some(([s, e]) => start < e && end > s);

  const runs = scanRuns(text, minLength);
  for (const { start, end } of runs.filter((r) => r.hex)) {
    if (blobs.length >= limit) break;
    const run = text.slice(start, (end - start) % 2 ? end - 1 : end);
    const entropy = shannonEntropy(run, 65536);
    if (entropy < HEX_MIN_ENTROPY) continue;
    blobs.push(
      describe(text, lineOf, 'hex', start, run, entropy, Buffer.from(run.slice(0, 8192), 'hex')),
    );
    taken.push([start, end]);
  }
  for (const m of text.matchAll(ESCAPED_RUN)) {
    if (blobs.length >= limit) break;
    if (m[0].length < minLength) continue;
    const hex = m[0].slice(0, 4 * 4096).replace(/\\x/g, '');
    blobs.push(
      describe(
        text,
        lineOf,
        'escaped-bytes',
        m.index,
        m[0],
        shannonEntropy(hex, 65536),
        Buffer.from(hex, 'hex'),
      ),
    );
    taken.push([m.index, m.index + m[0].length]);
  }
  for (const { start, end } of runs.filter((r) => !r.hex)) {
    if (blobs.length >= limit) break;
    if (overlaps(start, end)) continue;
    const run = text.slice(start, end);
    if (!/[A-Z]/.test(run) || !/[a-z]/.test(run) || !/\d/.test(run)) continue;
    const entropy = shannonEntropy(run, 65536);
    if (entropy < BASE64_MIN_ENTROPY) continue;
    const urlSafe = /[-_]/.test(run) && !/[+/]/.test(run);
    const sample = run.slice(0, 16384).replace(/=+$/, '');
    const normal = urlSafe ? sample.replace(/-/g, '+').replace(/_/g, '/') : sample;
    const usable = normal.slice(0, normal.length - (normal.length % 4));
    blobs.push(
      describe(text, lineOf, 'base64', start, run, entropy, Buffer.from(usable, 'base64')),
    );
  }
  return blobs.sort((a, b) => a.offset - b.offset);
}

function describe(
  text: string,
  lineOf: (offset: number) => number,
  encoding: BlobEncoding,
  offset: number,
  run: string,
  entropy: number,
  decoded: Buffer,
): EncodedBlob {
  const blob: EncodedBlob = {
    encoding,
    offset,
    line: lineOf(offset),
    length: run.length,
    entropy: Math.round(entropy * 100) / 100,
    head: run.slice(0, 48),
  };
  const direct = sniff(decoded);
  if (direct) blob.decodedType = direct;
  else {
    const inflated = inflatePrefix(decoded);
    const inner = inflated && sniff(inflated);
    if (inner) {
      blob.decodedType = inner;
      blob.compressed = true;
    } else if (inflated) blob.compressed = true;
  }
  const before = text.slice(Math.max(0, offset - 80), offset);
  const uri = /data:([\w.+-]+\/[\w.+-]+)[^,]*,\s*$/.exec(before);
  if (uri) blob.dataUri = uri[1].toLowerCase();
  return blob;
}

/**
 * The start of zlib/gzip data, inflated; undefined when the bytes are not compressed. Only a
 * prefix of the blob is decoded, so the stream is flushed rather than finished, and output is
 * capped: an over-long result still proves compression (an empty buffer stands for it).
 */
function inflatePrefix(data: Buffer): Buffer | undefined {
  const options = { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 1024 * 1024 };
  let attempt: (() => Buffer) | undefined;
  if (data[0] === 0x78 && ((data[0] << 8) | data[1]) % 31 === 0)
    attempt = () => inflateSync(data, options);
  else if (data[0] === 0x1f && data[1] === 0x8b) attempt = () => gunzipSync(data, options);
  if (!attempt) return undefined;
  try {
    return attempt();
  } catch (error) {
    return error instanceof RangeError ? Buffer.alloc(0) : undefined;
  }
}

export interface LongLine {
  line: number;
  length: number;
  offset: number;
}

/** Lines longer than `threshold` characters (default 4000), longest first, at most `limit`. */
export function longLines(text: string, threshold = 4000, limit = 5): LongLine[] {
  const out: LongLine[] = [];
  let start = 0;
  let line = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start > threshold) out.push({ line, length: end - start, offset: start });
    start = end + 1;
    line++;
  }
  return out.sort((a, b) => b.length - a.length).slice(0, limit);
}
