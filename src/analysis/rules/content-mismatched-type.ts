import type { Finding, Severity } from '../../types.js';
import { findEncodedBlobs, shannonEntropy } from '../content/entropy.js';
import { displayPath, formatBytes } from '../content/findings.js';
import { installContext, referencedAtInstall } from '../content/install.js';
import { sniff, sniffXorExecutable } from '../content/magic.js';
import { extension, isSourcePath, nameKind, PY_SOURCE } from '../content/names.js';
import { looksBinary, snippet } from '../context.js';
import type { Rule } from '../rule.js';

/** Text that reads as a program rather than as data. */
const CODE_TEXT =
  /^\s*(?:import\s+[\w.]+|from\s+[\w.]+\s+import\b|def\s+\w+\s*\(|class\s+\w+[(:]|#!\/|<\?php|(?:var|let|const)\s+[\w$]+\s*=|function\s*[\w$]*\s*\(|module\.exports\b)|\b(?:exec|eval)\s*\(|require\s*\(\s*['"]|powershell|cmd(?:\.exe)?\s+\/c/m;

const DOCUMENT =
  /(?:^|\/)(?:readme|changelog|changes|history|license|licence|copying|notice|authors)(?:\.[\w]+)?$/i;
const HUGE_DOCUMENT_BYTES = 2 * 1024 * 1024;

/** Entropy of encrypted or compressed data (random bytes sit at 8 bits per byte). */
const ENCRYPTED_BITS_PER_BYTE = 7.2;

function looksEncrypted(data: Uint8Array): boolean {
  return data.length >= 256 && shannonEntropy(data.subarray(0, 1 << 20)) >= ENCRYPTED_BITS_PER_BYTE;
}

/** Any CPython bytecode header, Python 2 included: a two-byte magic followed by `\r\n`. */
function pycLike(data: Uint8Array): boolean {
  return data.length >= 8 && data[2] === 0x0d && data[3] === 0x0a;
}

/** UTF-16 text (with a byte-order mark) is text, although it holds NUL bytes. */
function isUtf16(data: Uint8Array): boolean {
  return (data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff);
}

/**
 * Files whose name promises one kind of content and whose bytes are another (executables and
 * archives are content-native-binary's and content-nested-archive's): compiled bytecode under a
 * `.py` name, binary data under a source-code name, a script saved as `logo.png` for a loader
 * to read back, a README of many megabytes.
 */
export const contentMismatchedType: Rule = {
  meta: {
    id: 'content-mismatched-type',
    severity: 'medium',
    ecosystems: ['npm', 'pypi'],
    title: 'File content does not match its name',
    description:
      'The bytes of a file contradict its name: compiled Python bytecode or binary data under a source-code extension, code or encoded payloads saved under an image/font/document extension, a .pyc that is not bytecode, or a README/LICENSE/CHANGELOG of several megabytes. High when install-time code runs or names the file, for bytecode disguised as .py source, and for near-random (encrypted or packed) bytes under a source or .pyc name, which no interpreter can run and only a loader can read back; medium otherwise; low for oversized documents.',
    references: [
      'https://attack.mitre.org/techniques/T1036/008/ (masquerade file type)',
      'https://attack.mitre.org/techniques/T1027/003/ (steganography)',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    const install = installContext(ctx);
    for (const file of ctx.files) {
      const type = sniff(file.data);
      if (type && (type.family === 'executable' || type.family === 'archive')) continue;
      // an XOR-hidden executable is content-native-binary's finding
      if (!type && sniffXorExecutable(file.data)) continue;
      const name = displayPath(ctx, file.path);
      const kind = nameKind(file.path);
      const ext = extension(file.path);
      const atInstall = install.installFiles.has(file.path);
      const push = (severity: Severity, message: string, evidence: string) =>
        findings.push({
          rule: this.meta.id,
          severity,
          file: file.path,
          line: 0,
          message,
          evidence,
        });

      if (kind === 'text' && file.data.length > 0) {
        const binary = type ?? (looksBinary(file.data) && !isUtf16(file.data) ? null : undefined);
        if (binary === undefined) {
          if (DOCUMENT.test(name) && file.size > HUGE_DOCUMENT_BYTES)
            push(
              'low',
              `${name} is ${formatBytes(file.size)}, far larger than a document of its kind; large files are where payloads hide.`,
              `${formatBytes(file.size)} document`,
            );
          continue;
        }
        const what = binary ? binary.label : 'binary data';
        if (binary?.id === 'pyc' && PY_SOURCE.test(file.path)) {
          push(
            'high',
            `${name} is ${what}, not Python source: bytecode under a .py name hides the code from review.`,
            `${what} named .${ext}`,
          );
        } else {
          const reference = atInstall ? undefined : referencedAtInstall(ctx, install, file.path);
          // near-random bytes under a source name are an encrypted or packed payload: no
          // interpreter can run the file, only a loader elsewhere can read it back
          const packed = !binary && isSourcePath(file.path) && looksEncrypted(file.data);
          const severity: Severity = atInstall || reference || packed ? 'high' : 'medium';
          const when = atInstall
            ? ' It runs at install time.'
            : reference
              ? ` ${reference.where} names it at install time.`
              : '';
          push(
            severity,
            `${name} has a .${ext} name but holds ${what}: content disguised as ${kind === 'text' ? 'text or source' : ext}.${when}`,
            reference ? snippet(reference.text) : `${what}, ${formatBytes(file.size)}`,
          );
        }
        continue;
      }

      if (kind === 'media' && file.data.length > 0) {
        if (type && type.family !== 'bytecode') continue;
        const text = type ? null : ctx.text(file.path);
        if (!type && (text === null || text.startsWith('version https://git-lfs'))) continue;
        const looksLikeCode = type !== null || CODE_TEXT.test(text ?? '');
        const blob = text && !looksLikeCode ? findEncodedBlobs(text, { limit: 1 })[0] : undefined;
        if (!looksLikeCode && !blob) continue;
        const reference = referencedAtInstall(ctx, install, file.path);
        const what = type
          ? type.label
          : looksLikeCode
            ? 'program text'
            : `a ${blob?.encoding} blob`;
        push(
          reference ? 'high' : 'medium',
          `${name} has an image/font/document name but holds ${what}: a payload disguised as a harmless asset for a loader to read back.${reference ? ` ${reference.where} names it at install time.` : ''}`,
          reference ? snippet(reference.text) : snippet(text ?? what, 120),
        );
        continue;
      }

      if (ext === 'pyc' && type?.id !== 'pyc' && !pycLike(file.data) && file.data.length >= 16) {
        push(
          looksEncrypted(file.data) ? 'high' : 'medium',
          `${name} has a .pyc name but is not Python bytecode (${type ? type.label : looksEncrypted(file.data) ? 'near-random bytes: an encrypted or packed payload' : 'unrecognised content'}); Python cannot load it, only code that reads it back can.`,
          type
            ? type.label
            : snippet(Buffer.from(file.data.subarray(0, 64)).toString('latin1'), 60),
        );
      }
    }
    return findings;
  },
};
