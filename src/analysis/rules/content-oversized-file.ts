import type { Finding } from '../../types.js';
import { displayPath, formatBytes } from '../content/findings.js';
import { isSourcePath } from '../content/names.js';
import type { Rule } from '../rule.js';

/**
 * Files that unpacking cut short (over the per-file size limit, or at the end of a truncated
 * archive): only their head was inspected. The archive-level problem is reported by the
 * pipeline (archive-unreadable); this names each file so the reader knows what was not read.
 */
export const contentOversizedFile: Rule = {
  meta: {
    id: 'content-oversized-file',
    severity: 'low',
    ecosystems: ['npm', 'pypi'],
    title: 'File only partly inspected (over the size limit)',
    description:
      'A file was larger than the per-file unpack limit (or cut off by a truncated archive), so only its first bytes were inspected. Low for source code, whose unread part could hold anything; info for other files (their type was still recognised from the head).',
    references: [],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of ctx.files) {
      if (!file.truncated) continue;
      const source = isSourcePath(file.path);
      findings.push({
        rule: this.meta.id,
        severity: source ? 'low' : 'info',
        file: file.path,
        line: 0,
        message: `${displayPath(ctx, file.path)} is ${formatBytes(file.size)}; only the first ${formatBytes(file.data.length)} were inspected${source ? ', and the rest of this source file was not analysed' : ''}.`,
        evidence: `${formatBytes(file.data.length)} of ${formatBytes(file.size)} read`,
      });
    }
    return findings;
  },
};
