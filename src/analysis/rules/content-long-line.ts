import type { Finding, Severity } from '../../types.js';
import { suspiciousBlobs } from '../content/blobs.js';
import { longLines } from '../content/entropy.js';
import { displayPath, runsAt } from '../content/findings.js';
import { isSourcePath, JS_SOURCE } from '../content/names.js';
import { snippet } from '../context.js';
import type { Rule } from '../rule.js';

/** Lines this long are not written by hand in Python or shell. */
export const LONG_LINE_CHARS = 4000;

/**
 * Very long lines in hand-written languages (Python, shell, PowerShell, batch): payloads pasted
 * as one line, or code pushed far to the right past the edge of the reviewer's screen.
 * JavaScript is left out (minified bundles are normal there; content-obfuscated-file compares
 * them with the package's other files).
 */
export const contentLongLine: Rule = {
  meta: {
    id: 'content-long-line',
    severity: 'low',
    ecosystems: ['npm', 'pypi'],
    title: 'Very long line in source code',
    description: `A Python, shell, PowerShell or batch file has a line over ${LONG_LINE_CHARS} characters (JavaScript is judged by content-obfuscated-file instead). Low alone; medium when the file runs at install time. Lines that are one encoded blob are reported by content-encoded-blob.`,
    references: ['https://attack.mitre.org/techniques/T1027/ (obfuscated files or information)'],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of ctx.files) {
      if (!isSourcePath(file.path) || JS_SOURCE.test(file.path)) continue;
      const text = ctx.text(file.path);
      if (text === null || text.length <= LONG_LINE_CHARS) continue;
      const blobs = suspiciousBlobs(ctx, file.path);
      const lines = longLines(text, LONG_LINE_CHARS).filter(
        (l) =>
          !blobs.some(
            (b) =>
              b.offset >= l.offset && b.offset < l.offset + l.length && b.length * 2 > l.length,
          ),
      );
      if (lines.length === 0) continue;
      const longest = lines[0];
      const atInstall = runsAt(ctx, file.path) === 'install';
      const severity: Severity = atInstall ? 'medium' : 'low';
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: longest.line,
        message: `${displayPath(ctx, file.path)} has a ${longest.length}-character line${lines.length > 1 ? ` (and ${lines.length - 1} more over ${LONG_LINE_CHARS})` : ''}; code this long is generated or hidden, not written for review${atInstall ? ', and the file runs at install time' : ''}.`,
        evidence: snippet(text.slice(longest.offset, longest.offset + 200), 160),
      });
    }
    return findings;
  },
};
