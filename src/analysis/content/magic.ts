/**
 * File-type recognition by magic bytes, never by name: a payload renamed `logo.png` is still an
 * ELF. Only the leading bytes are read, so a truncated (head-only) file is recognised too.
 */

export type ContentFamily = 'executable' | 'archive' | 'bytecode' | 'media' | 'document' | 'data';

export interface ContentType {
  /** Short stable id, e.g. `elf`, `pe`, `zip`. */
  id: string;
  family: ContentFamily;
  /** What a reader calls it, e.g. "ELF executable". */
  label: string;
}

const T = (id: string, family: ContentFamily, label: string): ContentType => ({
  id,
  family,
  label,
});

export const ELF = T('elf', 'executable', 'ELF executable or shared library');
export const PE = T('pe', 'executable', 'Windows PE executable or DLL');
export const MACHO = T('macho', 'executable', 'Mach-O executable or library');
export const MACHO_FAT = T('macho-fat', 'executable', 'Mach-O universal (fat) binary');
export const ZIP = T('zip', 'archive', 'zip archive');
export const GZIP = T('gzip', 'archive', 'gzip stream');
export const TAR = T('tar', 'archive', 'tar archive');
export const SEVEN_ZIP = T('7z', 'archive', '7-Zip archive');
export const RAR = T('rar', 'archive', 'RAR archive');
export const BZIP2 = T('bzip2', 'archive', 'bzip2 stream');
export const XZ = T('xz', 'archive', 'xz stream');
export const ZSTD = T('zstd', 'archive', 'Zstandard stream');
export const CAB = T('cab', 'archive', 'Microsoft cabinet archive');
export const MSI = T(
  'msi',
  'archive',
  'OLE compound file (Windows installer, Office document or VBA project)',
);
export const PYC = T('pyc', 'bytecode', 'compiled Python bytecode');
export const JAVA_CLASS = T('java-class', 'bytecode', 'Java class file');
export const WASM = T('wasm', 'bytecode', 'WebAssembly module');
export const PNG = T('png', 'media', 'PNG image');
export const JPEG = T('jpeg', 'media', 'JPEG image');
export const GIF = T('gif', 'media', 'GIF image');
export const BMP = T('bmp', 'media', 'BMP image');
export const ICO = T('ico', 'media', 'Windows icon');
export const WEBP = T('webp', 'media', 'WebP image');
export const WOFF = T('woff', 'media', 'WOFF font');
export const WOFF2 = T('woff2', 'media', 'WOFF2 font');
export const TTF = T('ttf', 'media', 'TrueType/OpenType font');
export const PDF = T('pdf', 'document', 'PDF document');
export const SQLITE = T('sqlite', 'data', 'SQLite database');

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

function startsWith(data: Uint8Array, bytes: readonly number[], at = 0): boolean {
  if (data.length < at + bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (data[at + i] !== bytes[i]) return false;
  return true;
}

function u32be(data: Uint8Array, at: number): number {
  return ((data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3]) >>> 0;
}

function u32le(data: Uint8Array, at: number): number {
  return (data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | (data[at + 3] << 24)) >>> 0;
}

/**
 * `MZ` alone is two printable letters that start many text files; a real PE (or DOS stub) has
 * the `PE\0\0` signature where the header's e_lfanew field points.
 */
function isPe(data: Uint8Array): boolean {
  if (!startsWith(data, [0x4d, 0x5a]) || data.length < 0x40) return false;
  const offset = u32le(data, 0x3c);
  return offset >= 0x40 && offset < 0x10000 && startsWith(data, [0x50, 0x45, 0, 0], offset);
}

/**
 * 0xCAFEBABE opens both Java class files and fat Mach-O binaries; the next word tells them
 * apart (a count of architectures, small, versus a class-file version, large).
 */
function fatOrClass(data: Uint8Array): ContentType | null {
  if (!startsWith(data, [0xca, 0xfe, 0xba, 0xbe]) || data.length < 8) return null;
  const next = u32be(data, 4);
  if (next > 0 && next < 40) return MACHO_FAT;
  return JAVA_CLASS;
}

function isTar(data: Uint8Array): boolean {
  return startsWith(data, ascii('ustar'), 257);
}

/** Python 3 .pyc: a two-byte version magic followed by `\r\n`, then flags (0..3) since 3.7. */
function isPyc(data: Uint8Array): boolean {
  if (data.length < 16 || data[2] !== 0x0d || data[3] !== 0x0a) return false;
  const magic = data[0] | (data[1] << 8);
  // 3.0 (3000) … 3.14 (~3620); future versions stay below 4000 for a while
  return magic >= 3000 && magic < 4000 && data[5] === 0 && data[6] === 0 && data[7] === 0;
}

/** The content type of a file from its first bytes; null for text and unknown data. */
export function sniff(data: Uint8Array): ContentType | null {
  if (data.length < 4) return null;
  if (startsWith(data, [0x7f, 0x45, 0x4c, 0x46])) return ELF;
  if (isPe(data)) return PE;
  if (
    startsWith(data, [0xfe, 0xed, 0xfa, 0xce]) ||
    startsWith(data, [0xfe, 0xed, 0xfa, 0xcf]) ||
    startsWith(data, [0xce, 0xfa, 0xed, 0xfe]) ||
    startsWith(data, [0xcf, 0xfa, 0xed, 0xfe])
  )
    return MACHO;
  const cafe = fatOrClass(data);
  if (cafe) return cafe;
  if (startsWith(data, [0x50, 0x4b, 0x03, 0x04]) || startsWith(data, [0x50, 0x4b, 0x05, 0x06]))
    return ZIP;
  if (startsWith(data, [0x1f, 0x8b, 0x08])) return GZIP;
  if (startsWith(data, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return SEVEN_ZIP;
  if (startsWith(data, ascii('Rar!\x1a\x07'))) return RAR;
  if (startsWith(data, ascii('BZh')) && data[3] >= 0x31 && data[3] <= 0x39) return BZIP2;
  if (startsWith(data, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return XZ;
  if (startsWith(data, [0x28, 0xb5, 0x2f, 0xfd])) return ZSTD;
  if (startsWith(data, ascii('MSCF')) && startsWith(data, [0, 0, 0, 0], 4)) return CAB;
  if (startsWith(data, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return MSI;
  if (isTar(data)) return TAR;
  if (startsWith(data, [0x00, 0x61, 0x73, 0x6d])) return WASM;
  if (isPyc(data)) return PYC;
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (startsWith(data, [0xff, 0xd8, 0xff])) return JPEG;
  if (startsWith(data, ascii('GIF87a')) || startsWith(data, ascii('GIF89a'))) return GIF;
  if (startsWith(data, ascii('RIFF')) && startsWith(data, ascii('WEBP'), 8)) return WEBP;
  if (startsWith(data, ascii('wOFF'))) return WOFF;
  if (startsWith(data, ascii('wOF2'))) return WOFF2;
  if (startsWith(data, [0x00, 0x01, 0x00, 0x00, 0x00]) || startsWith(data, ascii('OTTO')))
    return TTF;
  if (startsWith(data, [0x00, 0x00, 0x01, 0x00]) && data.length > 6 && data[4] > 0) return ICO;
  if (startsWith(data, ascii('BM')) && startsWith(data, [0, 0, 0, 0], 6) && data.length > 26)
    return BMP;
  if (startsWith(data, ascii('%PDF-'))) return PDF;
  if (startsWith(data, ascii('SQLite format 3\0'))) return SQLITE;
  return null;
}

/**
 * An executable hidden by XOR with a single-byte key (a common packer trick: `MZ` becomes
 * `\xb1\xa6` under key 0xFC). The key is guessed from the first byte and confirmed by the rest of
 * the header, so ordinary data almost never passes.
 */
export function sniffXorExecutable(data: Uint8Array): { type: ContentType; key: number } | null {
  if (data.length < 0x80) return null;
  const candidates: [number[], ContentType, (plain: Uint8Array) => boolean][] = [
    [[0x4d, 0x5a], PE, (plain) => sniff(plain) === PE],
    // ELF: class (32/64-bit), byte order and version must be valid too
    [
      [0x7f, 0x45, 0x4c, 0x46],
      ELF,
      (plain) => [1, 2].includes(plain[4]) && [1, 2].includes(plain[5]) && plain[6] === 1,
    ],
    // Mach-O 64: a known CPU type (x86, arm, powerpc) in the next word
    [[0xcf, 0xfa, 0xed, 0xfe], MACHO, (plain) => [7, 12, 18].includes(plain[4]) && plain[7] <= 1],
  ];
  for (const [magic, type, confirm] of candidates) {
    const key = data[0] ^ magic[0];
    if (key === 0 || !magic.every((byte, i) => (data[i] ^ key) === byte)) continue;
    const plain = data.subarray(0, Math.min(data.length, 0x1000)).map((b) => b ^ key);
    if (confirm(plain)) return { type, key };
  }
  return null;
}
