import type { Finding, Severity } from '../../types.js';
import { displayPath } from '../content/findings.js';
import { languageOf } from '../content/lexer.js';
import { findConfusableIdentifiers, type ConfusableIdentifier } from '../content/unicode.js';
import type { Rule } from '../rule.js';

function severityOf(found: ConfusableIdentifier, greekMath: boolean): Severity {
  // math code names variables ρ, ν, ο by the formula; a collision among many Greek names is
  // notation, not a disguise (plotly.js, d3): reported, below the gate
  // so is a one- or two-letter Greek variable with an index (ρ2, νx1 → p2): formula names
  const shortGreek =
    found.scripts.every((s) => s === 'Greek') &&
    [...found.identifier.replace(/[\d_]/g, '')].length <= 2;
  if (found.collides && (greekMath || shortGreek) && found.scripts.every((s) => s === 'Greek'))
    return 'medium';
  if (found.collides) return 'high';
  // Greek letters mixed with Latin are ordinary in scientific code (Δx, σ_max)
  if (found.kind === 'mixed-script' && found.scripts.every((s) => s === 'Latin' || s === 'Greek'))
    return 'low';
  return 'medium';
}

function kindPhrase(found: ConfusableIdentifier): string {
  switch (found.kind) {
    case 'mixed-script':
      return `mixes ${found.scripts.join(' and ')} letters`;
    case 'whole-script':
      return `is spelled entirely in ${found.scripts.join('/')} letters that look Latin`;
    default:
      return 'uses compatibility forms that Unicode normalisation folds into ASCII';
  }
}

/**
 * Trojan Source, homoglyph half: identifiers that look like ASCII names but are not, so a
 * reviewer reads `isAdmin` where the code has a different variable (or, in Python, where NFKC
 * folding turns `𝐞𝐱𝐞𝐜` into `exec`).
 */
export const contentConfusableIdentifier: Rule = {
  meta: {
    id: 'content-confusable-identifier',
    severity: 'medium',
    ecosystems: ['npm', 'pypi'],
    title: 'Homoglyph (confusable) identifier in source code',
    description:
      'A JavaScript or Python identifier mixes Latin with Cyrillic/Greek/Armenian/Cherokee letters, is spelled entirely in look-alike letters, or uses compatibility forms (mathematical/fullwidth letters) that normalise to ASCII. High when it looks exactly like another identifier used in the same file; low for Latin mixed with Greek only (common in scientific code); medium otherwise.',
    references: [
      'https://trojansource.codes/',
      'https://nvd.nist.gov/vuln/detail/CVE-2021-42694',
      'https://www.unicode.org/reports/tr39/',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of ctx.files) {
      const language = languageOf(file.path);
      // declaration files only describe types; nothing in them runs
      if ((language !== 'javascript' && language !== 'python') || /\.d\.[cm]?ts$/.test(file.path))
        continue;
      const text = ctx.text(file.path);
      if (text === null) continue;
      const found = findConfusableIdentifiers(text, language);
      if (found.length === 0) continue;
      const greekNames = new Set(
        found.filter((f) => f.scripts.includes('Greek')).map((f) => f.identifier),
      );
      const greekMath = greekNames.size >= 5;
      const ranked = found
        .map((f) => ({ f, severity: severityOf(f, greekMath) }))
        .sort(
          (a, b) => ORDER.indexOf(b.severity) - ORDER.indexOf(a.severity) || a.f.line - b.f.line,
        );
      const { f, severity } = ranked[0];
      const codepoints = [...f.identifier]
        .filter((c) => c.charCodeAt(0) > 127)
        .slice(0, 4)
        .map((c) => `U+${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`)
        .join(' ');
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: f.line,
        message: `${displayPath(ctx, file.path)}: identifier \`${f.identifier}\` ${kindPhrase(f)} and reads as \`${f.imitates}\`${f.collides ? `, a name the same file also uses: two different variables look identical` : ''}${found.length > 1 ? ` (${found.length} such identifiers in this file)` : ''}.`,
        evidence: `${f.identifier} (${codepoints}) ≈ ${f.imitates}`,
      });
    }
    return findings;
  },
};

const ORDER: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
