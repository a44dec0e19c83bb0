import type { Finding } from '../../types.js';
import type { Rule } from '../rule.js';
import { pthExecutableLines } from '../python/package.js';
import { snippet } from '../context.js';
import { pyFiles } from './shared/python.js';

const DANGEROUS = new Set([
  'exec',
  'process',
  'network',
  'download',
  'decode',
  'marshal',
  'shell-download',
  'dynamic-import',
]);

/**
 * The line setuptools writes into `*-nspkg.pth` for a pkg_resources-style namespace package,
 * matched whole (a payload appended to it does not match): it only registers a module path.
 */
const Q = `'[\\w.]+'`;
const SETUPTOOLS_NAMESPACE_LINE = new RegExp(
  '^' +
    [
      'import sys, types, os',
      'has_mfs = sys\\.version_info > \\(3, 5\\)',
      `p = os\\.path\\.join\\(sys\\._getframe\\(1\\)\\.f_locals\\['sitedir'\\], \\*\\((?:${Q}, ?)+\\)\\)`,
      "importlib = has_mfs and __import__\\('importlib\\.util'\\)",
      "has_mfs and __import__\\('importlib\\.machinery'\\)",
      `m = has_mfs and sys\\.modules\\.setdefault\\(${Q}, importlib\\.util\\.module_from_spec\\(importlib\\.machinery\\.PathFinder\\.find_spec\\(${Q}, \\[os\\.path\\.dirname\\(p\\)\\]\\)\\)\\)`,
      `m = m or sys\\.modules\\.setdefault\\(${Q}, types\\.ModuleType\\(${Q}\\)\\)`,
      "mp = \\(m or \\[\\]\\) and m\\.__dict__\\.setdefault\\('__path__',\\[\\]\\)",
      '\\(p not in mp\\) and mp\\.append\\(p\\)',
    ].join(';') +
    `(?:;\\(${Q} and setattr\\(sys\\.modules\\[${Q}\\], ${Q}, m\\)\\))?$`,
);

const PLAIN_IMPORT = /^import\s+[\w.]+(?:\s*,\s*[\w.]+)*\s*(?:#.*)?$/;

/**
 * `.pth` files in site-packages run every line that starts with `import` at each interpreter
 * start. A plain `import x` is how some tools hook in; anything more is code that runs in every
 * Python process on the machine.
 */
export const pyPthExec: Rule = {
  meta: {
    id: 'py-pth-exec',
    severity: 'high',
    ecosystems: ['pypi'],
    title: '.pth file runs code at every Python start-up',
    description:
      'A .pth file contains executable lines beyond a plain import. They run in every Python process once the package is installed. Critical when they exec decoded content, start processes or reach the network.',
    references: [
      'https://docs.python.org/3/library/site.html',
      'https://github.com/DataDog/guarddog',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    const factsByPath = new Map(pyFiles(ctx).map((f) => [f.path, f]));
    for (const file of ctx.files) {
      if (!file.path.endsWith('.pth')) continue;
      const text = ctx.text(file.path);
      if (text === null) continue;
      const lines = pthExecutableLines(text).split('\n');
      const facts = factsByPath.get(file.path)?.facts ?? [];
      lines.forEach((line, i) => {
        if (line.trim() === '' || PLAIN_IMPORT.test(line.trim())) return;
        if (SETUPTOOLS_NAMESPACE_LINE.test(line.trim())) return;
        // exec of a literal is how a .pth runs several statements: what that code does (its
        // own facts, found by analysing the literal) decides, not the exec itself
        const worst = facts.find(
          (f) =>
            f.line === i + 1 &&
            DANGEROUS.has(f.kind) &&
            !(f.kind === 'exec' && (f.origins?.length ?? 0) === 0 && !f.payloadDepth),
        );
        const blob = line.length > 400 || /[A-Za-z0-9+/=]{120,}/.test(line);
        findings.push({
          rule: this.meta.id,
          severity: worst ? 'critical' : blob ? 'high' : 'medium',
          file: file.path,
          line: i + 1,
          message: worst
            ? `This .pth line runs at every Python start-up and ${describe(worst.kind)}.`
            : blob
              ? 'This .pth line runs a long or encoded-looking statement at every Python start-up.'
              : 'This .pth line runs code (not just an import) at every Python start-up.',
          evidence: worst?.value
            ? `${snippet(line, 100)} → ${snippet(worst.value, 100)}`
            : snippet(line),
        });
      });
    }
    return findings;
  },
};

function describe(kind: string): string {
  switch (kind) {
    case 'process':
      return 'starts a process';
    case 'network':
    case 'download':
      return 'reaches the network';
    case 'marshal':
      return 'loads marshalled bytecode';
    default:
      return 'executes decoded code';
  }
}
