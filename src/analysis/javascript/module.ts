import type { Node as AcornNode, Program } from 'acorn';
import { decodeBase64, decodeHex, MAX_DECODED_BYTES } from '../rules/shared/codecs.js';

/**
 * Name resolution and constant folding over one JavaScript file: which module a name holds
 * (`const cp = require('child' + '_process')`, `const { exec: run } = require('node:child_process')`,
 * `import * as h from 'https'`, `process.mainModule.require`), and what strings hidden behind
 * `String.fromCharCode`, `Buffer.from(…, 'base64'|'hex')`, `atob`, reversal and joins really say.
 * Bindings are per file (not per scope): packages rarely reuse a name for two different modules,
 * and a conflict makes the name unknown rather than wrong.
 */

// acorn's ESTree nodes, loosely typed: rules only read a handful of fields.
export type JsNode = AcornNode & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type JsValue =
  | { t: 'str'; v: string }
  | { t: 'bytes'; v: Buffer }
  | { t: 'num'; v: number }
  | { t: 'arr'; v: JsValue[] };

type Binding =
  | { kind: 'module'; name: string }
  | { kind: 'value'; node: JsNode }
  | { kind: 'param'; fn: JsNode };

const GLOBAL_OBJECTS = new Set(['global', 'globalThis', 'window', 'self']);
/**
 * Parent link stored on the node under a symbol (for-in walks skip symbols): a WeakMap with a
 * million entries made indexing a big bundle the slowest step.
 */
const PARENT = Symbol('parent');
type Linked = { [PARENT]?: JsNode };

/** ESTree keys that never hold child nodes (`value` and `expression` sometimes do). */
const SCALAR_KEYS = new Set([
  'type',
  'start',
  'end',
  'loc',
  'range',
  'name',
  'raw',
  'operator',
  'computed',
  'kind',
  'static',
  'async',
  'generator',
  'prefix',
  'optional',
  'method',
  'shorthand',
  'sourceType',
  'regex',
  'bigint',
  'directive',
  'delegate',
  'tail',
  'cooked',
]);
const MAX_STEPS = 20000;

export class JsModule {
  readonly program: Program;
  readonly source: string;
  /** Scope node (Program, function, block) → name → bindings declared there. */
  private readonly scopes = new Map<JsNode, Map<string, Binding[]>>();
  readonly calls: JsNode[] = [];
  readonly news: JsNode[] = [];
  readonly strings: JsNode[] = [];
  readonly members: JsNode[] = [];
  readonly functions = new Map<string, JsNode>();
  /** Parent links, filled by the indexing walk. */
  readonly parents = {
    get: (node: JsNode): JsNode | undefined => (node as Linked)[PARENT],
    set: (node: JsNode, parent: JsNode): void => {
      (node as Linked)[PARENT] = parent;
    },
  };
  private steps = MAX_STEPS;
  private readonly qualified = new WeakMap<JsNode, string | null>();
  private readonly cache = new WeakMap<JsNode, JsValue | null>();
  private lineStarts?: Uint32Array;

  constructor(program: Program, source: string) {
    this.program = program;
    this.source = source;
    this.index(program as JsNode);
  }

  /**
   * 1-based line of a character offset. Lines come from a table of line starts rather than from
   * acorn's `locations`, which allocates three objects per node and slows big bundles down.
   */
  lineOf(offset: number): number {
    if (!this.lineStarts) {
      const starts = [0];
      const source = this.source;
      for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1))
        starts.push(i + 1);
      this.lineStarts = Uint32Array.from(starts);
    }
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private index(root: JsNode): void {
    const stack: JsNode[] = [root];
    while (stack.length) {
      const node = stack.pop() as JsNode;
      this.visit(node);
      for (const key in node) {
        if (SCALAR_KEYS.has(key)) continue;
        const value = node[key];
        if (Array.isArray(value)) {
          for (let i = value.length - 1; i >= 0; i--) {
            const child = value[i];
            if (child && typeof child.type === 'string') {
              this.parents.set(child, node);
              stack.push(child);
            }
          }
        } else if (value && typeof value === 'object' && typeof value.type === 'string') {
          this.parents.set(value, node);
          stack.push(value);
        }
      }
    }
  }

  private visit(node: JsNode): void {
    switch (node.type) {
      case 'CallExpression':
        this.calls.push(node);
        break;
      case 'NewExpression':
        this.news.push(node);
        break;
      case 'Literal':
        if (typeof node.value === 'string' || node.regex) this.strings.push(node);
        break;
      case 'TemplateLiteral':
        this.strings.push(node);
        break;
      case 'MemberExpression':
        this.members.push(node);
        break;
      case 'VariableDeclarator': {
        const declaration = this.parents.get(node);
        const block = declaration?.kind === 'let' || declaration?.kind === 'const';
        if (node.init) this.bindPattern(node.id, node.init, this.scopeFor(node, block));
        break;
      }
      case 'AssignmentExpression':
        if ((node.operator === '=' || node.operator === '+=') && node.left.type === 'Identifier') {
          this.bindAssignment(node.left.name, { kind: 'value', node: node.right }, node);
        }
        break;
      case 'ImportDeclaration': {
        const source = String(node.source.value).replace(/^node:/, '');
        for (const spec of node.specifiers) {
          if (spec.type === 'ImportSpecifier') {
            const imported =
              spec.imported.type === 'Identifier'
                ? spec.imported.name
                : String(spec.imported.value);
            this.bind(this.program as JsNode, spec.local.name, {
              kind: 'module',
              name: `${source}.${imported}`,
            });
          } else {
            this.bind(this.program as JsNode, spec.local.name, { kind: 'module', name: source });
          }
        }
        break;
      }
      case 'FunctionDeclaration':
        if (node.id) this.functions.set(node.id.name, node);
        for (const p of node.params)
          if (p.type === 'Identifier') this.bind(node, p.name, { kind: 'param', fn: node });
        break;
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        for (const p of node.params)
          if (p.type === 'Identifier') this.bind(node, p.name, { kind: 'param', fn: node });
        break;
    }
  }

  private bindPattern(id: JsNode, init: JsNode, scope: JsNode): void {
    if (id.type === 'Identifier') {
      this.bind(scope, id.name, { kind: 'value', node: init });
    } else if (id.type === 'ObjectPattern') {
      const base = this.qualify(init);
      for (const prop of id.properties) {
        if (prop.type !== 'Property') continue;
        const key = prop.key.type === 'Identifier' ? prop.key.name : this.text(prop.key);
        const local = prop.value.type === 'AssignmentPattern' ? prop.value.left : prop.value;
        if (key && local.type === 'Identifier' && base)
          this.bind(scope, local.name, { kind: 'module', name: `${base}.${key}` });
      }
    }
  }

  /** Declaring scope: the nearest function (var) or block (let/const), else the program. */
  private scopeFor(node: JsNode, block: boolean): JsNode {
    for (let p = this.parents.get(node); p; p = this.parents.get(p)) {
      if (
        p.type === 'FunctionDeclaration' ||
        p.type === 'FunctionExpression' ||
        p.type === 'ArrowFunctionExpression'
      )
        return p;
      if (
        block &&
        (p.type === 'BlockStatement' ||
          p.type === 'ForStatement' ||
          p.type === 'ForInStatement' ||
          p.type === 'ForOfStatement' ||
          p.type === 'SwitchStatement')
      )
        return p;
    }
    return this.program as JsNode;
  }

  private bind(scope: JsNode, name: string, binding: Binding): void {
    let names = this.scopes.get(scope);
    if (!names) this.scopes.set(scope, (names = new Map()));
    const list = names.get(name);
    if (list) list.push(binding);
    else names.set(name, [binding]);
  }

  /** `x = value` adds to the binding it assigns (or to an implicit global). */
  private bindAssignment(name: string, binding: Binding, at: JsNode): void {
    const existing = this.lookup(name, at);
    if (existing) existing.push(binding);
    else this.bind(this.program as JsNode, name, binding);
  }

  private lookup(name: string, from: JsNode): Binding[] | undefined {
    for (let p: JsNode | undefined = from; p; p = this.parents.get(p)) {
      const found = this.scopes.get(p)?.get(name);
      if (found) return found;
    }
    return this.scopes.get(this.program as JsNode)?.get(name);
  }

  parent(node: JsNode): JsNode | undefined {
    return this.parents.get(node);
  }

  /** Bindings of a name (assignments, parameters, imports). */
  bindingsOf(identifier: JsNode): Binding[] {
    return this.lookup(identifier.name, identifier) ?? [];
  }

  /**
   * Canonical dotted name: `cp.exec` → `child_process.exec`, `require('https').get` →
   * `https.get`, `global['ev' + 'al']` → `eval`, `process.mainModule.require('fs')` → `fs`.
   */
  qualify(node: JsNode | null | undefined, depth = 0): string | undefined {
    if (!node || depth > 10) return undefined;
    const cached = this.qualified.get(node);
    if (cached !== undefined) return cached ?? undefined;
    this.qualified.set(node, null); // cycle guard
    const result = this.qualifyUncached(node, depth);
    this.qualified.set(node, result ?? null);
    return result;
  }

  private qualifyUncached(node: JsNode, depth: number): string | undefined {
    switch (node.type) {
      case 'Identifier': {
        const list = this.lookup(node.name, node);
        if (!list) return node.name;
        // minified bundles reassign short names many times: treat them as unknown locals
        if (list.length > 4) return node.name;
        let result: string | undefined;
        for (const b of list) {
          let q: string | undefined;
          if (b.kind === 'module') q = b.name;
          else if (b.kind === 'value' && isNameLike(b.node)) q = this.qualify(b.node, depth + 1);
          else q = undefined;
          if (q === undefined) continue;
          if (result !== undefined && result !== q) return node.name;
          result = q;
        }
        return result ?? node.name;
      }
      case 'MemberExpression': {
        const object = this.qualify(node.object, depth + 1);
        const prop = node.computed ? this.text(node.property) : node.property.name;
        if (!object || prop === undefined) return undefined;
        if (GLOBAL_OBJECTS.has(object)) return prop;
        return `${object}.${prop}`;
      }
      case 'CallExpression': {
        const callee = this.qualify(node.callee, depth + 1);
        if (!callee) return undefined;
        if (/(?:^|\.)require$|^module\.require$|\._load$/.test(callee) && node.arguments[0]) {
          const name = this.text(node.arguments[0]);
          if (name) return name.replace(/^node:/, '');
        }
        return `${callee}()`;
      }
      case 'NewExpression': {
        // new WebSocket(url) / new net.Socket(): what it returns is named like a call's result
        const callee = this.qualify(node.callee, depth + 1);
        return callee ? `${callee}()` : undefined;
      }
      case 'AwaitExpression':
        return this.qualify(node.argument, depth + 1);
      case 'ChainExpression':
        return this.qualify(node.expression, depth + 1);
      case 'SequenceExpression':
        return this.qualify(node.expressions[node.expressions.length - 1], depth + 1);
      default:
        return undefined;
    }
  }

  /** Folded string value (bytes as latin1), or undefined. */
  text(node: JsNode | null | undefined): string | undefined {
    const v = this.evaluate(node);
    if (!v) return undefined;
    if (v.t === 'str') return v.v;
    if (v.t === 'bytes') return v.v.toString('latin1');
    if (v.t === 'num') return String(v.v);
    return undefined;
  }

  resetBudget(): void {
    this.steps = MAX_STEPS;
  }

  evaluate(node: JsNode | null | undefined): JsValue | undefined {
    if (!node || --this.steps < 0) return undefined;
    const cached = this.cache.get(node);
    if (cached !== undefined) return cached ?? undefined;
    this.cache.set(node, null); // cycle guard
    let value: JsValue | undefined;
    try {
      value = this.compute(node);
    } catch {
      value = undefined;
    }
    this.cache.set(node, value ?? null);
    return value;
  }

  private compute(node: JsNode): JsValue | undefined {
    switch (node.type) {
      case 'Literal':
        if (typeof node.value === 'string') return { t: 'str', v: node.value };
        if (typeof node.value === 'number') return { t: 'num', v: node.value };
        return undefined;
      case 'TemplateLiteral': {
        let out = '';
        for (let i = 0; i < node.quasis.length; i++) {
          out += node.quasis[i].value.cooked ?? '';
          if (i < node.expressions.length) {
            const part = this.text(node.expressions[i]);
            if (part === undefined) return undefined;
            out += part;
          }
        }
        return { t: 'str', v: out };
      }
      case 'BinaryExpression': {
        const l = this.evaluate(node.left);
        const r = l ? this.evaluate(node.right) : undefined;
        if (!l || !r) return undefined;
        if (node.operator === '+') {
          if (l.t === 'num' && r.t === 'num') return { t: 'num', v: l.v + r.v };
          const ls = asString(l);
          const rs = asString(r);
          if (ls === undefined || rs === undefined || ls.length + rs.length > MAX_DECODED_BYTES)
            return undefined;
          return { t: 'str', v: ls + rs };
        }
        if (l.t !== 'num' || r.t !== 'num') return undefined;
        switch (node.operator) {
          case '-':
            return { t: 'num', v: l.v - r.v };
          case '*':
            return { t: 'num', v: l.v * r.v };
          case '^':
            return { t: 'num', v: l.v ^ r.v };
          case '/':
            return { t: 'num', v: l.v / r.v };
          case '%':
            return { t: 'num', v: l.v % r.v };
          default:
            return undefined;
        }
      }
      case 'UnaryExpression':
        if (node.operator === '-') {
          const v = this.evaluate(node.argument);
          return v?.t === 'num' ? { t: 'num', v: -v.v } : undefined;
        }
        return undefined;
      case 'ArrayExpression': {
        const items: JsValue[] = [];
        for (const el of node.elements) {
          const v = el ? this.evaluate(el) : undefined;
          if (!v) return undefined;
          items.push(v);
        }
        return { t: 'arr', v: items };
      }
      case 'Identifier': {
        const list = this.lookup(node.name, node);
        if (!list || list.length !== 1 || list[0].kind !== 'value') return undefined;
        return this.evaluate(list[0].node);
      }
      case 'ParenthesizedExpression':
        return this.evaluate(node.expression);
      case 'MemberExpression': {
        // string tables: const _0x1 = ['\x65\x76\x61\x6c']; global[_0x1[0]](…)
        if (!node.computed) return undefined;
        const index = this.evaluate(node.property);
        if (index?.t !== 'num' || !Number.isInteger(index.v) || index.v < 0) return undefined;
        const table = this.evaluate(node.object);
        if (table?.t === 'arr') return table.v[index.v];
        if (table?.t === 'str' && index.v < table.v.length)
          return { t: 'str', v: table.v[index.v] };
        return undefined;
      }
      case 'CallExpression':
        return this.call(node);
      case 'NewExpression': {
        // new Buffer(s, 'base64')
        const callee = this.qualify(node.callee);
        if (callee === 'Buffer') return this.bufferFrom(node.arguments);
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private bufferFrom(args: JsNode[]): JsValue | undefined {
    const data = this.evaluate(args[0]);
    if (!data) return undefined;
    if (data.t === 'arr') {
      if (!data.v.every((x) => x.t === 'num')) return undefined;
      return { t: 'bytes', v: Buffer.from(data.v.map((x) => (x as { v: number }).v & 0xff)) };
    }
    if (data.t === 'bytes') return data;
    if (data.t !== 'str') return undefined;
    const encoding = args[1] ? this.text(args[1])?.toLowerCase() : 'utf8';
    if (encoding === 'base64' || encoding === 'base64url') {
      const out = decodeBase64(data.v, encoding === 'base64url');
      return out ? { t: 'bytes', v: out } : undefined;
    }
    if (encoding === 'hex') {
      const out = decodeHex(data.v);
      return out ? { t: 'bytes', v: out } : undefined;
    }
    if (encoding === 'latin1' || encoding === 'binary' || encoding === 'ascii')
      return { t: 'bytes', v: Buffer.from(data.v, 'latin1') };
    return { t: 'bytes', v: Buffer.from(data.v, 'utf8') };
  }

  private call(node: JsNode): JsValue | undefined {
    const callee = node.callee;
    const args: JsNode[] = node.arguments;
    const name = this.qualify(callee);
    switch (name) {
      case 'String.fromCharCode':
      case 'String.fromCodePoint': {
        const codes: number[] = [];
        for (const a of args) {
          if (a.type === 'SpreadElement') {
            const arr = this.evaluate(a.argument);
            if (arr?.t !== 'arr' || !arr.v.every((x) => x.t === 'num')) return undefined;
            codes.push(...arr.v.map((x) => (x as { v: number }).v));
          } else {
            const v = this.evaluate(a);
            if (v?.t !== 'num') return undefined;
            codes.push(v.v);
          }
        }
        if (codes.some((c) => !Number.isInteger(c) || c < 0 || c > 0x10ffff)) return undefined;
        return { t: 'str', v: String.fromCodePoint(...codes.slice(0, 100000)) };
      }
      case 'atob': {
        const s = this.text(args[0]);
        const out = s === undefined ? undefined : decodeBase64(s);
        return out ? { t: 'str', v: out.toString('latin1') } : undefined;
      }
      case 'Buffer.from':
        return this.bufferFrom(args);
      case 'decodeURIComponent':
      case 'decodeURI':
      case 'unescape': {
        const s = this.text(args[0]);
        if (s === undefined) return undefined;
        try {
          return { t: 'str', v: name === 'unescape' ? unescape(s) : decodeURIComponent(s) };
        } catch {
          return undefined;
        }
      }
    }
    if (callee.type !== 'MemberExpression') return undefined;
    const method = callee.computed ? this.text(callee.property) : callee.property.name;
    const receiver = this.evaluate(callee.object);
    if (!receiver || !method) return undefined;
    const arg0 = args[0] ? this.evaluate(args[0]) : undefined;
    if (receiver.t === 'bytes') {
      if (method === 'toString') {
        const enc = arg0 && arg0.t === 'str' ? arg0.v.toLowerCase() : 'utf8';
        if (enc === 'base64') return { t: 'str', v: receiver.v.toString('base64') };
        if (enc === 'hex') return { t: 'str', v: receiver.v.toString('hex') };
        return {
          t: 'str',
          v: receiver.v.toString(
            enc === 'latin1' || enc === 'binary' || enc === 'ascii' ? 'latin1' : 'utf8',
          ),
        };
      }
      return undefined;
    }
    if (receiver.t === 'str') {
      switch (method) {
        case 'split':
          if (arg0?.t !== 'str') return undefined;
          return {
            t: 'arr',
            v: receiver.v.split(arg0.v).map((s) => ({ t: 'str', v: s }) as JsValue),
          };
        case 'replace':
        case 'replaceAll': {
          const to = args[1] ? this.evaluate(args[1]) : undefined;
          if (arg0?.t !== 'str' || to?.t !== 'str') return undefined;
          return {
            t: 'str',
            v:
              method === 'replace'
                ? receiver.v.replace(arg0.v, to.v)
                : receiver.v.split(arg0.v).join(to.v),
          };
        }
        case 'toLowerCase':
          return { t: 'str', v: receiver.v.toLowerCase() };
        case 'toUpperCase':
          return { t: 'str', v: receiver.v.toUpperCase() };
        case 'trim':
          return { t: 'str', v: receiver.v.trim() };
        case 'concat': {
          const parts = args.map((a) => this.text(a));
          return parts.every((p) => p !== undefined)
            ? { t: 'str', v: receiver.v + parts.join('') }
            : undefined;
        }
        case 'charCodeAt':
          return { t: 'num', v: receiver.v.charCodeAt(arg0?.t === 'num' ? arg0.v : 0) };
        default:
          return undefined;
      }
    }
    if (receiver.t === 'arr') {
      switch (method) {
        case 'join': {
          const sep = arg0 === undefined ? ',' : arg0.t === 'str' ? arg0.v : undefined;
          const parts = receiver.v.map(asString);
          if (sep === undefined || parts.some((p) => p === undefined)) return undefined;
          return { t: 'str', v: parts.join(sep) };
        }
        case 'reverse':
          return { t: 'arr', v: [...receiver.v].reverse() };
        case 'map': {
          // arr.map(c => String.fromCharCode(c)) and arr.map(String.fromCharCode)
          const fn = args[0];
          const fnName = this.qualify(fn);
          if (
            fnName === 'String.fromCharCode' ||
            (fn?.type === 'ArrowFunctionExpression' &&
              /String\.fromCharCode\(\s*\w+\s*\)$/.test(
                this.source.slice(fn.body.start, fn.body.end),
              ))
          ) {
            if (!receiver.v.every((x) => x.t === 'num')) return undefined;
            return {
              t: 'arr',
              v: receiver.v.map(
                (x) => ({ t: 'str', v: String.fromCharCode((x as { v: number }).v) }) as JsValue,
              ),
            };
          }
          return undefined;
        }
        default:
          return undefined;
      }
    }
    return undefined;
  }
}

function asString(v: JsValue): string | undefined {
  if (v.t === 'str') return v.v;
  if (v.t === 'num') return String(v.v);
  if (v.t === 'bytes') return v.v.toString('utf8');
  return undefined;
}

function isNameLike(node: JsNode): boolean {
  return (
    node.type === 'Identifier' ||
    node.type === 'MemberExpression' ||
    node.type === 'CallExpression' ||
    node.type === 'NewExpression' ||
    node.type === 'AwaitExpression' ||
    node.type === 'ChainExpression'
  );
}
