import type { Finding } from '../../types.js';
import type { Rule } from '../rule.js';
import { decodedEvidence, whenItRuns } from './shared/findings.js';
import { ofKind, pyFiles } from './shared/python.js';

const HIDDEN_ORIGINS = new Set([
  'decode',
  'compress',
  'marshal',
  'decrypt',
  'xor',
  'chars',
  'reverse',
]);

/**
 * exec/eval/compile of content that was decoded (base64, hex, zlib, marshal, XOR, Fernet) or
 * downloaded: the signature of a loader. Legitimate code does not hide the code it runs.
 */
export const pyExecDecoded: Rule = {
  meta: {
    id: 'py-exec-decoded',
    severity: 'critical',
    ecosystems: ['pypi'],
    title: 'Executes decoded or downloaded Python code',
    description:
      'exec/eval/compile runs a string that was decoded (base64, hex, zlib, marshal, XOR, Fernet, character codes) or fetched over the network. This is how loaders hide and fetch their second stage.',
    references: [
      'https://github.com/DataDog/guarddog (exec-base64, download-executable)',
      'https://blog.phylum.io/tag/pypi/',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of pyFiles(ctx)) {
      for (const fact of ofKind(file, 'exec')) {
        const origins = fact.origins ?? [];
        const network = origins.includes('network');
        const hidden = origins.some((o) => HIDDEN_ORIGINS.has(o));
        if (!network && !hidden) continue;
        // bytecode read back from a cache file on disk (import hooks, .pyc loaders): what was
        // compiled there came from source this package ships, nothing is hidden in it
        const cachedBytecode =
          origins.includes('marshal') &&
          origins.includes('file') &&
          origins.every((o) => o === 'marshal' || o === 'file');
        if (cachedBytecode) continue;
        const what = network
          ? 'code downloaded from the network'
          : origins.includes('marshal')
            ? 'a marshalled code object (compiled bytecode hidden from review)'
            : `code hidden by ${describe(origins)}`;
        findings.push({
          rule: this.meta.id,
          severity: 'critical',
          file: file.path,
          line: fact.line,
          message: `\`${fact.name}\` executes ${what}; it ${whenItRuns(fact.position)}${fact.payloadDepth ? ' (inside a decoded payload)' : ''}.`,
          evidence:
            fact.value !== undefined ? `decoded: ${decodedEvidence(fact.value)}` : fact.evidence,
        });
      }
    }
    return findings;
  },
};

function describe(origins: string[]): string {
  const words: Record<string, string> = {
    decode: 'decoding (base64/hex/codecs)',
    compress: 'compression',
    decrypt: 'encryption with a bundled key',
    xor: 'XOR/character arithmetic',
    chars: 'character codes',
    reverse: 'string reversal',
  };
  const parts = origins.filter((o) => words[o]).map((o) => words[o]);
  return parts.length ? parts.join(' and ') : 'string folding';
}
