import {
  decodeAscii85,
  decodeBase32,
  decodeBase64,
  decodeBase85,
  decodeHex,
  decompress,
  fernetDecrypt,
  MAX_DECODED_BYTES,
  rot13,
} from '../rules/shared/codecs.js';
import type { PyModule } from './module.js';
import type { PyNode as SyntaxNode } from './ast.js';
import { callArguments, stringLiteral } from './syntax.js';

/**
 * Partial evaluation of Python constant expressions, so that strings hidden behind concatenation,
 * `chr` lists, `[::-1]`, base64/hex/zlib, rot13 or a Fernet key shipped beside its token become
 * visible. Anything not constant evaluates to undefined; work is bounded per file.
 */

export type PyValue =
  | { t: 'str'; v: string }
  | { t: 'bytes'; v: Buffer }
  | { t: 'int'; v: number }
  | { t: 'list'; v: PyValue[] }
  | { t: 'none' }
  /** A code object (marshal.loads): opaque, but its origin is known. */
  | { t: 'code'; origin: string };

/** What an expression's value is derived from, even when the value itself is not constant. */
export type Origin =
  'decode' | 'network' | 'marshal' | 'decrypt' | 'file' | 'compress' | 'xor' | 'chars' | 'reverse';

export const DECODER_NAMES: Record<string, Origin> = {
  'base64.b64decode': 'decode',
  'base64.standard_b64decode': 'decode',
  'base64.urlsafe_b64decode': 'decode',
  'base64.b32decode': 'decode',
  'base64.b32hexdecode': 'decode',
  'base64.b16decode': 'decode',
  'base64.b85decode': 'decode',
  'base64.a85decode': 'decode',
  'base64.decodebytes': 'decode',
  'base64.decodestring': 'decode',
  'base64.decode': 'decode',
  'binascii.unhexlify': 'decode',
  'binascii.a2b_hex': 'decode',
  'binascii.a2b_base64': 'decode',
  'bytes.fromhex': 'decode',
  'bytearray.fromhex': 'decode',
  'codecs.decode': 'decode',
  'zlib.decompress': 'compress',
  'gzip.decompress': 'compress',
  'bz2.decompress': 'compress',
  'lzma.decompress': 'compress',
  'marshal.loads': 'marshal',
  'pickle.loads': 'marshal',
  'dill.loads': 'marshal',
};

/** Callees whose result is content read over the network. */
export const NETWORK_READERS = [
  /^requests\.(?:get|post|request|Session\(\)\.get)\(\)/,
  /^requests\.(?:get|post|request)$/,
  /^urllib\d?\.(?:request\.)?urlopen/,
  /^urllib\.request\.urlopen/,
  /^httpx\.(?:get|post|request)/,
  /^http\.client\.HTTPS?Connection/,
  /^urllib3\.PoolManager/,
  /^aiohttp\./,
  /^pycurl\./,
];

export interface EvalBudget {
  steps: number;
}

const MAX_STEPS = 20000;
const MAX_LIST = 100000;

export class Evaluator {
  private readonly module: PyModule;
  private budget: EvalBudget = { steps: MAX_STEPS };
  private readonly cache = new Map<number, PyValue | undefined>();
  private readonly active = new Set<number>();

  constructor(module: PyModule) {
    this.module = module;
    module.foldString = (node) => {
      const v = this.evaluate(node);
      return v?.t === 'str' ? v.v : v?.t === 'bytes' ? v.v.toString('latin1') : undefined;
    };
    module.resetQualified();
  }

  /** Fresh step budget: callers evaluating a new sink get their own allowance. */
  resetBudget(): void {
    this.budget = { steps: MAX_STEPS };
  }

  evaluate(node: SyntaxNode | null | undefined, env?: Map<string, PyValue>): PyValue | undefined {
    if (!node) return undefined;
    if (--this.budget.steps < 0) return undefined;
    if (env) return this.compute(node, env);
    if (this.cache.has(node.id)) return this.cache.get(node.id);
    if (this.active.has(node.id)) return undefined;
    this.active.add(node.id);
    let value: PyValue | undefined;
    try {
      value = this.compute(node, env);
    } catch {
      value = undefined;
    } finally {
      this.active.delete(node.id);
    }
    this.cache.set(node.id, value);
    return value;
  }

  /**
   * Text of an expression with unknown parts replaced by `*`: enough to see that
   * f'/home/{user}/.profile' writes a shell start-up file or that a URL goes to a webhook.
   */
  partialText(node: SyntaxNode | null | undefined, depth = 0): string | undefined {
    if (!node || depth > 6) return undefined;
    const whole = this.text(node);
    if (whole !== undefined) return whole;
    switch (node.type) {
      case 'string': {
        let out = '';
        for (const child of node.children) {
          if (child.type === 'string_content') out += child.text;
          else if (child.type === 'interpolation')
            out += this.partialText(child.namedChildren[0], depth + 1) ?? '*';
        }
        return out;
      }
      case 'concatenated_string':
        return node.namedChildren.map((c) => this.partialText(c, depth + 1) ?? '*').join('');
      case 'binary_operator': {
        if (node.childForFieldName('operator')?.text !== '+') return undefined;
        const l = this.partialText(node.childForFieldName('left'), depth + 1) ?? '*';
        const r = this.partialText(node.childForFieldName('right'), depth + 1) ?? '*';
        return l === '*' && r === '*' ? undefined : l + r;
      }
      case 'call': {
        const fn = this.module.qualify(node.childForFieldName('function'));
        const args = callArguments(node).positional;
        if (fn && /^(?:os\.path\.join|posixpath\.join|ntpath\.join|pathlib\.Path|Path)$/.test(fn)) {
          return args.map((a) => this.partialText(a, depth + 1) ?? '*').join('/');
        }
        if (
          fn &&
          /^(?:os\.path\.(?:expanduser|expandvars|abspath|realpath|normpath)|str)$/.test(fn) &&
          args[0]
        )
          return this.partialText(args[0], depth + 1);
        if (fn && /\.(?:format|replace|strip|encode|decode)$/.test(fn)) {
          return this.partialText(
            node.childForFieldName('function')?.childForFieldName('object'),
            depth + 1,
          );
        }
        return undefined;
      }
      case 'identifier': {
        const values = this.module.assignedValues(node.text, node);
        return values.length === 1 ? this.partialText(values[0].node, depth + 1) : undefined;
      }
      default:
        return undefined;
    }
  }

  /** The evaluated value as text (str as-is, bytes as latin1), or undefined. */
  text(node: SyntaxNode | null | undefined): string | undefined {
    const v = this.evaluate(node);
    return v ? asText(v) : undefined;
  }

  private compute(node: SyntaxNode, env?: Map<string, PyValue>): PyValue | undefined {
    switch (node.type) {
      case 'string': {
        const lit = stringLiteral(node);
        if (!lit) return undefined;
        if (lit.formatted && node.namedChildren.some((c) => c.type === 'interpolation')) {
          return this.formatString(node, env);
        }
        return lit.bytes
          ? { t: 'bytes', v: Buffer.from(lit.value, 'latin1') }
          : { t: 'str', v: lit.value };
      }
      case 'concatenated_string':
        return this.concat(node.namedChildren.map((c) => this.evaluate(c, env)));
      case 'integer': {
        const text = node.text.replace(/_/g, '').toLowerCase();
        const n = text.startsWith('0x')
          ? parseInt(text.slice(2), 16)
          : text.startsWith('0o')
            ? parseInt(text.slice(2), 8)
            : text.startsWith('0b')
              ? parseInt(text.slice(2), 2)
              : parseInt(text, 10);
        return Number.isFinite(n) ? { t: 'int', v: n } : undefined;
      }
      case 'none':
        return { t: 'none' };
      case 'parenthesized_expression':
        return this.evaluate(node.namedChildren[0], env);
      case 'list':
      case 'tuple':
      case 'expression_list': {
        const items: PyValue[] = [];
        for (const child of node.namedChildren) {
          if (child.type === 'comment') continue;
          const v = this.evaluate(child, env);
          if (!v) return undefined;
          items.push(v);
        }
        return { t: 'list', v: items };
      }
      case 'unary_operator': {
        const v = this.evaluate(node.childForFieldName('argument'), env);
        const op = node.childForFieldName('operator')?.text ?? node.child(0)?.text;
        if (v?.t !== 'int') return undefined;
        if (op === '-') return { t: 'int', v: -v.v };
        if (op === '~') return { t: 'int', v: ~v.v };
        return v;
      }
      case 'binary_operator':
        return this.binary(node, env);
      case 'identifier':
        return this.identifier(node, env);
      case 'subscript':
        return this.subscript(node, env);
      case 'call':
        return this.call(node, env);
      case 'list_comprehension':
      case 'generator_expression':
        return this.comprehension(node, env);
      case 'conditional_expression':
        return undefined;
      default:
        return undefined;
    }
  }

  private formatString(node: SyntaxNode, env?: Map<string, PyValue>): PyValue | undefined {
    let out = '';
    for (const child of node.children) {
      if (child.type === 'string_content') out += child.text;
      else if (child.type === 'interpolation') {
        const v = this.evaluate(
          child.childForFieldName('expression') ?? child.namedChildren[0],
          env,
        );
        if (!v) return undefined;
        const text = asText(v);
        if (text === undefined) return undefined;
        out += text;
      }
    }
    return { t: 'str', v: out };
  }

  private concat(values: (PyValue | undefined)[]): PyValue | undefined {
    if (values.some((v) => !v)) return undefined;
    const vs = values as PyValue[];
    if (vs.every((v) => v.t === 'str'))
      return { t: 'str', v: vs.map((v) => (v as { v: string }).v).join('') };
    if (vs.every((v) => v.t === 'bytes'))
      return { t: 'bytes', v: Buffer.concat(vs.map((v) => (v as { v: Buffer }).v)) };
    return undefined;
  }

  private binary(node: SyntaxNode, env?: Map<string, PyValue>): PyValue | undefined {
    const op = node.childForFieldName('operator')?.text;
    const left = this.evaluate(node.childForFieldName('left'), env);
    if (!left) return undefined;
    const right = this.evaluate(node.childForFieldName('right'), env);
    if (!right) return undefined;
    if (op === '+') {
      if (left.t === 'int' && right.t === 'int') return { t: 'int', v: left.v + right.v };
      if (left.t === 'list' && right.t === 'list') return { t: 'list', v: [...left.v, ...right.v] };
      return this.concat([left, right]);
    }
    if (op === '*') {
      if (left.t === 'int' && right.t === 'int') return { t: 'int', v: left.v * right.v };
      const [seq, count] =
        left.t === 'int' ? [right, left.v] : [left, right.t === 'int' ? right.v : -1];
      if (count < 0 || count > 10000) return undefined;
      if (seq.t === 'str' && seq.v.length * count <= MAX_DECODED_BYTES)
        return { t: 'str', v: seq.v.repeat(count) };
      return undefined;
    }
    if (op === '%' && left.t === 'str') {
      const args = right.t === 'list' ? right.v : [right];
      let i = 0;
      let failed = false;
      const out = left.v.replace(/%[sdr%]/g, (m) => {
        if (m === '%%') return '%';
        const a = args[i++];
        const text = a ? (a.t === 'int' ? String(a.v) : asText(a)) : undefined;
        if (text === undefined) failed = true;
        return text ?? '';
      });
      return failed ? undefined : { t: 'str', v: out };
    }
    if (left.t !== 'int' || right.t !== 'int') return undefined;
    switch (op) {
      case '-':
        return { t: 'int', v: left.v - right.v };
      case '^':
        return { t: 'int', v: left.v ^ right.v };
      case '&':
        return { t: 'int', v: left.v & right.v };
      case '|':
        return { t: 'int', v: left.v | right.v };
      case '//':
        return right.v === 0 ? undefined : { t: 'int', v: Math.floor(left.v / right.v) };
      case '%':
        return right.v === 0
          ? undefined
          : { t: 'int', v: ((left.v % right.v) + right.v) % right.v };
      case '<<':
        return { t: 'int', v: left.v << right.v };
      case '>>':
        return { t: 'int', v: left.v >> right.v };
      default:
        return undefined;
    }
  }

  private identifier(node: SyntaxNode, env?: Map<string, PyValue>): PyValue | undefined {
    const name = node.text;
    const local = env?.get(name);
    if (local) return local;
    if (name === 'None') return { t: 'none' };
    const values = this.module.assignedValues(name, node);
    if (values.length === 0) return undefined;
    // `s = ''` followed by `s += '...'` lines: fold the sequence when every piece is constant
    if (values.length > 1) {
      if (values[0].augment || values.slice(1).some((v) => !v.augment)) {
        // several plain assignments: constant only when they all agree
        const all = values.map((v) => this.evaluate(v.node));
        const first = all[0];
        if (!first || values.some((v) => v.augment)) return undefined;
        const same = all.every(
          (v) => v && JSON.stringify(summary(v)) === JSON.stringify(summary(first)),
        );
        return same ? first : undefined;
      }
      if (this.insideLoop(values[1].node)) return undefined;
      return this.concat(values.map((v) => this.evaluate(v.node)));
    }
    return this.evaluate(values[0].node);
  }

  private insideLoop(node: SyntaxNode): boolean {
    for (let p = node.parent; p; p = p.parent) {
      if (p.type === 'for_statement' || p.type === 'while_statement') return true;
      if (p.type === 'function_definition' || p.type === 'module') return false;
    }
    return false;
  }

  private subscript(node: SyntaxNode, env?: Map<string, PyValue>): PyValue | undefined {
    const value = this.evaluate(node.childForFieldName('value'), env);
    const key = node.childForFieldName('subscript');
    if (!value || !key) return undefined;
    if (key.type === 'slice') {
      const parts: (number | undefined)[] = [undefined, undefined, undefined];
      let slot = 0;
      for (const child of key.children) {
        if (child.type === ':') {
          slot++;
          continue;
        }
        const v = this.evaluate(child, env);
        if (v?.t !== 'int') return undefined;
        parts[slot] = v.v;
      }
      return slice(value, parts[0], parts[1], parts[2]);
    }
    const index = this.evaluate(key, env);
    if (index?.t !== 'int') return undefined;
    const seq = value.t === 'list' ? value.v : undefined;
    if (seq) return seq.at(index.v);
    if (value.t === 'str') {
      const c = value.v.at(index.v);
      return c === undefined ? undefined : { t: 'str', v: c };
    }
    if (value.t === 'bytes') {
      const b = value.v.at(index.v);
      return b === undefined ? undefined : { t: 'int', v: b };
    }
    return undefined;
  }

  private comprehension(node: SyntaxNode, env?: Map<string, PyValue>): PyValue | undefined {
    const body = node.childForFieldName('body');
    const clauses = node.namedChildren.filter((c) => c.type === 'for_in_clause');
    if (!body || clauses.length !== 1 || node.namedChildren.some((c) => c.type === 'if_clause'))
      return undefined;
    const variable = clauses[0].childForFieldName('left');
    const source = this.evaluate(clauses[0].childForFieldName('right'), env);
    const items = source ? iterate(source) : undefined;
    if (!variable || variable.type !== 'identifier' || !items || items.length > MAX_LIST)
      return undefined;
    const out: PyValue[] = [];
    for (const item of items) {
      const scope = new Map(env ?? []);
      scope.set(variable.text, item);
      const v = this.evaluate(body, scope);
      if (!v) return undefined;
      out.push(v);
    }
    return { t: 'list', v: out };
  }

  private call(node: SyntaxNode, env?: Map<string, PyValue>): PyValue | undefined {
    let fn = node.childForFieldName('function');
    if (!fn) return undefined;
    // `_ = "".join` … `_(parts)`: a method of a constant bound to a short name
    if (fn.type === 'identifier' && !env?.has(fn.text)) {
      const bound = this.module.bindings(fn.text, fn);
      const target = bound.length === 1 && bound[0].kind === 'value' ? bound[0].node : undefined;
      if (
        target?.type === 'attribute' &&
        /^(?:string|concatenated_string)$/.test(target.childForFieldName('object')?.type ?? '')
      )
        fn = target;
    }
    const args = callArguments(node);
    const arg = (i: number) => this.evaluate(args.positional[i], env);
    // methods on a constant receiver: 'sep'.join(...), x.decode(), x[::-1].encode()
    if (fn.type === 'attribute') {
      const method = fn.childForFieldName('attribute')?.text ?? '';
      const objectNode = fn.childForFieldName('object');
      const qualified = this.module.qualify(fn);
      if (qualified && !isMethodOnValue(qualified)) {
        const fromModule = this.moduleCall(qualified, args.positional, env, args.keywords);
        if (fromModule !== undefined) return fromModule;
      }
      if (
        objectNode?.type === 'identifier' &&
        (objectNode.text === 'bytes' || objectNode.text === 'bytearray') &&
        method === 'fromhex'
      ) {
        const s = arg(0);
        const out = s?.t === 'str' ? decodeHex(s.v) : undefined;
        return out ? { t: 'bytes', v: out } : undefined;
      }
      const receiver = this.evaluate(objectNode, env);
      if (!receiver) {
        // Fernet(key).decrypt(token)
        if (method === 'decrypt' && objectNode?.type === 'call') {
          const ctor = this.module.qualify(objectNode.childForFieldName('function'));
          if (ctor && /(?:^|\.)Fernet$/.test(ctor)) {
            const key = this.evaluate(callArguments(objectNode).positional[0], env);
            const token = arg(0);
            const keyText = key ? asText(key) : undefined;
            const tokenText = token ? asText(token) : undefined;
            const out = keyText && tokenText ? fernetDecrypt(keyText, tokenText) : undefined;
            return out ? { t: 'bytes', v: out } : undefined;
          }
        }
        return undefined;
      }
      return this.method(
        receiver,
        method,
        args.positional.map((a) => this.evaluate(a, env)),
      );
    }
    const name = this.module.qualify(fn);
    if (!name) return undefined;
    return this.moduleCall(name, args.positional, env, args.keywords);
  }

  private method(
    receiver: PyValue,
    method: string,
    args: (PyValue | undefined)[],
  ): PyValue | undefined {
    const a0 = args[0];
    if (receiver.t === 'str') {
      switch (method) {
        case 'join': {
          const items = a0 ? iterate(a0) : undefined;
          if (!items || items.some((i) => i.t !== 'str')) return undefined;
          return { t: 'str', v: items.map((i) => (i as { v: string }).v).join(receiver.v) };
        }
        case 'encode':
          return {
            t: 'bytes',
            v: Buffer.from(receiver.v, encodingOf(a0) === 'latin1' ? 'latin1' : 'utf8'),
          };
        case 'replace': {
          const from = args[0];
          const to = args[1];
          if (from?.t !== 'str' || to?.t !== 'str') return undefined;
          return { t: 'str', v: receiver.v.split(from.v).join(to.v) };
        }
        case 'strip':
          return { t: 'str', v: receiver.v.trim() };
        case 'lower':
          return { t: 'str', v: receiver.v.toLowerCase() };
        case 'upper':
          return { t: 'str', v: receiver.v.toUpperCase() };
        case 'format': {
          let i = 0;
          let failed = false;
          const out = receiver.v.replace(/\{(\d*)\}/g, (_m, idx: string) => {
            const v = args[idx === '' ? i++ : Number(idx)];
            const text = v ? (v.t === 'int' ? String(v.v) : asText(v)) : undefined;
            if (text === undefined) failed = true;
            return text ?? '';
          });
          return failed ? undefined : { t: 'str', v: out };
        }
        case 'split': {
          if (a0 && a0.t !== 'str') return undefined;
          const parts = a0 ? receiver.v.split(a0.v) : receiver.v.trim().split(/\s+/);
          return { t: 'list', v: parts.map((p) => ({ t: 'str', v: p })) };
        }
        default:
          return undefined;
      }
    }
    if (receiver.t === 'bytes') {
      switch (method) {
        case 'decode': {
          const enc = encodingOf(a0);
          if (enc === 'rot13') return { t: 'str', v: rot13(receiver.v.toString('latin1')) };
          return { t: 'str', v: receiver.v.toString(enc === 'latin1' ? 'latin1' : 'utf8') };
        }
        case 'join': {
          const items = a0 ? iterate(a0) : undefined;
          if (!items || items.some((i) => i.t !== 'bytes')) return undefined;
          return { t: 'bytes', v: Buffer.concat(items.map((i) => (i as { v: Buffer }).v)) };
        }
        case 'hex':
          return { t: 'str', v: receiver.v.toString('hex') };
        default:
          return undefined;
      }
    }
    return undefined;
  }

  private moduleCall(
    name: string,
    argNodes: SyntaxNode[],
    env: Map<string, PyValue> | undefined,
    keywords: Map<string, SyntaxNode>,
  ): PyValue | undefined {
    const arg = (i: number) => this.evaluate(argNodes[i], env);
    const textArg = (i: number) => {
      const v = arg(i);
      return v ? asText(v) : undefined;
    };
    const bytesOut = (b: Buffer | undefined): PyValue | undefined =>
      b ? { t: 'bytes', v: b } : undefined;
    switch (name) {
      case 'base64.b64decode':
      case 'base64.standard_b64decode':
      case 'base64.decodebytes':
      case 'base64.decodestring':
      case 'binascii.a2b_base64': {
        const s = textArg(0);
        const altchars = keywords.get('altchars');
        return bytesOut(s === undefined ? undefined : decodeBase64(s, altchars !== undefined));
      }
      case 'base64.urlsafe_b64decode': {
        const s = textArg(0);
        return bytesOut(s === undefined ? undefined : decodeBase64(s, true));
      }
      case 'base64.b32decode': {
        const s = textArg(0);
        return bytesOut(s === undefined ? undefined : decodeBase32(s));
      }
      case 'base64.b16decode':
      case 'binascii.unhexlify':
      case 'binascii.a2b_hex':
      case 'bytes.fromhex':
      case 'bytearray.fromhex': {
        const s = textArg(0);
        return bytesOut(s === undefined ? undefined : decodeHex(s));
      }
      case 'base64.b85decode': {
        const s = textArg(0);
        return bytesOut(s === undefined ? undefined : decodeBase85(s));
      }
      case 'base64.a85decode': {
        const s = textArg(0);
        return bytesOut(s === undefined ? undefined : decodeAscii85(s));
      }
      case 'zlib.decompress':
      case 'gzip.decompress': {
        const v = arg(0);
        const data = v?.t === 'bytes' ? v.v : undefined;
        return bytesOut(
          data ? decompress(data, name === 'gzip.decompress' ? 'gzip' : 'zlib') : undefined,
        );
      }
      case 'codecs.decode':
      case 'codecs.encode': {
        const v = arg(0);
        const enc = textArg(1)?.toLowerCase().replace(/[-_]/g, '');
        if (!v) return undefined;
        const text = asText(v);
        if (text === undefined) return undefined;
        if (enc === 'rot13') return { t: 'str', v: rot13(text) };
        if (name === 'codecs.decode' && enc === 'hex') return bytesOut(decodeHex(text));
        if (name === 'codecs.decode' && enc === 'base64') return bytesOut(decodeBase64(text));
        if (name === 'codecs.decode' && (enc === 'zlib' || enc === 'zip') && v.t === 'bytes')
          return bytesOut(decompress(v.v, 'zlib'));
        if (name === 'codecs.decode' && v.t === 'bytes')
          return { t: 'str', v: v.v.toString('utf8') };
        return undefined;
      }
      case 'marshal.loads':
        return arg(0) ? { t: 'code', origin: 'marshal' } : undefined;
      case 'chr': {
        const v = arg(0);
        return v?.t === 'int' && v.v >= 0 && v.v <= 0x10ffff
          ? { t: 'str', v: String.fromCodePoint(v.v) }
          : undefined;
      }
      case 'ord': {
        const v = arg(0);
        return v?.t === 'str' && v.v.length >= 1
          ? { t: 'int', v: v.v.codePointAt(0) ?? 0 }
          : undefined;
      }
      case 'int': {
        const v = arg(0);
        const base = arg(1);
        if (v?.t === 'int') return v;
        if (v?.t === 'str') {
          const n = parseInt(v.v.trim(), base?.t === 'int' ? base.v : 10);
          return Number.isFinite(n) ? { t: 'int', v: n } : undefined;
        }
        return undefined;
      }
      case 'str': {
        const v = arg(0);
        if (v?.t === 'str') return v;
        if (v?.t === 'int') return { t: 'str', v: String(v.v) };
        if (v?.t === 'bytes' && argNodes.length >= 2) return { t: 'str', v: v.v.toString('utf8') };
        return undefined;
      }
      case 'bytes':
      case 'bytearray': {
        const v = arg(0);
        if (v?.t === 'list' && v.v.every((i) => i.t === 'int'))
          return { t: 'bytes', v: Buffer.from(v.v.map((i) => (i as { v: number }).v & 0xff)) };
        if (v?.t === 'str')
          return {
            t: 'bytes',
            v: Buffer.from(v.v, encodingOf(arg(1)) === 'latin1' ? 'latin1' : 'utf8'),
          };
        if (v?.t === 'bytes') return v;
        return undefined;
      }
      case 'list':
      case 'tuple': {
        const v = arg(0);
        const items = v ? iterate(v) : undefined;
        return items ? { t: 'list', v: items } : undefined;
      }
      case 'reversed': {
        const v = arg(0);
        const items = v ? iterate(v) : undefined;
        return items ? { t: 'list', v: [...items].reverse() } : undefined;
      }
      case 'os.path.join':
      case 'posixpath.join':
      case 'ntpath.join': {
        const parts = argNodes.map((_, i) => textArg(i));
        if (parts.some((p) => p === undefined)) return undefined;
        return { t: 'str', v: (parts as string[]).join(name === 'ntpath.join' ? '\\' : '/') };
      }
      case 'map': {
        const fnName = this.module.qualify(argNodes[0]);
        const v = arg(1);
        const items = v ? iterate(v) : undefined;
        if (!fnName || !items || items.length > MAX_LIST) return undefined;
        const out: PyValue[] = [];
        for (const item of items) {
          const r = applyBuiltin(fnName, item);
          if (!r) return undefined;
          out.push(r);
        }
        return { t: 'list', v: out };
      }
      default:
        return undefined;
    }
  }
}

function applyBuiltin(name: string, v: PyValue): PyValue | undefined {
  if (name === 'chr' && v.t === 'int' && v.v >= 0 && v.v <= 0x10ffff)
    return { t: 'str', v: String.fromCodePoint(v.v) };
  if (name === 'ord' && v.t === 'str' && v.v.length >= 1)
    return { t: 'int', v: v.v.codePointAt(0) ?? 0 };
  if (name === 'int' && v.t === 'str') {
    const n = parseInt(v.v, 10);
    return Number.isFinite(n) ? { t: 'int', v: n } : undefined;
  }
  if (name === 'str' && v.t === 'str') return v;
  return undefined;
}

function isMethodOnValue(qualified: string): boolean {
  // `x.decode` where x is a local value qualifies to a name ending in a method: not a module call
  return !/^(?:base64|binascii|zlib|gzip|codecs|marshal|bytes|bytearray)\./.test(qualified);
}

function encodingOf(v: PyValue | undefined): string {
  const text = v?.t === 'str' ? v.v.toLowerCase().replace(/[-_]/g, '') : 'utf8';
  if (text === 'latin1' || text === 'iso88591' || text === 'ascii') return 'latin1';
  if (text === 'rot13') return 'rot13';
  return 'utf8';
}

export function asText(v: PyValue): string | undefined {
  if (v.t === 'str') return v.v;
  if (v.t === 'bytes') return v.v.toString('latin1');
  return undefined;
}

function iterate(v: PyValue): PyValue[] | undefined {
  if (v.t === 'list') return v.v;
  if (v.t === 'str') return [...v.v].map((c) => ({ t: 'str', v: c }) as PyValue);
  if (v.t === 'bytes') return [...v.v].map((b) => ({ t: 'int', v: b }) as PyValue);
  return undefined;
}

function slice(value: PyValue, start?: number, stop?: number, step?: number): PyValue | undefined {
  const s = step ?? 1;
  if (s === 0) return undefined;
  const pick = <T>(items: T[]): T[] => {
    const n = items.length;
    const norm = (i: number | undefined, def: number) =>
      i === undefined
        ? def
        : i < 0
          ? Math.max(i + n, s < 0 ? -1 : 0)
          : Math.min(i, s < 0 ? n - 1 : n);
    const out: T[] = [];
    if (s > 0) for (let i = norm(start, 0); i < norm(stop, n); i += s) out.push(items[i]);
    else for (let i = norm(start, n - 1); i > norm(stop, -1); i += s) out.push(items[i]);
    return out;
  };
  if (value.t === 'str') return { t: 'str', v: pick([...value.v]).join('') };
  if (value.t === 'bytes') return { t: 'bytes', v: Buffer.from(pick([...value.v])) };
  if (value.t === 'list') return { t: 'list', v: pick(value.v) };
  return undefined;
}

function summary(v: PyValue): unknown {
  if (v.t === 'bytes') return ['b', v.v.toString('latin1')];
  if (v.t === 'list') return v.v.map(summary);
  return v;
}
