import { lexRegions, regionAt } from './lexer.js';

/**
 * Shape metrics of source files: is a file minified (normal for bundles), or obfuscated (written
 * so that nobody can read it)? Pure functions of the text, cheap enough for every file.
 */

export interface ShapeMetrics {
  bytes: number;
  lines: number;
  /** Mean characters per non-empty line. */
  meanLine: number;
  longestLine: number;
  /** Share of characters on lines over 500 characters. */
  longLineShare: number;
  /** Share of whitespace characters. */
  whitespaceShare: number;
}

export function shapeOf(text: string): ShapeMetrics {
  let lines = 0;
  let nonEmpty = 0;
  let longest = 0;
  let inLong = 0;
  let whitespace = 0;
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    const length = end - start;
    lines++;
    if (length > 0) nonEmpty++;
    if (length > longest) longest = length;
    if (length > 500) inLong += length;
    start = end + 1;
  }
  // whitespace share from a sample: enough to tell a bundle from hand-written code
  const sampled = Math.min(n, 256 * 1024);
  for (let i = 0; i < sampled; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) whitespace++;
  }
  return {
    bytes: n,
    lines,
    meanLine: nonEmpty ? (n - (lines - 1)) / nonEmpty : 0,
    longestLine: longest,
    longLineShare: n ? inLong / n : 0,
    whitespaceShare: sampled ? whitespace / sampled : 0,
  };
}

/** Minified: most of the text sits on very long lines with little whitespace. */
export function isMinified(shape: ShapeMetrics): boolean {
  if (shape.bytes < 2048) return false;
  return shape.longLineShare > 0.5 && (shape.meanLine > 250 || shape.whitespaceShare < 0.12);
}

export interface ObfuscationSignal {
  /** Short name of the technique, for messages. */
  technique: string;
  /** Offset of the first match. */
  offset: number;
  evidence: string;
}

interface Signature {
  technique: string;
  /** Fingerprints of JavaScript encoders, meaningless (and quoted in decoders) elsewhere. */
  javascriptOnly?: boolean;
  find(text: string): { offset: number; evidence: string } | undefined;
}

function count(text: string, pattern: RegExp, need: number, distinct = false) {
  const seen = new Set<string>();
  let first: RegExpExecArray | undefined;
  let total = 0;
  for (const m of text.matchAll(pattern)) {
    first ??= m as RegExpExecArray;
    total++;
    if (distinct) seen.add(m[0]);
    if ((distinct ? seen.size : total) >= need && first)
      return { offset: first.index, evidence: first[0] };
  }
  return undefined;
}

function once(pattern: RegExp) {
  return (text: string) => {
    const m = pattern.exec(text);
    return m ? { offset: m.index, evidence: m[0] } : undefined;
  };
}

/** A regex that only runs when a cheap substring test says it can match. */
function guarded(needle: string, pattern: RegExp) {
  const find = once(pattern);
  return (text: string) => (text.includes(needle) ? find(text) : undefined);
}

/** Identifiers spelled with \\uXXXX escapes (legal in JavaScript), in code rather than in strings or regexes. */
function escapedIdentifiers(text: string): { offset: number; evidence: string } | undefined {
  const pattern = /(?:^|[^\\'"\w])((?:\\u[0-9a-fA-F]{4}){3,})\s*[=(.[]/g;
  const matches = [...text.matchAll(pattern)];
  if (matches.length < 20) return undefined;
  const regions = lexRegions(text, 'javascript');
  let first: { offset: number; evidence: string } | undefined;
  let inCode = 0;
  for (const m of matches) {
    const offset = m.index + m[0].indexOf(m[1]);
    if (regionAt(regions, offset) !== 'code') continue;
    first ??= { offset, evidence: m[1] };
    if (++inCode >= 20) return first;
  }
  return undefined;
}

/** At least 20 distinct names made only of I/l/1 (with both letters) or of O/0. */
function lookalikeSoup(text: string): { offset: number; evidence: string } | undefined {
  // base64 blobs are full of these letter pairs and make the scan slow; soups live in code files
  // far smaller than this
  if (text.length > 2 * 1024 * 1024) return undefined;
  if (!['IlI', 'lIl', 'O0O', '0O0', 'I1I', 'l1l'].some((needle) => text.includes(needle)))
    return undefined;
  const names = new Set<string>();
  let first: { offset: number; evidence: string } | undefined;
  for (const m of text.matchAll(/\b[Il1]{6,}\b|\b[O0]{6,}\b/g)) {
    const name = m[0];
    const mixed = name.includes('O') || (name.includes('I') && name.includes('l'));
    if (!mixed || /^[01]+$/.test(name)) continue;
    first ??= { offset: m.index, evidence: name };
    names.add(name);
    if (names.size >= 20) return first;
  }
  return undefined;
}

/**
 * Fingerprints of the usual obfuscators. Each is specific enough that ordinary or minified code
 * does not produce it: minifiers shorten names, they do not invent `_0x3f2a` soups or rotate
 * string arrays.
 */
export const OBFUSCATION_SIGNATURES: readonly Signature[] = [
  {
    technique: 'obfuscator.io identifier soup (_0x names)',
    find: (text) =>
      text.includes('_0x') ? count(text, /\b_0x[0-9a-f]{4,6}\b/g, 15, true) : undefined,
  },
  {
    technique: 'obfuscator.io string-array rotation',
    find: guarded(
      'shift',
      /\[['"]push['"]\]\s*\(\s*\w+\[['"]shift['"]\]\s*\(\s*\)\s*\)|\.push\(\s*(_0x\w+)\.shift\(\)\s*\)|parseInt\(\s*_0x\w+\(\s*0x[0-9a-f]+\s*\)\s*\)\s*\/\s*0x/i,
    ),
  },
  {
    technique: 'obfuscator.io control-flow loop (while(!![]))',
    find: guarded('!![]', /while\s*\(\s*!!\s*\[\s*\]\s*\)/),
  },
  {
    technique: 'JSFuck encoding',
    javascriptOnly: true,
    find: (text) =>
      text.includes('![]+[]')
        ? count(text, /\(!\[\]\+\[\]\)\[\+\[\]\]|\[\]\[\(!\[\]\+\[\]\)/g, 3)
        : undefined,
  },
  {
    technique: 'aaencode',
    javascriptOnly: true,
    find: once(/ﾟωﾟﾉ\s*=\s*\/｀ｍ´）ﾉ|ﾟДﾟ\)\s*\[ﾟεﾟ\]/),
  },
  { technique: 'jjencode', javascriptOnly: true, find: once(/\$=~\[\];\$=\{___:\+\+\$/) },
  {
    technique: 'identifier soup of Unicode escapes',
    javascriptOnly: true,
    find: (text) => (text.includes('\\u') ? escapedIdentifiers(text) : undefined),
  },
  {
    technique: 'identifier soup of CJK names',
    find: (text) =>
      count(
        text,
        /(?<![\p{L}\p{N}_'"])[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]{2,}\s*(?==[^=]|\()/gu,
        20,
        true,
      ),
  },
  {
    technique: 'identifier soup of look-alike names (IlIl/O0O0)',
    find: (text) => lookalikeSoup(text),
  },
];

/** Obfuscation fingerprints found in the text (one per technique). */
export function obfuscationSignals(text: string, javascript = true): ObfuscationSignal[] {
  const out: ObfuscationSignal[] = [];
  for (const signature of OBFUSCATION_SIGNATURES) {
    if (signature.javascriptOnly && !javascript) continue;
    const hit = signature.find(text);
    if (hit)
      out.push({ technique: signature.technique, offset: hit.offset, evidence: hit.evidence });
  }
  return out;
}

/** Paths whose minified content is expected (bundles, vendored libraries, generated output). */
export const BUNDLE_PATH =
  /(?:^|\/)(?:dist|build|bundles?|umd|cjs|esm|out|vendor|vendors|third[_-]?party|static|assets|public|browser|min|packed|compiled|generated|_generated)\/|[.-](?:min|bundle|packed|prod|production)\.[cm]?js$/i;
