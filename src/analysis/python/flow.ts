import { DECODER_NAMES, NETWORK_READERS, type Origin } from './evaluate.js';
import type { PyModule } from './module.js';
import type { PyNode as SyntaxNode } from './ast.js';
import { enclosingClass } from './syntax.js';

/**
 * Where an expression's value comes from, followed through local assignments: a value built by
 * base64/zlib/marshal, decrypted, XOR-ed character by character, or read from the network. This
 * answers "what does exec() run" even when the value itself cannot be folded.
 */
export function originsOf(
  module: PyModule,
  node: SyntaxNode | null | undefined,
  limit = 400,
): Set<Origin> {
  const out = new Set<Origin>();
  if (!node) return out;
  const seen = new Set<number>();
  let budget = limit;
  const visit = (n: SyntaxNode, hops: number): void => {
    if (budget-- <= 0 || seen.has(n.id)) return;
    seen.add(n.id);
    switch (n.type) {
      case 'call': {
        const fn = n.childForFieldName('function');
        const name = module.qualify(fn);
        if (name) classifyCallee(name, out);
        // the output of `curl …` / `wget -O- …` is whatever the server sent
        if (
          name &&
          /^(?:subprocess\.(?:getoutput|check_output|run|Popen)|os\.popen)(?:\(\)\.\w+)*$/.test(
            name,
          ) &&
          /\b(?:curl|wget|Invoke-WebRequest|Invoke-RestMethod|iwr|irm)\b[^)]*(?:https?:|\/\/)/i.test(
            n.text,
          )
        )
          out.add('network');
        // a method's receiver carries the data; a plain callee is a function, not a value
        if (fn?.type === 'attribute') visit(fn, hops);
        // except a local helper: what its lambda body or `return` computes is the value
        // (`_ = lambda s: zlib.decompress(b64decode(s[::-1])); exec(_(blob))`)
        const helper = localFunction(module, fn);
        if (helper && hops > 0) {
          // a method of the same class is followed for what it unscrambles, not for what it
          // fetches: API clients return server data through methods all the time
          const hadNetwork = out.has('network');
          for (const result of helper) visit(result, hops - 1);
          if (fn?.type === 'attribute' && !hadNetwork) out.delete('network');
        }
        const args = n.childForFieldName('arguments');
        if (args) visit(args, hops);
        return;
      }
      case 'attribute': {
        const name = module.qualify(n);
        if (name) classifyCallee(name, out);
        const object = n.childForFieldName('object');
        if (object) visit(object, hops);
        return;
      }
      case 'identifier': {
        // map(chr, codes) / map(lambda c: chr(c ^ k), …): the builtin handed on as a value
        if (n.text === 'chr' && module.assignedValues('chr', n).length === 0) out.add('chars');
        if (hops <= 0) return;
        for (const value of module.assignedValues(n.text, n)) visit(value.node, hops - 1);
        // a parameter carries what the module's own calls pass in: `_run(_get())`
        for (const argument of argumentsPassedTo(module, n)) visit(argument, hops - 1);
        return;
      }
      case 'slice': {
        // a reversed string constant hides a name or payload; reversing a runtime list of
        // tokens (a completer walking back through an expression) hides nothing
        if (/::\s*-/.test(n.text) && reversesConstant(module, n)) out.add('reverse');
        break;
      }
      case 'binary_operator': {
        if (n.childForFieldName('operator')?.text === '^') out.add('xor');
        break;
      }
      case 'string':
      case 'integer':
      case 'comment':
        return;
    }
    for (const child of n.namedChildren) visit(child, hops);
  };
  visit(node, 8);
  return out;
}

function classifyCallee(name: string, out: Set<Origin>): void {
  const base = name.replace(/\(\)$/, '');
  const decoder = DECODER_NAMES[base];
  if (decoder) out.add(decoder);
  if (base === 'chr' || base === 'bytes' || base === 'bytearray') out.add('chars');
  if (NETWORK_READERS.some((p) => p.test(name))) out.add('network');
  if (/\.recv(?:from)?(?:_into)?$/.test(base)) out.add('network');
  if (
    /(?:^|\.)(?:Fernet|AES|ChaCha20\w*|DES3?|ARC4|Blowfish)(?:\.new)?\(\)\.decrypt$|\.decrypt$/.test(
      base,
    )
  )
    out.add('decrypt');
  if (/^(?:zlib|bz2|lzma|gzip)\./.test(base) && /decompress/.test(base)) out.add('compress');
  if (/^base64\.\w*decode/.test(base)) out.add('decode');
  // what a file on disk holds (a dropped or downloaded script read back in)
  if (/^(?:open|io\.open|codecs\.open)\(\)\.read$|\.read_(?:text|bytes)$/.test(base))
    out.add('file');
}

/** The expressions a locally defined function or lambda returns, when the callee is one. */
function localFunction(module: PyModule, fn: SyntaxNode | null): SyntaxNode[] | undefined {
  let callee = fn;
  while (callee?.type === 'parenthesized_expression') callee = callee.namedChildren[0] ?? null;
  if (!callee) return undefined;
  if (callee.type === 'lambda') return bodyOf(callee);
  let definition: SyntaxNode | undefined;
  if (callee.type === 'attribute') {
    // self.decode(blob): a method of the same class
    const receiver = callee.childForFieldName('object')?.text;
    const method = callee.childForFieldName('attribute')?.text;
    const cls = receiver === 'self' || receiver === 'cls' ? enclosingClass(callee) : undefined;
    definition = cls
      ?.childForFieldName('body')
      ?.namedChildren.find(
        (d) =>
          (d.type === 'function_definition'
            ? d
            : d.childForFieldName('definition')
          )?.childForFieldName('name')?.text === method,
      );
    if (definition?.type === 'decorated_definition')
      definition = definition.childForFieldName('definition') ?? undefined;
    if (definition?.type !== 'function_definition') return undefined;
  } else {
    if (callee.type !== 'identifier') return undefined;
    const bindings = module.bindings(callee.text, callee);
    if (bindings.length !== 1) return undefined;
    const binding = bindings[0];
    if (binding.kind === 'value' && binding.node.type === 'lambda') return bodyOf(binding.node);
    if (binding.kind === 'def' && binding.node.type === 'function_definition')
      definition = binding.node;
  }
  if (definition) {
    const returns: SyntaxNode[] = [];
    const walk = (n: SyntaxNode): void => {
      if (returns.length > 8) return;
      for (const child of n.namedChildren) {
        if (child.type === 'function_definition' || child.type === 'lambda') continue;
        if (child.type === 'return_statement' && child.namedChildren[0])
          returns.push(child.namedChildren[0]);
        else walk(child);
      }
    };
    const body = definition.childForFieldName('body');
    if (body) walk(body);
    return returns;
  }
  return undefined;
}

function bodyOf(lambda: SyntaxNode): SyntaxNode[] {
  const body = lambda.childForFieldName('body');
  return body ? [body] : [];
}

/**
 * For a parameter of a module-level function, the arguments this module passes for it at its
 * call sites (a few at most): what a helper like `def _run(code): exec(code)` really receives.
 */
function argumentsPassedTo(module: PyModule, name: SyntaxNode): SyntaxNode[] {
  const bindings = module.bindings(name.text, name);
  if (bindings.length !== 1 || bindings[0].kind !== 'param') return [];
  const param = bindings[0].node;
  const fn = param.parent?.parent;
  if (fn?.type !== 'function_definition') return [];
  const fnName = fn.childForFieldName('name')?.text;
  const params = fn.childForFieldName('parameters')?.namedChildren ?? [];
  const index = params.findIndex((p) => p.id === param.id);
  if (!fnName || index < 0 || param.type !== 'identifier') return [];
  const out: SyntaxNode[] = [];
  for (const call of module.calls) {
    if (out.length >= 4) break;
    const callee = call.childForFieldName('function');
    if (callee?.type !== 'identifier' || callee.text !== fnName) continue;
    const args = call.childForFieldName('arguments')?.namedChildren ?? [];
    const argument = args[index];
    if (argument && argument.type !== 'keyword_argument') out.push(argument);
  }
  return out;
}

function reversesConstant(module: PyModule, slice: SyntaxNode): boolean {
  const subscript = slice.parent;
  const value = subscript?.type === 'subscript' ? subscript.childForFieldName('value') : null;
  if (!value) return false;
  const constant = (n: SyntaxNode | null): boolean =>
    !!n &&
    (n.type === 'string' ||
      n.type === 'concatenated_string' ||
      // alphabets from the string module (a reversed alphabet is an atbash cipher table)
      (n.type === 'attribute' &&
        /^string\.(?:ascii_\w+|digits|hexdigits|octdigits|printable|punctuation|letters|lowercase|uppercase)$/.test(
          module.qualify(n) ?? '',
        )) ||
      (n.type === 'call' &&
        /\.(?:encode|decode)$/.test(n.childForFieldName('function')?.text ?? '') &&
        constant(n.childForFieldName('function')?.childForFieldName('object') ?? null)));
  if (constant(value)) return true;
  if (value.type !== 'identifier') return false;
  const assigned = module.assignedValues(value.text, value);
  return assigned.length > 0 && assigned.every((a) => constant(a.node));
}
