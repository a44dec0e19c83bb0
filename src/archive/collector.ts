import type { PackageFile, UnpackLimits, UnpackProblem, UnpackResult } from '../types.js';

const MiB = 1024 * 1024;

export const DEFAULT_UNPACK_LIMITS: UnpackLimits = Object.freeze({
  maxTotalBytes: 512 * MiB,
  maxFiles: 20_000,
  maxFileBytes: 32 * MiB,
  keepHeadBytes: 64 * 1024,
});

export function resolveLimits(limits: Partial<UnpackLimits> = {}): UnpackLimits {
  const resolved = { ...DEFAULT_UNPACK_LIMITS };
  for (const key of Object.keys(resolved) as (keyof UnpackLimits)[]) {
    const value = limits[key];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value < 0) {
      throw new Error(`unpack limit ${key} must be a non-negative number, got ${String(value)}`);
    }
    resolved[key] = Math.floor(value);
  }
  resolved.keepHeadBytes = Math.min(resolved.keepHeadBytes, resolved.maxFileBytes);
  return resolved;
}

export type PathVerdict = { ok: true; path: string } | { ok: false; reason: string } | null;

/**
 * Normalises an archive member name to a `/`-separated path relative to the package root.
 * Returns null for names that denote the root itself (`./`), and a reason for names that could
 * escape the root if someone extracted the archive: analyzers must never see such a path as if it
 * were a normal package file.
 */
export function normaliseMemberPath(raw: string): PathVerdict {
  const slashed = raw.replace(/\\/g, '/');
  if (slashed.includes('\0')) return { ok: false, reason: 'contains a NUL byte' };
  if (slashed.startsWith('/')) return { ok: false, reason: 'absolute path' };
  if (/^[a-zA-Z]:/.test(slashed)) return { ok: false, reason: 'drive-letter path' };
  const segments: string[] = [];
  for (const segment of slashed.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') return { ok: false, reason: 'parent-directory segment' };
    segments.push(segment);
  }
  if (segments.length === 0) return null;
  return { ok: true, path: segments.join('/') };
}

/**
 * Accumulates the files of one archive or directory while enforcing the unpack limits. Readers
 * feed it entries; once `stopped` is set they must stop reading, because a limit was hit and
 * everything after it would be unbounded work.
 */
export class FileCollector {
  readonly limits: UnpackLimits;
  readonly files: PackageFile[] = [];
  readonly problems: UnpackProblem[] = [];
  /** Real (inflated) bytes read so far, including bytes of files kept only in part. */
  totalBytes = 0;
  stopped = false;

  constructor(limits: Partial<UnpackLimits> = {}) {
    this.limits = resolveLimits(limits);
  }

  problem(kind: UnpackProblem['kind'], message: string, path?: string): void {
    this.problems.push(path === undefined ? { kind, message } : { kind, message, path });
  }

  /**
   * Decides whether a regular-file entry is read. Returns the normalised path, or null when the
   * entry is skipped (the reason is recorded) or the reader must stop.
   */
  admitFile(rawName: string): string | null {
    if (this.stopped) return null;
    const verdict = normaliseMemberPath(rawName);
    if (verdict === null) return null;
    if (!verdict.ok) {
      this.problem('unsafe-path', `skipped ${JSON.stringify(rawName)}: ${verdict.reason}`, rawName);
      return null;
    }
    if (this.files.length >= this.limits.maxFiles) {
      this.stop(`more than ${this.limits.maxFiles} files; the rest were not read`, verdict.path);
      return null;
    }
    return verdict.path;
  }

  /** Records a symlink or hardlink, which is never followed. */
  skipLink(rawName: string, target: string | undefined, kind: 'symlink' | 'hardlink'): void {
    if (this.stopped) return;
    const verdict = normaliseMemberPath(rawName);
    const path = verdict?.ok ? verdict.path : rawName;
    const to = target === undefined ? '' : ` -> ${JSON.stringify(target)}`;
    this.problem('link', `skipped ${kind} ${path}${to}`, path);
  }

  openFile(path: string, mode?: number): FileSink {
    return new FileSink(this, path, mode);
  }

  stop(message: string, path?: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.problem('limit', message, path);
  }

  result(): UnpackResult {
    return { files: this.files, problems: this.problems };
  }
}

/**
 * Receives the bytes of one file. Counts every byte (a declared size is never trusted) but keeps
 * only the head of a file that exceeds maxFileBytes, so a zip bomb costs time bounded by
 * maxTotalBytes and memory bounded by the kept bytes.
 */
export class FileSink {
  private chunks: Uint8Array[] = [];
  private kept = 0;
  private size = 0;
  /** Set when the file is over maxFileBytes or was cut short by the total limit. */
  private partial = false;
  private closed = false;

  constructor(
    private readonly collector: FileCollector,
    readonly path: string,
    private readonly mode?: number,
  ) {}

  /** Returns false when the total limit was hit: the reader must stop feeding this archive. */
  write(chunk: Uint8Array): boolean {
    if (this.closed) return false;
    const { limits } = this.collector;
    const room = limits.maxTotalBytes - this.collector.totalBytes;
    const accepted = chunk.byteLength > room ? chunk.subarray(0, Math.max(0, room)) : chunk;
    this.collector.totalBytes += accepted.byteLength;
    this.size += accepted.byteLength;
    this.keep(accepted);
    if (accepted.byteLength < chunk.byteLength) {
      this.partial = true;
      this.close();
      this.collector.stop(
        `more than ${limits.maxTotalBytes} bytes unpacked; stopped inside ${this.path}, the rest was not read`,
        this.path,
      );
      return false;
    }
    return true;
  }

  private keep(chunk: Uint8Array): void {
    const { maxFileBytes, keepHeadBytes } = this.collector.limits;
    const oversized = this.size > maxFileBytes;
    if (oversized && !this.partial) {
      this.partial = true;
      if (this.kept > keepHeadBytes) {
        this.chunks = [concat(this.chunks, this.kept).subarray(0, keepHeadBytes)];
        this.kept = keepHeadBytes;
      }
    }
    const limit = oversized ? keepHeadBytes : maxFileBytes;
    if (this.kept >= limit || chunk.byteLength === 0) return;
    const part = chunk.subarray(0, limit - this.kept);
    // Copy: stream chunks may be views into a larger buffer that would otherwise stay alive.
    this.chunks.push(Uint8Array.prototype.slice.call(part));
    this.kept += part.byteLength;
  }

  get bytesRead(): number {
    return this.size;
  }

  /**
   * Keeps what was read of a file whose archive ends inside it: the head of a cut-off setup.py
   * can still hold the payload. `size` is the size the archive declared.
   */
  closePartial(declaredSize: number): void {
    if (this.closed) return;
    this.partial = true;
    this.size = Math.max(this.size, declaredSize);
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const file: PackageFile = {
      path: this.path,
      data: concat(this.chunks, this.kept),
      size: this.size,
    };
    if (this.partial) file.truncated = true;
    if (this.mode !== undefined) file.mode = this.mode;
    this.chunks = [];
    this.collector.files.push(file);
  }
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0].byteLength === length) return chunks[0];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
