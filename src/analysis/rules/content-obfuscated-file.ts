import type { Finding, Severity } from '../../types.js';
import { displayPath, runsAt } from '../content/findings.js';
import {
  BUNDLE_PATH,
  isMinified,
  obfuscationSignals,
  shapeOf,
  type ShapeMetrics,
} from '../content/minified.js';
import { JS_SOURCE, PY_SOURCE } from '../content/names.js';
import { lineAt, snippet } from '../context.js';
import type { Rule } from '../rule.js';

interface Candidate {
  path: string;
  text: string;
  shape: ShapeMetrics;
  minified: boolean;
}

/** Outlier test: at least this many other code files, and at most this share of them minified. */
const MIN_PEERS = 1;
const MAX_PEER_MINIFIED_SHARE = 0.25;

/**
 * Obfuscated code, or minified code in a package whose other files are readable. Whole packages
 * of bundles are normal (dist/ builds); one unreadable file among readable ones is where an
 * injected payload sits, as in the 2025 compromises of popular npm packages.
 */
export const contentObfuscatedFile: Rule = {
  meta: {
    id: 'content-obfuscated-file',
    severity: 'medium',
    ecosystems: ['npm', 'pypi'],
    title: 'Obfuscated or out-of-place minified code',
    description:
      "A JavaScript or Python file carries obfuscator fingerprints (obfuscator.io _0x identifier soups, string-array rotation, while(!![]) control-flow loops, JSFuck, aaencode/jjencode, identifier soups of Unicode escapes, CJK or IlIl/O0O0 names), or is minified while the package's other code files are not. Medium alone; high when the file runs at install time (an npm lifecycle script target or setup.py); low for a lone minified file whose path says it is a bundle or vendored copy.",
    references: [
      'https://github.com/NodeSecure/js-x-ray (obfuscated-code, short-identifiers)',
      'https://github.com/DataDog/guarddog (npm-obfuscation, pypi-obfuscation)',
      'https://obfuscator.io/',
    ],
  },
  check(ctx) {
    const candidates: Candidate[] = [];
    for (const file of ctx.files) {
      if (!JS_SOURCE.test(file.path) && !PY_SOURCE.test(file.path)) continue;
      if (/\.d\.[cm]?ts$/.test(file.path)) continue;
      const text = ctx.text(file.path);
      if (text === null || text.length === 0) continue;
      const shape = shapeOf(text);
      candidates.push({
        path: file.path,
        text,
        shape,
        minified: JS_SOURCE.test(file.path) && isMinified(shape),
      });
    }
    const jsFiles = candidates.filter((c) => JS_SOURCE.test(c.path));
    const minifiedTotal = jsFiles.filter((c) => c.minified).length;
    const findings: Finding[] = [];
    for (const candidate of candidates) {
      const signals = obfuscationSignals(candidate.text, JS_SOURCE.test(candidate.path));
      const atInstall = runsAt(ctx, candidate.path) === 'install';
      const name = displayPath(ctx, candidate.path);
      if (signals.length) {
        const severity: Severity = atInstall ? 'high' : 'medium';
        findings.push({
          rule: this.meta.id,
          severity,
          file: candidate.path,
          line: lineAt(candidate.text, signals[0].offset),
          message: `${name} is obfuscated (${signals.map((s) => s.technique).join('; ')}); nobody can review what it does${atInstall ? ', and it runs automatically when the package is installed' : ''}.`,
          evidence: snippet(signals[0].evidence, 160),
        });
        continue;
      }
      if (!candidate.minified) continue;
      const peers = jsFiles.length - 1;
      const peerMinified = minifiedTotal - 1;
      if (peers < MIN_PEERS || peerMinified / peers > MAX_PEER_MINIFIED_SHARE) continue;
      const bundleLike = BUNDLE_PATH.test(candidate.path.slice(ctx.root.length));
      const severity: Severity = atInstall ? 'high' : bundleLike ? 'low' : 'medium';
      findings.push({
        rule: this.meta.id,
        severity,
        file: candidate.path,
        line: 1,
        message: `${name} is minified (${Math.round(candidate.shape.meanLine)} characters per line on average, longest ${candidate.shape.longestLine}) while ${peers - peerMinified} of the package's ${peers} other JavaScript files are readable; one unreadable file among readable ones is where injected code hides${atInstall ? ', and this one runs at install time' : ''}.`,
        evidence: snippet(candidate.text.slice(0, 200), 160),
      });
    }
    return findings;
  },
};
