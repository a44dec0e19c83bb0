import { describe, expect, it } from '@jest/globals';
import { contentConfusableIdentifier } from '../../../src/analysis/rules/content-confusable-identifier.js';
import { npmManifest, runRule } from './fixtures.js';

const CYRILLIC_A = '\u0430';
const CYRILLIC_E = '\u0435';
const CYRILLIC_ES = '\u0441';
const CYRILLIC_O = '\u043e';
const CYRILLIC_KHA = '\u0445';
const MATH_BOLD = (s: string) =>
  [...s].map((c) => String.fromCodePoint(0x1d41a + c.charCodeAt(0) - 97)).join('');

describe('content-confusable-identifier', () => {
  it('flags a look-alike of a name the same file uses as high', async () => {
    const lookalike = `isAdm${'\u0456'}n`; // Cyrillic і
    const source = `const isAdmin = check();\nconst ${lookalike} = true;\nif (${lookalike}) grant();\n`;
    const findings = await runRule(contentConfusableIdentifier, 'npm', {
      'package/package.json': npmManifest(),
      'package/auth.js': source,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'high', line: 2 });
    expect(findings[0].message).toMatch(
      /mixes Latin and Cyrillic.*reads as `isAdmin`.*look identical/,
    );
  });

  it('flags Python names that NFKC folds into builtins, and all-Cyrillic look-alikes', async () => {
    const folded = await runRule(contentConfusableIdentifier, 'pypi', {
      'demo/x.py': `${MATH_BOLD('exec')}("print(1)")\nexec\n`,
    });
    expect(folded[0]).toMatchObject({ severity: 'high' });
    expect(folded[0].message).toContain('compatibility forms');
    const whole = await runRule(contentConfusableIdentifier, 'pypi', {
      'demo/y.py': `${CYRILLIC_E}${CYRILLIC_KHA}${CYRILLIC_E}${CYRILLIC_ES} = 1\n`,
    });
    expect(whole[0]).toMatchObject({ severity: 'medium' });
    expect(whole[0].message).toContain('entirely in Cyrillic');
  });

  it('stays quiet on real non-Latin names, Greek symbols, strings, comments and .d.ts files', async () => {
    const findings = await runRule(contentConfusableIdentifier, 'npm', {
      'package/package.json': npmManifest(),
      'package/i18n.js': `const привет = "p${CYRILLIC_A}ss"; // ${CYRILLIC_O}k\nconst μs = 1000;\nconst Δx = 2;\n`,
      'package/types.d.ts': `declare function fun${CYRILLIC_ES}tion(): void;\n`,
    });
    expect(findings.filter((f) => f.severity !== 'low')).toEqual([]);
  });
});
