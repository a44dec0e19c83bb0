import { DECODER_NAMES, NETWORK_READERS, type Origin } from './evaluate.js';
import type { PyModule } from './module.js';
import type { PyNode as SyntaxNode } from './ast.js';

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
        // a method's receiver carries the data; a plain callee is a function, not a value
        if (fn?.type === 'attribute') visit(fn, hops);
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
        return;
      }
      case 'slice': {
        if (/::\s*-/.test(n.text)) out.add('reverse');
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
}
