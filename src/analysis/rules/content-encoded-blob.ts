import type { Finding, Severity } from '../../types.js';
import { suspiciousBlobs } from '../content/blobs.js';
import type { EncodedBlob } from '../content/entropy.js';
import { displayPath, formatBytes, runsAt } from '../content/findings.js';
import { isSourcePath } from '../content/names.js';
import type { Rule } from '../rule.js';

function describeBlob(blob: EncodedBlob): string {
  const size = formatBytes(blob.length);
  const decoded = blob.decodedType
    ? `, decoding to ${blob.compressed ? 'compressed ' : ''}${blob.decodedType.label}`
    : blob.compressed
      ? ', decoding to compressed data'
      : '';
  return `a ${size} ${blob.encoding} blob (entropy ${blob.entropy} bits/char${decoded})`;
}

function blobSeverity(blob: EncodedBlob, atInstall: boolean): Severity {
  const family = blob.decodedType?.family;
  if (family === 'executable') return 'high';
  if (family === 'archive' || family === 'bytecode' || blob.compressed)
    return atInstall ? 'high' : 'medium';
  return atInstall || blob.length >= LARGE_BLOB_CHARS ? 'medium' : 'low';
}

/** An opaque blob this large (64 KB of text) is a payload, not a key or a hash. */
const LARGE_BLOB_CHARS = 64 * 1024;

/**
 * Long base64/hex/`\x` runs of random-looking characters in source files: where loaders keep the
 * next stage. Alone this is a capability (inline fonts, wasm and source maps are excluded by
 * what they decode to); the severity rises with what the blob decodes to and whether the file
 * runs at install time.
 */
export const contentEncodedBlob: Rule = {
  meta: {
    id: 'content-encoded-blob',
    severity: 'low',
    ecosystems: ['npm', 'pypi'],
    title: 'High-entropy encoded blob in source code',
    description:
      'A source file carries a long base64, hex or \\x-escaped run with near-random entropy. Low alone (a capability, not a threat); medium in install-time code, when over 64 KB, or when it decodes to compressed data, an archive or bytecode; high when it decodes to a native executable or, at install time, to compressed or packed content. Inline images, fonts, wasm and source maps are ignored.',
    references: [
      'https://attack.mitre.org/techniques/T1027/ (obfuscated files or information)',
      'https://github.com/DataDog/guarddog (pypi-obfuscation, npm-obfuscation)',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of ctx.files) {
      if (!isSourcePath(file.path)) continue;
      const blobs = suspiciousBlobs(ctx, file.path);
      if (blobs.length === 0) continue;
      const atInstall = runsAt(ctx, file.path) === 'install';
      const ranked = blobs
        .map((blob) => ({ blob, severity: blobSeverity(blob, atInstall) }))
        .sort((a, b) => rank(b.severity) - rank(a.severity) || b.blob.length - a.blob.length);
      const { blob, severity } = ranked[0];
      const more = blobs.length > 1 ? ` (${blobs.length} blobs in this file)` : '';
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: blob.line,
        message: `${displayPath(ctx, file.path)} carries ${describeBlob(blob)}${more}; ${atInstall ? 'the file runs at install time' : 'encoded payloads are how loaders hide their next stage'}.`,
        evidence: `${blob.head}… (${blob.length} chars)`,
      });
    }
    return findings;
  },
};

const ORDER: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
function rank(s: Severity): number {
  return ORDER.indexOf(s);
}
