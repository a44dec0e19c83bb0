import type { PyNode as SyntaxNode } from './ast.js';

export { forEachNode } from './ast.js';

/**
 * The source with comments and triple-quoted strings (docstrings) blanked out, for the cheap
 * "could this file do anything?" test: a generated SDK whose docstrings say "system" and
 * "requests" thousands of times has no code that does either. Single-line strings are kept,
 * since `getattr(os, 'system')` names its sink in one.
 */
export function codeWithoutProse(source: string): string {
  const parts: string[] = [];
  const special = /[#'"]/g;
  let from = 0;
  let i = 0;
  while (i < source.length) {
    special.lastIndex = i;
    const m = special.exec(source);
    if (!m) break;
    const at = m.index;
    const c = source[at];
    if (c === '#') {
      parts.push(source.slice(from, at));
      const end = source.indexOf('\n', at);
      from = i = end < 0 ? source.length : end;
      continue;
    }
    const triple = source.startsWith(c + c + c, at);
    if (triple) {
      parts.push(source.slice(from, at), ' ');
      let end = at + 3;
      for (;;) {
        const close = source.indexOf(c + c + c, end);
        if (close < 0) {
          end = source.length;
          break;
        }
        if (!escaped(source, close)) {
          end = close + 3;
          break;
        }
        end = close + 1;
      }
      from = i = end;
      continue;
    }
    // a one-line string: skip to its closing quote so a '#' inside is not a comment
    let j = at + 1;
    while (j < source.length && source[j] !== c && source[j] !== '\n')
      j += source[j] === '\\' ? 2 : 1;
    i = j + 1;
  }
  parts.push(source.slice(from));
  return parts.join('');
}

function escaped(source: string, index: number): boolean {
  let slashes = 0;
  for (let k = index - 1; k >= 0 && source[k] === '\\'; k--) slashes++;
  return slashes % 2 === 1;
}

/** 1-based line of a node. */
export function lineOf(node: SyntaxNode): number {
  return node.startPosition.row + 1;
}

/** The arguments of a call: positional nodes in order and keyword nodes by name. */
export interface CallArguments {
  positional: SyntaxNode[];
  keywords: Map<string, SyntaxNode>;
}

export function callArguments(call: SyntaxNode): CallArguments {
  const positional: SyntaxNode[] = [];
  const keywords = new Map<string, SyntaxNode>();
  const list = call.childForFieldName('arguments');
  if (!list) return { positional, keywords };
  if (list.type === 'generator_expression') return { positional: [list], keywords };
  for (const arg of list.namedChildren) {
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name')?.text;
      const value = arg.childForFieldName('value');
      if (name && value) keywords.set(name, value);
    } else if (arg.type !== 'comment') {
      positional.push(arg);
    }
  }
  return { positional, keywords };
}

export interface PyStringLiteral {
  /** str value, or for bytes literals the bytes as latin1 characters. */
  value: string;
  bytes: boolean;
  /** f-string with interpolations: value holds only the literal parts. */
  formatted: boolean;
}

/** Decodes one `string` node (prefixes, quotes, escapes) the way Python reads it. */
export function stringLiteral(node: SyntaxNode): PyStringLiteral | undefined {
  const text = node.text;
  const prefix = /^[rRbBuUfF]*/.exec(text)?.[0] ?? '';
  const lower = prefix.toLowerCase();
  const rest = text.slice(prefix.length);
  const quote =
    rest.startsWith('"""') || rest.startsWith("'''") ? rest.slice(0, 3) : rest.slice(0, 1);
  if (quote !== '"' && quote !== "'" && quote !== '"""' && quote !== "'''") return undefined;
  let body = rest.slice(quote.length);
  if (body.endsWith(quote)) body = body.slice(0, body.length - quote.length);
  const formatted = lower.includes('f');
  if (formatted) body = stripInterpolations(body);
  const bytes = lower.includes('b');
  const value = lower.includes('r') ? body : unescapePython(body, bytes);
  return { value, bytes, formatted };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '\n': '',
};

export function unescapePython(body: string, bytes: boolean): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const next = body[i + 1];
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      i++;
    } else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 2, i + 4))) {
      out += String.fromCharCode(parseInt(body.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (!bytes && next === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 2, i + 6))) {
      out += String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16));
      i += 5;
    } else if (!bytes && next === 'U' && /^[0-9a-fA-F]{8}$/.test(body.slice(i + 2, i + 10))) {
      const cp = parseInt(body.slice(i + 2, i + 10), 16);
      out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
      i += 9;
    } else if (/[0-7]/.test(next)) {
      const digits = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0] ?? '0';
      out += String.fromCharCode(parseInt(digits, 8) & (bytes ? 0xff : 0x1ff));
      i += digits.length;
    } else if (next === '\r' && body[i + 2] === '\n') {
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

/** Enclosing function definition (or lambda), or undefined at module/class level. */
export function enclosingFunction(node: SyntaxNode): SyntaxNode | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda') return p;
  }
  return undefined;
}

export function enclosingClass(node: SyntaxNode): SyntaxNode | undefined {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'class_definition') return p;
  return undefined;
}

/** The literal text of an f-string body: `{expr}` parts dropped, `{{`/`}}` kept as braces. */
function stripInterpolations(body: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (depth === 0 && (c === '{' || c === '}') && body[i + 1] === c) {
      out += c;
      i++;
    } else if (c === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return out;
}
