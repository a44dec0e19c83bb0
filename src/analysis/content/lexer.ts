/**
 * A light lexer that tells code from string literals and comments, for the checks that care
 * where a character sits (a bidi control in a comment is a display trick; in code it is an
 * attack on the reader). It does not parse: template-literal substitutions count as string and
 * a regex literal is recognised by the token before it, which is right for ordinary code and
 * harmless when wrong (the check then reports the milder case).
 */

export type RegionKind = 'code' | 'string' | 'comment';

export interface Region {
  kind: RegionKind;
  start: number;
  end: number;
}

export type Language = 'javascript' | 'python' | 'shell';

export function languageOf(path: string): Language | undefined {
  if (/\.(?:js|cjs|mjs|jsx|ts|cts|mts|tsx)$/i.test(path)) return 'javascript';
  if (/\.(?:py|pyw|pyi)$/i.test(path)) return 'python';
  if (/\.(?:sh|bash|zsh)$/i.test(path)) return 'shell';
  return undefined;
}

/** Non-code regions (strings and comments) in order; everything between them is code. */
export function lexRegions(text: string, language: Language): Region[] {
  switch (language) {
    case 'javascript':
      return lexJavaScript(text);
    case 'python':
      return lexPython(text);
    default:
      return lexShell(text);
  }
}

/** Every region of the text in order, code included. */
export function allRegions(text: string, language: Language): Region[] {
  const out: Region[] = [];
  let at = 0;
  for (const region of lexRegions(text, language)) {
    if (region.start > at) out.push({ kind: 'code', start: at, end: region.start });
    out.push(region);
    at = region.end;
  }
  if (at < text.length) out.push({ kind: 'code', start: at, end: text.length });
  return out;
}

/** Tokens after which `/` starts a regex literal rather than a division. */
const REGEX_PRECEDER =
  /(?:^|[(,=:[!&|?{};+\-*%<>~^]|\b(?:return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await))\s*$/;

function lexJavaScript(text: string): Region[] {
  const regions: Region[] = [];
  const n = text.length;
  let i = 0;
  let codeStart = 0;
  while (i < n) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = lineEnd(text, i);
      regions.push({ kind: 'comment', start: i, end });
      i = end;
    } else if (c === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      regions.push({ kind: 'comment', start: i, end });
      i = end;
    } else if (c === '"' || c === "'") {
      const end = quoted(text, i, c, true);
      regions.push({ kind: 'string', start: i, end });
      i = end;
    } else if (c === '`') {
      const end = template(text, i);
      regions.push({ kind: 'string', start: i, end });
      i = end;
    } else if (c === '/' && REGEX_PRECEDER.test(text.slice(Math.max(codeStart, i - 40), i))) {
      const end = regexLiteral(text, i);
      if (end > 0) {
        regions.push({ kind: 'string', start: i, end });
        i = end;
      } else i++;
    } else {
      i++;
      continue;
    }
    codeStart = i;
  }
  return regions;
}

function lexPython(text: string): Region[] {
  const regions: Region[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === '#') {
      const end = lineEnd(text, i);
      regions.push({ kind: 'comment', start: i, end });
      i = end;
      continue;
    }
    if (c === '"' || c === "'") {
      // string prefix letters (r, b, u, f and pairs) belong to the literal; in raw strings a
      // backslash still keeps the next quote inside, so escapes are skipped either way
      let start = i;
      let k = i;
      while (k > 0 && i - k < 2 && /[rRbBuUfF]/.test(text[k - 1])) k--;
      if (k < i && (k === 0 || !/\w/.test(text[k - 1]))) start = k;
      const triple = text.startsWith(c.repeat(3), i);
      let end: number;
      if (triple) {
        end = i + 3;
        while (end < n && !text.startsWith(c.repeat(3), end)) end += text[end] === '\\' ? 2 : 1;
        end = Math.min(n, end + 3);
      } else end = quoted(text, i, c, true);
      regions.push({ kind: 'string', start, end });
      i = end;
      continue;
    }
    i++;
  }
  return regions;
}

function lexShell(text: string): Region[] {
  const regions: Region[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const end = lineEnd(text, i);
      regions.push({ kind: 'comment', start: i, end });
      i = end;
    } else if (c === '"' || c === "'") {
      const end = quoted(text, i, c, c === '"', true);
      regions.push({ kind: 'string', start: i, end });
      i = end;
    } else i++;
  }
  return regions;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}

/** End (exclusive) of a quoted literal opened at `start`; single-line unless `multiline`. */
function quoted(
  text: string,
  start: number,
  quote: string,
  escapes: boolean,
  multiline = false,
): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (escapes && c === '\\') i += 2;
    else if (c === quote) return i + 1;
    else if (c === '\n' && !multiline) return i;
    else i++;
  }
  return text.length;
}

/** End of a template literal, skipping `${ … }` substitutions with nested braces and strings. */
function template(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '`') return i + 1;
    else if (c === '$' && text[i + 1] === '{') {
      let depth = 1;
      i += 2;
      while (i < text.length && depth > 0) {
        const d = text[i];
        if (d === '{') depth++;
        else if (d === '}') depth--;
        else if (d === '"' || d === "'") {
          i = quoted(text, i, d, true);
          continue;
        } else if (d === '`') {
          i = template(text, i);
          continue;
        }
        i++;
      }
    } else i++;
  }
  return text.length;
}

/** End of a regex literal starting at `start`, or -1 when the slash does not open one. */
function regexLiteral(text: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') return -1;
    if (c === '\\') i += 2;
    else {
      if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      else if (c === '/' && !inClass) {
        i++;
        while (i < text.length && /[a-z]/i.test(text[i])) i++;
        return i;
      }
      i++;
    }
  }
  return -1;
}

/** The region containing `offset` (binary search over the ordered regions). */
export function regionAt(regions: readonly Region[], offset: number): RegionKind {
  let lo = 0;
  let hi = regions.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = regions[mid];
    if (offset < r.start) hi = mid - 1;
    else if (offset >= r.end) lo = mid + 1;
    else return r.kind;
  }
  return 'code';
}
