import { createDecipheriv, createHmac } from 'node:crypto';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

/**
 * Decoders that malware uses to hide its next stage, as pure functions of bytes. Every one
 * returns undefined on malformed input instead of throwing, and decompressors stop at a bounded
 * output so a decompression bomb in a package cannot exhaust the scanner.
 */

/** Upper bound on any single decoded or decompressed value. */
export const MAX_DECODED_BYTES = 4 * 1024 * 1024;

const BASE64_CHARS = /^[A-Za-z0-9+/=\s_-]*$/;

export function decodeBase64(input: string, urlSafe = false): Buffer | undefined {
  const cleaned = input.replace(/\s+/g, '');
  if (!BASE64_CHARS.test(cleaned)) return undefined;
  const normal = urlSafe ? cleaned.replace(/-/g, '+').replace(/_/g, '/') : cleaned;
  const out = Buffer.from(normal, 'base64');
  return out.length > 0 || cleaned.length === 0 ? out : undefined;
}

export function decodeHex(input: string): Buffer | undefined {
  const cleaned = input.replace(/\s+/g, '');
  if (cleaned.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(cleaned)) return undefined;
  return Buffer.from(cleaned, 'hex');
}

const B32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function decodeBase32(input: string): Buffer | undefined {
  const cleaned = input.replace(/\s+/g, '').replace(/=+$/, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of cleaned) {
    const index = B32_ALPHABET.indexOf(char);
    if (index < 0) return undefined;
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

const B85_ALPHABET =
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~';

/** Python's base64.b85decode (RFC 1924 alphabet). */
export function decodeBase85(input: string): Buffer | undefined {
  return decodeBase85With(input.replace(/\s+/g, ''), (c) => B85_ALPHABET.indexOf(c), '~');
}

/** Python's base64.a85decode (Ascii85, `z` shorthand, optional <~ ~> framing). */
export function decodeAscii85(input: string): Buffer | undefined {
  let text = input.replace(/\s+/g, '');
  if (text.startsWith('<~')) text = text.slice(2);
  if (text.endsWith('~>')) text = text.slice(0, -2);
  text = text.replace(/z/g, '!!!!!');
  return decodeBase85With(text, (c) => (c >= '!' && c <= 'u' ? c.charCodeAt(0) - 33 : -1), 'u');
}

function decodeBase85With(
  text: string,
  digit: (c: string) => number,
  padChar: string,
): Buffer | undefined {
  const out: number[] = [];
  for (let i = 0; i < text.length; i += 5) {
    const chunk = text.slice(i, i + 5);
    const padding = 5 - chunk.length;
    const full = chunk + padChar.repeat(padding);
    let acc = 0;
    for (const c of full) {
      const d = digit(c);
      if (d < 0) return undefined;
      acc = acc * 85 + d;
    }
    if (acc > 0xffffffff) return undefined;
    const bytes = [(acc >>> 24) & 0xff, (acc >>> 16) & 0xff, (acc >>> 8) & 0xff, acc & 0xff];
    out.push(...bytes.slice(0, 4 - padding));
  }
  return Buffer.from(out);
}

export function rot13(input: string): string {
  return input.replace(/[a-zA-Z]/g, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/** zlib, raw deflate or gzip, whichever the header says; bounded. */
export function decompress(
  data: Buffer,
  format: 'zlib' | 'gzip' | 'auto' = 'auto',
): Buffer | undefined {
  const options = { maxOutputLength: MAX_DECODED_BYTES };
  const attempts: ((b: Buffer) => Buffer)[] = [];
  const isGzip = data[0] === 0x1f && data[1] === 0x8b;
  if (format === 'gzip' || (format === 'auto' && isGzip))
    attempts.push((b) => gunzipSync(b, options));
  if (format !== 'gzip') {
    attempts.push((b) => inflateSync(b, options));
    attempts.push((b) => inflateRawSync(b, options));
  }
  if (format === 'auto') attempts.push((b) => brotliDecompressSync(b, options));
  for (const attempt of attempts) {
    try {
      return attempt(data);
    } catch {
      // not this format (or over the bound): try the next
    }
  }
  return undefined;
}

/**
 * Fernet (the `cryptography` package's recipe, AES-128-CBC + HMAC-SHA256): malware ships the key
 * beside the token, so decrypting it is decoding, not cryptanalysis.
 */
export function fernetDecrypt(key: string | Buffer, token: string | Buffer): Buffer | undefined {
  const keyBytes = decodeBase64(key.toString(), true);
  const tokenBytes = decodeBase64(token.toString(), true);
  if (!keyBytes || keyBytes.length !== 32 || !tokenBytes || tokenBytes.length < 57)
    return undefined;
  if (tokenBytes[0] !== 0x80) return undefined;
  const signed = tokenBytes.subarray(0, tokenBytes.length - 32);
  const mac = createHmac('sha256', keyBytes.subarray(0, 16)).update(signed).digest();
  if (!mac.equals(tokenBytes.subarray(tokenBytes.length - 32))) return undefined;
  try {
    const iv = tokenBytes.subarray(9, 25);
    const decipher = createDecipheriv('aes-128-cbc', keyBytes.subarray(16), iv);
    return Buffer.concat([
      decipher.update(tokenBytes.subarray(25, tokenBytes.length - 32)),
      decipher.final(),
    ]);
  } catch {
    return undefined;
  }
}

/** Share of printable ASCII/whitespace characters; decoded payloads that are code score near 1. */
export function printableRatio(text: string): number {
  if (text.length === 0) return 0;
  let printable = 0;
  const end = Math.min(text.length, 4096);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 32 && c < 127) || c === 9 || c === 10 || c === 13) printable++;
  }
  return printable / end;
}

/** Shannon entropy in bits per character over the first 64 KiB. */
export function entropy(text: string): number {
  const counts = new Map<number, number>();
  const end = Math.min(text.length, 65536);
  for (let i = 0; i < end; i++)
    counts.set(text.charCodeAt(i), (counts.get(text.charCodeAt(i)) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / end;
    bits -= p * Math.log2(p);
  }
  return bits;
}
