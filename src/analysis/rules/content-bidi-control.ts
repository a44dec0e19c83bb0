import type { Finding, Severity } from '../../types.js';
import { displayPath } from '../content/findings.js';
import { languageOf } from '../content/lexer.js';
import { isSourcePath } from '../content/names.js';
import { findBidiControls } from '../content/unicode.js';
import type { Rule } from '../rule.js';

/** Shows invisible controls in evidence, e.g. `if x ⟨RLO⟩…`. */
function visible(line: string): string {
  return line
    .replace(
      /[\u202A-\u202E\u2066-\u2069]/g,
      (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase()}⟩`,
    )
    .trim()
    .slice(0, 200);
}

/**
 * Trojan Source, bidirectional half: Unicode controls that reorder how a line is displayed, so
 * the code a reviewer reads is not the code that runs.
 */
export const contentBidiControl: Rule = {
  meta: {
    id: 'content-bidi-control',
    severity: 'high',
    ecosystems: ['npm', 'pypi'],
    title: 'Bidirectional control characters in source code (Trojan Source)',
    description:
      'A source file contains Unicode bidirectional embedding, override or isolate controls (U+202A-U+202E, U+2066-U+2069). High when they sit in code outside strings and comments, or when one is left open at the end of its string or comment (the reordering then spills onto the code that follows); medium for balanced controls inside a string or comment.',
    references: [
      'https://trojansource.codes/',
      'https://nvd.nist.gov/vuln/detail/CVE-2021-42574',
      'https://www.unicode.org/reports/tr9/',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of ctx.files) {
      if (!isSourcePath(file.path)) continue;
      const text = ctx.text(file.path);
      if (text === null) continue;
      const hits = findBidiControls(text, languageOf(file.path));
      if (hits.length === 0) continue;
      const dangerous = hits.filter((h) => h.region === 'code' || h.unterminated);
      const hit = dangerous[0] ?? hits[0];
      const severity: Severity = dangerous.length ? 'high' : 'medium';
      const where =
        hit.region === 'code'
          ? 'in code, outside any string or comment'
          : hit.unterminated
            ? `in a ${hit.region} and left open, so the reordering spills onto the code after it`
            : `balanced inside a ${hit.region}`;
      const lineStart = text.lastIndexOf('\n', hit.offset) + 1;
      const lineEnd = text.indexOf('\n', hit.offset);
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: hit.line,
        message: `${displayPath(ctx, file.path)} line ${hit.line} has bidirectional controls (${hit.controls.join(', ')}) ${where}; the line displays differently from how it runs${hits.length > 1 ? ` (${hits.length} places in this file)` : ''}.`,
        evidence: visible(text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd)),
      });
    }
    return findings;
  },
};
