import { snippet } from '../context.js';
import { printableRatio } from '../rules/shared/codecs.js';
import {
  DOWNLOAD_AND_RUN_SHELL,
  HIDDEN_SHELL,
  stringIndicators,
} from '../rules/shared/indicators.js';
import {
  commandBehaviours,
  jsCallBehaviour,
  stringBehaviour,
  type BehaviourKind,
} from '../rules/shared/behaviours.js';
import { SECRET_ENV_NAME, SECRET_NAME, URL_IN_TEXT } from '../rules/shared/secrets.js';
import { JsModule, type JsNode } from './module.js';
import { parseJavaScript } from './parser.js';

/**
 * One pass over a JavaScript file recording capabilities (process, network, eval, file write)
 * and threat indicators (decoded payloads, credential paths, exfil endpoints, environment dumps),
 * each with where it runs. Rules combine them; no fact is a verdict alone.
 */

export type JsPosition = 'install' | 'import' | 'call';

export type JsFactKind =
  | 'exec'
  | 'process'
  | 'network'
  | 'host-info'
  | 'env-dump'
  | 'sensitive'
  | 'endpoint'
  | 'persistence'
  | 'shell-download'
  | 'hidden'
  | 'file-write'
  | 'decode'
  | 'obfuscation'
  | BehaviourKind
  | 'secret-send'
  | 'env-secret-send'
  | 'sleep';

export type JsOrigin = 'decode' | 'network' | 'chars';

export interface JsFact {
  kind: JsFactKind;
  name: string;
  line: number;
  position: JsPosition;
  evidence: string;
  origins?: JsOrigin[];
  value?: string;
  payloadDepth?: number;
}

export interface JsFileFacts {
  path: string;
  facts: JsFact[];
  parsed: boolean;
}

const EXEC_NAMES =
  /^(?:eval|Function|vm\.(?:runInThisContext|runInNewContext|runInContext|compileFunction|Script)|module\._compile|\S*\._compile|setTimeout|setInterval)$/;
const PROCESS_NAMES =
  /^child_process\.(?:exec|execSync|spawn|spawnSync|execFile|execFileSync|fork)$|^(?:shelljs\.exec|execa|execa\.\w+|cross-spawn|cross-spawn\.sync)$/;
const NETWORK_NAMES =
  /^(?:(?:discord\.js\.)?WebhookClient|https?\.(?:request|get)|http2\.connect|net\.(?:connect|createConnection|Socket)|tls\.connect|dns\.(?:lookup|resolve\w*)|dns\.promises\.(?:lookup|resolve\w*)|dgram\.createSocket|fetch|node-fetch|axios(?:\.\w+)?|request(?:\.\w+)?|got(?:\.\w+)?|superagent\.\w+|needle(?:\.\w+)?|XMLHttpRequest|WebSocket|ws|undici\.\w+)$/;
const HOST_INFO =
  /^os\.(?:hostname|userInfo|homedir|networkInterfaces|type|platform|release|arch|cpus)$|^process\.env\.(?:USER|USERNAME|HOME|COMPUTERNAME|USERDOMAIN|HOSTNAME|LOGNAME|PWD)$/;
const FILE_WRITE =
  /^fs\.(?:writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|promises\.writeFile)$|^fs\/promises\.writeFile$/;

const MAX_PAYLOAD_DEPTH = 3;

/** Calls whose function arguments run without anyone else calling them. */
const ASYNC_RUNNERS =
  /^(?:https?|http2|net|tls|dns|dgram|fs|fs\/promises|child_process|zlib|stream|readline)\.\w+|^(?:setTimeout|setImmediate|setInterval|queueMicrotask|process\.nextTick|Promise|fetch|axios.*|request.*|got.*)$|\.(?:then|catch|finally|on|once)$|\(\)\.(?:then|catch|finally|on|once)$/;

/** Files without any of these tokens cannot yield a capability fact and are not parsed. */
export const JS_TRIGGER =
  /child_process|\beval\b|\bFunction\s*\(|\bvm\b|_compile|https?\b|\bnet\b|\bdns\b|\btls\b|fetch|axios|\brequire\s*\(\s*[^'"`]|fromCharCode|atob|base64|process\.env|[Ww]ebhook|\bexec(?:Sync)?\b|spawn|Roaming|Local Storage|leveldb|clipboardy|copy-paste|iohook|uiohook|global-key-listener|screenshot-desktop|pbpaste|xclip|Get-Clipboard|LD_PRELOAD|ld\.so\.preload|DYLD_INSERT|npm\s+publish|resolvedOptions|os-locale|steggy|pngjs|jimp|get-pixels|VBox|vmware|Sandboxie/;

export function analyzeJavaScriptSource(
  path: string,
  source: string,
  positionOf: (topLevel: boolean) => JsPosition,
  depth = 0,
): JsFileFacts {
  const raw = rawFacts(source, depth);
  return {
    path,
    parsed: raw.parsed,
    facts: raw.facts.map(({ onLoad, ...fact }) => ({ ...fact, position: positionOf(onLoad) })),
  };
}

/** A fact before its position is decided: whether its code runs when the file loads. */
interface RawFact extends Omit<JsFact, 'position'> {
  onLoad: boolean;
}

interface RawFileFacts {
  facts: RawFact[];
  parsed: boolean;
}

/**
 * The same file is often analysed twice per package (as a module and as an npm bin the
 * entry-point rules follow), and a big bundle costs seconds to parse: facts are kept, keyed by
 * the source text, for the last few files. Positions are applied per caller.
 */
const RAW_CACHE_SIZE = 16;
const rawCache = new Map<string, RawFileFacts>();

function rawFacts(source: string, depth: number): RawFileFacts {
  // decoded payloads (depth > 0) are small and seldom seen twice
  const cached = depth === 0 ? rawCache.get(source) : undefined;
  if (cached) {
    rawCache.delete(source);
    rawCache.set(source, cached);
    return cached;
  }
  const program = parseJavaScript(source);
  let result: RawFileFacts;
  if (!program) result = { facts: [], parsed: false };
  else {
    const builder = new JsFactBuilder(new JsModule(program, source), depth);
    builder.run();
    result = { facts: builder.facts, parsed: true };
  }
  if (depth > 0) return result;
  rawCache.set(source, result);
  if (rawCache.size > RAW_CACHE_SIZE) rawCache.delete(rawCache.keys().next().value as string);
  return result;
}

class JsFactBuilder {
  readonly facts: RawFact[] = [];
  private readonly reachable: Set<string>;

  constructor(
    private readonly module: JsModule,
    private readonly depth: number,
  ) {
    this.reachable = this.computeReach();
  }

  run(): void {
    for (const call of this.module.calls) this.visitCall(call, false);
    for (const node of this.module.news) this.visitCall(node, true);
    for (const member of this.module.members) this.visitMember(member);
    for (const str of this.module.strings) this.visitString(str);
    this.scanObfuscation();
  }

  /** obfuscator.io output: `_0x` identifier soups and string-array rotation. */
  private scanObfuscation(): void {
    const source = this.module.source;
    const hexNames = source.match(/\b_0x[0-9a-f]{4,6}\b/g)?.length ?? 0;
    // the string-array rotation loop: arr['push'](arr['shift']()) inside a counted loop
    // (in code, not in the templates of an obfuscator that generates it)
    const rotationCall = this.module.calls.find((call: JsNode) => {
      const callee = call.callee;
      const inner = call.arguments[0];
      return (
        callee?.type === 'MemberExpression' &&
        callee.computed &&
        callee.property.value === 'push' &&
        inner?.type === 'CallExpression' &&
        inner.callee.type === 'MemberExpression' &&
        inner.callee.computed &&
        inner.callee.property.value === 'shift'
      );
    });
    const rotation = rotationCall ? { index: rotationCall.start as number } : undefined;
    if (hexNames >= 30 || rotation) {
      this.add(
        'obfuscation',
        hexNames >= 30
          ? 'obfuscator.io-style _0x identifiers'
          : 'obfuscator.io string-array rotation',
        this.module.program as JsNode,
        {
          value: snippet(
            source.slice(rotation && hexNames < 30 ? rotation.index : 0).slice(0, 120),
          ),
        },
      );
    }
  }

  private line(node: JsNode): number {
    return this.module.lineOf(node.start);
  }

  /** Top-level code, IIFEs and callbacks handed to top-level calls run on load. */
  private runsOnLoad(node: JsNode): boolean {
    let current: JsNode | undefined = node;
    for (let p = this.module.parent(node); p; current = p, p = this.module.parent(p)) {
      if (p.type === 'FunctionDeclaration') {
        return p.id ? this.reachable.has(p.id.name) && this.runsOnLoad(p) : false;
      }
      if (
        p.type === 'FunctionExpression' ||
        p.type === 'ArrowFunctionExpression' ||
        p.type === 'ClassMethod' ||
        p.type === 'MethodDefinition'
      ) {
        const parent = this.module.parent(p);
        const isCallee = parent?.type === 'CallExpression' && parent.callee === p;
        // callbacks of I/O and timers run soon after load; handlers registered with a framework
        // (commander actions, event emitters) run only when something calls them
        const isCallback =
          (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') &&
          parent.arguments.includes(p) &&
          ASYNC_RUNNERS.test(this.module.qualify(parent.callee) ?? '');
        const named =
          parent?.type === 'VariableDeclarator' &&
          parent.id.type === 'Identifier' &&
          this.reachable.has(parent.id.name);
        if (!isCallee && !isCallback && !named) return false;
      }
      void current;
    }
    return true;
  }

  private computeReach(): Set<string> {
    const edges = new Map<string, Set<string>>();
    const roots = new Set<string>();
    for (const call of this.module.calls) {
      const callee = call.callee;
      const name =
        callee.type === 'Identifier'
          ? callee.name
          : callee.type === 'MemberExpression' && !callee.computed
            ? callee.property.name
            : undefined;
      const targets = [
        name,
        ...call.arguments
          .filter((a: JsNode) => a.type === 'Identifier')
          .map((a: JsNode) => a.name as string),
      ].filter((n): n is string => !!n);
      const owner = this.enclosingFunctionName(call);
      if (owner === null) for (const t of targets) roots.add(t);
      else if (owner) {
        const set = edges.get(owner) ?? new Set<string>();
        for (const t of targets) set.add(t);
        edges.set(owner, set);
      }
    }
    const out = new Set<string>();
    const queue = [...roots];
    while (queue.length) {
      const n = queue.pop() as string;
      if (out.has(n)) continue;
      out.add(n);
      for (const next of edges.get(n) ?? []) queue.push(next);
    }
    return out;
  }

  /** null at top level; '' inside an anonymous function; else the function's name. */
  private enclosingFunctionName(node: JsNode): string | null {
    for (let p = this.module.parent(node); p; p = this.module.parent(p)) {
      if (p.type === 'FunctionDeclaration') return p.id?.name ?? '';
      if (p.type === 'FunctionExpression' || p.type === 'ArrowFunctionExpression') {
        const parent = this.module.parent(p);
        if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier')
          return parent.id.name;
        if (parent?.type === 'Property' || parent?.type === 'MethodDefinition')
          return parent.key?.name ?? '';
      }
    }
    return null;
  }

  private add(kind: JsFactKind, name: string, node: JsNode, extra: Partial<RawFact> = {}): void {
    this.facts.push({
      kind,
      name,
      line: this.line(node),
      onLoad: this.runsOnLoad(node),
      evidence: snippet(this.module.source.slice(node.start, Math.min(node.end, node.start + 400))),
      ...(this.depth ? { payloadDepth: this.depth } : {}),
      ...extra,
    });
  }

  private visitCall(call: JsNode, isNew: boolean): void {
    let name = this.module.qualify(call.callee);
    if (!name) return;
    let args: JsNode[] = call.arguments;
    // Reflect.apply(cp.exec, null, [cmd]) / cp.exec.call(null, cmd) / .apply(null, [cmd]):
    // the same call, spelled so that a scanner looking for `exec(` misses it
    const spread = (node: JsNode | undefined): JsNode[] | undefined =>
      node?.type === 'ArrayExpression' ? node.elements : undefined;
    if (name === 'Reflect.apply' && args[0]) {
      const target = this.module.qualify(args[0]);
      const list = spread(args[2]);
      if (target && list) [name, args] = [target, list];
    } else if (/\.(?:call|apply)$/.test(name) && call.callee.type === 'MemberExpression') {
      const target = this.module.qualify(call.callee.object);
      const list = name.endsWith('.call') ? args.slice(1) : spread(args[1]);
      if (
        target &&
        list &&
        (EXEC_NAMES.test(target) || PROCESS_NAMES.test(target) || NETWORK_NAMES.test(target))
      )
        [name, args] = [target, list];
    }
    const behaviour = jsCallBehaviour(name);
    if (behaviour) this.add(behaviour.kind, behaviour.label, call);
    if (/^path\.(?:join|resolve|posix\.join|win32\.join)$/.test(name)) {
      // path.join(os.homedir(), '.aws', 'credentials'): the store is named in pieces
      const parts = args.map((a) => this.module.text(a) ?? '*');
      if (parts.some((p) => p !== '*')) {
        for (const hit of stringIndicators(parts.join('/')))
          if (hit.kind !== 'endpoint') this.add(hit.kind, hit.label, call, { value: hit.match });
      }
    }
    if ((name === 'setTimeout' || name === 'setInterval') && args[1]) {
      this.module.resetBudget();
      const delay = this.module.evaluate(args[1]);
      if (name === 'setTimeout' && delay?.t === 'num' && delay.v >= 60000)
        this.add('sleep', `waits ${Math.round(delay.v / 1000)} s`, call);
    }
    if (EXEC_NAMES.test(name)) {
      if ((name === 'setTimeout' || name === 'setInterval') && !(args[0] && isStringish(args[0])))
        return;
      const codeArg = name === 'Function' ? args[args.length - 1] : args[0];
      if (!codeArg) return;
      this.module.resetBudget();
      const origins = this.originsOf(codeArg);
      const text = this.module.text(codeArg);
      const hidden =
        text !== undefined && codeArg.type !== 'Literal' && codeArg.type !== 'TemplateLiteral';
      this.add('exec', name, call, { origins: [...origins], ...(hidden ? { value: text } : {}) });
      if (text !== undefined) this.recurse(text, call);
      return;
    }
    if (PROCESS_NAMES.test(name)) {
      this.module.resetBudget();
      const command = this.commandText(args);
      this.add('process', name, call, {
        origins: [...this.originsOf(args[0])],
        ...(command ? { value: command } : {}),
      });
      const options = args.find((a) => a.type === 'ObjectExpression');
      const hidden = options ? this.hiddenOptions(options) : undefined;
      if (hidden) this.add('hidden', hidden, call);
      if (command) this.checkCommand(command, call);
      return;
    }
    if (
      NETWORK_NAMES.test(name) ||
      (isNew && /^(?:WebSocket|XMLHttpRequest|net\.Socket)$/.test(name))
    ) {
      this.module.resetBudget();
      const target = args[0] ? (this.module.text(args[0]) ?? this.objectUrl(args[0])) : undefined;
      this.add('network', name, call, target ? { value: target } : {});
      if (target) this.checkIndicators(target, call);
      for (const a of args) if (this.mentionsWholeEnv(a)) this.add('env-dump', name, call);
      const secret = args.map((a) => this.secretNamedIn(a)).find((x) => x !== undefined);
      if (secret) this.add('secret-send', secret, call, target ? { value: target } : {});
      const variables = new Set<string>();
      for (const a of args) this.secretEnvIn(a, variables, 2);
      if (variables.size > 0)
        this.add(
          'env-secret-send',
          [...variables].join(', '),
          call,
          target ? { value: target } : {},
        );
      return;
    }
    if (HOST_INFO.test(name)) {
      this.add('host-info', name, call);
      return;
    }
    if (FILE_WRITE.test(name)) {
      this.module.resetBudget();
      const target = this.module.text(args[0]);
      this.add('file-write', name, call, target ? { value: target } : {});
      if (args[1]) {
        const content = this.module.text(args[1]);
        if (content) this.checkCommand(content, call);
      }
      return;
    }
    if (
      name === 'JSON.stringify' ||
      name === 'querystring.stringify' ||
      name === 'Buffer.from' ||
      name === 'btoa'
    ) {
      if (args[0] && this.isWholeEnv(args[0])) this.add('env-dump', name, call);
      if (name === 'Buffer.from') this.hiddenUrl(call);
      return;
    }
    if (name === 'atob') this.hiddenUrl(call);
    if (name === 'Buffer.from' || name === 'atob') this.add('decode', name, call);
  }

  private recurse(code: string, at: JsNode): void {
    if (
      this.depth >= MAX_PAYLOAD_DEPTH ||
      code.length > 2 * 1024 * 1024 ||
      printableRatio(code) < 0.9
    )
      return;
    const onLoad = this.runsOnLoad(at);
    const inner = rawFacts(code, this.depth + 1);
    for (const fact of inner.facts)
      this.facts.push({
        ...fact,
        onLoad: fact.onLoad && onLoad,
        line: this.line(at),
        payloadDepth: fact.payloadDepth ?? this.depth + 1,
      });
  }

  private visitMember(node: JsNode): void {
    const name = this.module.qualify(node);
    if (!name) return;
    if (HOST_INFO.test(name)) {
      const parent = this.module.parent(node);
      if (parent?.type !== 'CallExpression' || parent.callee !== node)
        this.add('host-info', name, node);
    }
  }

  private visitString(node: JsNode): void {
    if (node.end - node.start > 200000) return;
    this.module.resetBudget();
    const value =
      node.type === 'Literal'
        ? node.regex
          ? String(node.regex.pattern)
          : (node.value as string)
        : this.module.text(node);
    if (!value) return;
    const behaviour = stringBehaviour(value);
    // a country code counts only where it is compared (`tz === 'Europe/Moscow'`, `[..].includes`)
    if (behaviour && (behaviour.kind !== 'locale' || this.comparedIn(node)))
      this.add(behaviour.kind, behaviour.label, node, { value: snippet(value, 120) });
    this.checkIndicators(value, node);
    if (DOWNLOAD_AND_RUN_SHELL.test(value))
      this.add('shell-download', 'download-and-run text', node, { value: snippet(value, 200) });
  }

  private checkIndicators(value: string, node: JsNode): void {
    for (const hit of stringIndicators(value))
      this.add(hit.kind, hit.label, node, { value: hit.match });
  }

  private comparedIn(node: JsNode): boolean {
    const parent = this.module.parent(node);
    if (parent?.type === 'ArrayExpression') {
      const member = this.module.parent(parent);
      return (
        member?.type === 'MemberExpression' &&
        /^(?:includes|indexOf|some)$/.test(member.property?.name ?? '')
      );
    }
    if (parent?.type === 'BinaryExpression') return /^[!=]==?$/.test(parent.operator);
    if (parent?.type === 'CallExpression' && parent.callee.type === 'MemberExpression')
      return /^(?:includes|startsWith|indexOf|endsWith)$/.test(parent.callee.property?.name ?? '');
    return false;
  }

  /** A URL kept base64/hex-encoded in the source is hidden from review and URL scanners. */
  private hiddenUrl(call: JsNode): void {
    this.module.resetBudget();
    const text = this.module.text(call);
    if (!text || text.length > 4096) return;
    const url = URL_IN_TEXT.exec(text)?.[0];
    if (url) this.add('endpoint', 'URL hidden in an encoding', call, { value: url });
    if (url || text.length < 512) this.checkIndicators(text, call);
  }

  /**
   * The name of a wallet secret among the identifiers and keys of a request argument, following
   * local bindings a few hops: `fetch(url, { body: JSON.stringify({ mnemonic }) })`.
   */
  /**
   * Credential variables read from process.env inside a request's arguments (URL, body, options),
   * outside its `headers`/`auth`, following local names a couple of hops.
   */
  private secretEnvIn(node: JsNode | null | undefined, out: Set<string>, hops: number): void {
    if (!node || typeof node !== 'object' || out.size > 8) return;
    switch (node.type) {
      case 'MemberExpression': {
        if (this.module.qualify(node.object) === 'process.env') {
          const name = node.computed ? this.module.text(node.property) : node.property.name;
          if (name && SECRET_ENV_NAME.test(name)) out.add(name);
          return;
        }
        break;
      }
      case 'Property': {
        const key = node.key.type === 'Identifier' ? node.key.name : String(node.key.value ?? '');
        if (/^(?:headers|auth|Authorization)$/i.test(key)) return;
        break;
      }
      case 'Identifier': {
        if (hops <= 0) return;
        for (const b of this.module.bindingsOf(node))
          if (b.kind === 'value') this.secretEnvIn(b.node, out, hops - 1);
        return;
      }
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        return;
    }
    for (const key of Object.keys(node)) {
      if (key === 'type' || key === 'start' || key === 'end') continue;
      const v = node[key];
      if (Array.isArray(v)) {
        for (const c of v) if (c && typeof c.type === 'string') this.secretEnvIn(c, out, hops);
      } else if (v && typeof v.type === 'string') this.secretEnvIn(v, out, hops);
    }
  }

  private secretNamedIn(root: JsNode): string | undefined {
    let budget = 300;
    const seen = new Set<JsNode>();
    const visit = (node: JsNode | null | undefined, hops: number): string | undefined => {
      if (!node || typeof node !== 'object' || budget-- <= 0 || seen.has(node)) return undefined;
      seen.add(node);
      switch (node.type) {
        case 'Identifier': {
          const m = SECRET_NAME.exec(node.name);
          if (m) return m[0];
          if (hops <= 0) return undefined;
          for (const b of this.module.bindingsOf(node)) {
            if (b.kind !== 'value') continue;
            const found = visit(b.node, hops - 1);
            if (found) return found;
          }
          return undefined;
        }
        case 'Property': {
          const key = node.key.type === 'Identifier' ? node.key.name : String(node.key.value ?? '');
          const m = SECRET_NAME.exec(key);
          if (m) return m[0];
          return visit(node.value, hops);
        }
        case 'MemberExpression': {
          const prop = node.computed ? undefined : node.property.name;
          const m = prop ? SECRET_NAME.exec(prop) : null;
          if (m) return m[0];
          return visit(node.object, hops);
        }
        case 'FunctionExpression':
        case 'ArrowFunctionExpression':
        case 'Literal':
          return undefined;
      }
      for (const key of Object.keys(node)) {
        if (key === 'type' || key === 'start' || key === 'end') continue;
        const v = node[key];
        if (Array.isArray(v)) {
          for (const c of v) {
            const found = c && typeof c.type === 'string' ? visit(c, hops) : undefined;
            if (found) return found;
          }
        } else if (v && typeof v === 'object' && typeof v.type === 'string') {
          const found = visit(v, hops);
          if (found) return found;
        }
      }
      return undefined;
    };
    return visit(root, 3);
  }

  private checkCommand(command: string, node: JsNode): void {
    for (const behaviour of commandBehaviours(command))
      this.add(behaviour.kind, behaviour.label, node, { value: snippet(command, 200) });
    if (DOWNLOAD_AND_RUN_SHELL.test(command))
      this.add('shell-download', 'download and run', node, { value: snippet(command, 200) });
    const hidden = HIDDEN_SHELL.exec(command);
    if (hidden) this.add('hidden', hidden[0], node, { value: snippet(command, 200) });
    if (/\/dev\/(?:tcp|udp)\//.test(command))
      this.add('network', '/dev/tcp', node, { value: snippet(command, 200) });
    if (/\b(?:curl|wget|nslookup|dig|Invoke-WebRequest|iwr)\b/.test(command))
      this.add('network', 'shell network command', node, { value: snippet(command, 200) });
    this.checkIndicators(command, node);
  }

  private commandText(args: JsNode[]): string | undefined {
    const first = this.module.evaluate(args[0]);
    if (!first) return undefined;
    const head =
      first.t === 'str' ? first.v : first.t === 'bytes' ? first.v.toString('utf8') : undefined;
    if (head === undefined) return undefined;
    const list = args[1] ? this.module.evaluate(args[1]) : undefined;
    const rest = list?.t === 'arr' ? list.v.map((v) => (v.t === 'str' ? v.v : '?')).join(' ') : '';
    return rest ? `${head} ${rest}` : head;
  }

  private objectUrl(node: JsNode): string | undefined {
    if (node.type !== 'ObjectExpression') return undefined;
    const parts: Record<string, string> = {};
    for (const p of node.properties) {
      if (p.type !== 'Property') continue;
      const key = p.key.type === 'Identifier' ? p.key.name : String(p.key.value);
      const value = this.module.text(p.value);
      if (value !== undefined) parts[key] = value;
    }
    const host = parts.hostname ?? parts.host;
    return host ? `${host}${parts.port ? `:${parts.port}` : ''}${parts.path ?? ''}` : undefined;
  }

  private hiddenOptions(options: JsNode): string | undefined {
    for (const p of options.properties) {
      if (p.type !== 'Property') continue;
      const key = p.key.type === 'Identifier' ? p.key.name : String(p.key.value);
      if (key === 'detached' && p.value.type === 'Literal' && p.value.value === true)
        return 'detached: true';
      if (key === 'windowsHide' && p.value.type === 'Literal' && p.value.value === true)
        return 'windowsHide: true';
    }
    return undefined;
  }

  private isWholeEnv(node: JsNode): boolean {
    const q =
      node.type === 'MemberExpression' || node.type === 'Identifier'
        ? this.module.qualify(node)
        : undefined;
    if (q === 'process.env') return true;
    if (node.type === 'Identifier') {
      const b = this.module.bindingsOf(node);
      return (
        b.length === 1 && b[0].kind === 'value' && this.module.qualify(b[0].node) === 'process.env'
      );
    }
    return false;
  }

  private mentionsWholeEnv(node: JsNode): boolean {
    if (this.isWholeEnv(node)) return true;
    if (node.type === 'ObjectExpression')
      return node.properties.some((p: JsNode) => p.type === 'Property' && this.isWholeEnv(p.value));
    return false;
  }

  /** Where an eval'd value comes from: decoders, or data received by a network callback. */
  private originsOf(node: JsNode | undefined, hops = 6): Set<JsOrigin> {
    const out = new Set<JsOrigin>();
    if (!node) return out;
    const seen = new Set<JsNode>();
    let budget = 300;
    const visit = (n: JsNode, h: number): void => {
      if (!n || budget-- <= 0 || seen.has(n)) return;
      seen.add(n);
      switch (n.type) {
        case 'CallExpression':
        case 'NewExpression': {
          const name = this.module.qualify(n.callee) ?? '';
          if (/^(?:atob|Buffer\.from|Buffer)$/.test(name) && n.arguments.length >= 1) {
            const enc = n.arguments[1] ? this.module.text(n.arguments[1]) : undefined;
            if (name === 'atob' || enc === 'base64' || enc === 'hex' || enc === 'base64url')
              out.add('decode');
          }
          if (/^String\.fromCharCode|^String\.fromCodePoint/.test(name)) out.add('chars');
          if (
            NETWORK_NAMES.test(name.replace(/\(\)$/, '')) ||
            /^(?:axios|fetch|got|request|node-fetch)/.test(name)
          )
            out.add('network');

          // a method chain's receiver carries the data (`Buffer.from(x,'base64').toString()`);
          // a plain callee is a local function whose return value is unknown
          if (n.callee.type === 'MemberExpression') visit(n.callee.object, h);
          for (const a of n.arguments) visit(a, h);
          return;
        }
        case 'Identifier': {
          if (h <= 0) return;
          const bindings = this.module.bindingsOf(n);
          // minified code reuses short names: several unrelated values mean nothing is known
          if (bindings.filter((b) => b.kind === 'value').length > 2) return;
          for (const b of bindings) {
            if (b.kind === 'value') visit(b.node, h - 1);
            else if (b.kind === 'param' && this.insideNetworkCallback(b.fn)) out.add('network');
          }
          return;
        }
        case 'MemberExpression':
          visit(n.object, h);
          return;
        case 'Literal':
        case 'FunctionExpression':
        case 'ArrowFunctionExpression':
        case 'FunctionDeclaration':
        case 'ClassExpression':
          return;
      }
      for (const key of Object.keys(n)) {
        if (key === 'loc') continue;
        const v = n[key];
        if (Array.isArray(v)) {
          for (const c of v) if (c && typeof c.type === 'string') visit(c, h);
        } else if (v && typeof v === 'object' && typeof v.type === 'string') {
          visit(v, h);
        }
      }
    };
    visit(node, hops);
    return out;
  }

  private insideNetworkCallback(fn: JsNode): boolean {
    for (let p = this.module.parent(fn); p; p = this.module.parent(p)) {
      if (p.type === 'CallExpression') {
        const name = this.module.qualify(p.callee) ?? '';
        if (NETWORK_NAMES.test(name) || /^(?:axios|fetch|got|request)/.test(name)) return true;
        // DNS answers (TXT records carry commands) and messages of a socket opened here
        if (/^dns(?:\.promises)?\.resolve\w*$/.test(name)) return true;
        const event = /^(.*)\.(?:on|once|addListener|addEventListener)$/.exec(name);
        if (
          event &&
          (NETWORK_NAMES.test(event[1].replace(/\(\)$/, '')) ||
            /(?:^|\.)(?:ws|WebSocket|Socket|connect|createConnection)\(\)$/.test(event[1]))
        )
          return true;
      }
    }
    return false;
  }
}

function isStringish(node: JsNode): boolean {
  return (
    node.type === 'Literal' ||
    node.type === 'TemplateLiteral' ||
    node.type === 'BinaryExpression' ||
    node.type === 'CallExpression'
  );
}
