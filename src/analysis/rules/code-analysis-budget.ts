import type { Finding } from '../../types.js';
import type { Rule } from '../rule.js';
import { jsPackageFacts } from '../javascript/package.js';
import { pythonPackageFacts } from '../python/package.js';

/**
 * Says which files were only text-checked because the package's parse budget ran out, so a
 * reviewer knows the inspection of a very large package is partial instead of assuming it was
 * complete. The budget goes first to code that runs by itself and to files with threat
 * indicators; what is left over is the largest plain code.
 */
export const codeAnalysisBudget: Rule = {
  meta: {
    id: 'code-analysis-budget',
    severity: 'low',
    ecosystems: ['npm', 'pypi'],
    title: 'Large package: some files were only text-checked',
    description:
      'The package holds more source than the per-package parse budget (3 MB of Python, 10 MB of JavaScript beyond the files that run by themselves). Install-time code, entry points and files with threat indicators are always parsed; the largest remaining files were checked as text only.',
    references: [],
  },
  check(ctx) {
    const textOnly =
      ctx.ecosystem === 'npm' ? jsPackageFacts(ctx).textOnly : pythonPackageFacts(ctx).textOnly;
    if (textOnly.length === 0) return [];
    const finding: Finding = {
      rule: this.meta.id,
      severity: this.meta.severity,
      file: textOnly[0],
      line: 0,
      message: `${textOnly.length} large file(s) without threat indicators were checked as text only: the package is over the parse budget (bytes or time), so this part of the inspection is partial.`,
      evidence: textOnly.slice(0, 5).join(', ') + (textOnly.length > 5 ? ', …' : ''),
    };
    return [finding];
  },
};
