// Fixture packages for the content rules, built in memory. Binary "executables" here are inert
// headers (magic bytes and a few fields), never real programs; bidi and look-alike characters
// are written as escapes so that this file itself reads honestly.
import { gzipSync } from 'node:zlib';
import { analyzePackage } from '../../../src/analysis/index.js';
import type { Rule } from '../../../src/analysis/rule.js';
import type { Ecosystem, Finding, PackageFile, Severity } from '../../../src/types.js';
import { meetsThreshold } from '../../../src/types.js';

export type FileSpec =
  string | Uint8Array | { data: Uint8Array; size?: number; truncated?: boolean };

export function pkg(
  ecosystem: Ecosystem,
  files: Record<string, FileSpec>,
  name = 'demo',
): { ecosystem: Ecosystem; name: string; version: string; files: PackageFile[] } {
  return {
    ecosystem,
    name,
    version: '1.0.0',
    files: Object.entries(files).map(([path, spec]) => {
      if (typeof spec === 'string' || spec instanceof Uint8Array) {
        const data = typeof spec === 'string' ? new TextEncoder().encode(spec) : spec;
        return { path, data, size: data.length };
      }
      const file: PackageFile = { path, data: spec.data, size: spec.size ?? spec.data.length };
      if (spec.truncated) file.truncated = true;
      return file;
    }),
  };
}

export function npmManifest(fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ name: 'demo', version: '1.0.0', ...fields }, null, 2);
}

export async function runRule(
  rule: Rule,
  ecosystem: Ecosystem,
  files: Record<string, FileSpec>,
  name?: string,
): Promise<Finding[]> {
  return analyzePackage(pkg(ecosystem, files, name), { rules: [rule] });
}

export function gating(findings: Finding[], failOn: Severity = 'high'): Finding[] {
  return findings.filter((f) => meetsThreshold(f.severity, failOn));
}

function filled(length: number, head: number[], fill = 0x41): Uint8Array {
  const out = new Uint8Array(length).fill(fill);
  out.set(head, 0);
  return out;
}

/** An ELF header (64-bit, little-endian) followed by padding. */
export const ELF_BYTES = filled(256, [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0);

/** A DOS/PE header: `MZ`, e_lfanew = 0x80, `PE\0\0` there. */
export const PE_BYTES = (() => {
  const out = filled(512, [0x4d, 0x5a, 0x90, 0], 0);
  out[0x3c] = 0x80;
  out.set([0x50, 0x45, 0, 0], 0x80);
  return out;
})();

export const MACHO_BYTES = filled(256, [0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1], 0);
export const FAT_MACHO_BYTES = filled(256, [0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2], 0);

/** A stored (uncompressed) zip with the given members, central directory included. */
export function zipBytes(members: Record<string, string>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(members)) {
    const nameBytes = Buffer.from(name);
    const data = Buffer.from(text);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(members).length, 8);
  end.writeUInt16LE(Object.keys(members).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, end]));
}

/** A ustar archive with the given members. */
export function tarBytes(members: Record<string, string>): Uint8Array {
  const blocks: Buffer[] = [];
  for (const [name, text] of Object.entries(members)) {
    const header = Buffer.alloc(512);
    header.write(name, 0);
    header.write('0000644\0', 100);
    header.write(`${Buffer.byteLength(text).toString(8).padStart(11, '0')}\0`, 124);
    header.write('ustar\0', 257);
    header.write('00', 263);
    blocks.push(header);
    const body = Buffer.alloc(Math.ceil(Buffer.byteLength(text) / 512) * 512);
    body.write(text);
    blocks.push(body);
  }
  blocks.push(Buffer.alloc(1024));
  return new Uint8Array(Buffer.concat(blocks));
}

export function gzipBytes(data: Uint8Array | string): Uint8Array {
  return new Uint8Array(gzipSync(typeof data === 'string' ? Buffer.from(data) : data));
}

/** Deterministic pseudo-random bytes (xorshift32), for blobs. */
export function noise(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** Readable, unminified JavaScript of about `lines` lines. */
export function readableJs(lines = 40, name = 'helper'): string {
  const out: string[] = [`'use strict';`, ``];
  for (let i = 0; i < lines; i++)
    out.push(`function ${name}${i}(value) {`, `  return value + ${i};`, `}`);
  out.push(`module.exports = { ${name}0 };`);
  return out.join('\n');
}

/** A minified-looking bundle: one long line of dense code. */
export function minifiedJs(bytes = 6000): string {
  const unit = 'var a=function(b,c){return b+c},d=a(1,2);if(d>2){e=d*3}else{e=0};';
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

/** An obfuscator.io-style fragment: string array, rotation loop and _0x identifiers. */
export function obfuscatorIoJs(): string {
  const names = Array.from({ length: 24 }, (_, i) => `_0x${(0x1a2b + i * 17).toString(16)}`);
  return [
    `function _0x4e1c(){var _0x1f3a=['log','push','shift','http'];_0x4e1c=function(){return _0x1f3a;};return _0x4e1c();}`,
    `(function(_0x2d8f05,_0x4b81bb){var _0x4d74cb=_0x2d8f05();while(!![]){try{var _0x3dd1b1=parseInt(_0x1c5e(0x1e4))/0x1;if(_0x3dd1b1===_0x4b81bb)break;else _0x4d74cb['push'](_0x4d74cb['shift']());}catch(_0x5a1c2b){_0x4d74cb['push'](_0x4d74cb['shift']());}}}(_0x4e1c,0x3a2f1));`,
    ...names.map((n, i) => `var ${n}=${i};`),
  ].join('\n');
}
