import { describe, expect, it } from '@jest/globals';
import { contentBidiControl } from '../../../src/analysis/rules/content-bidi-control.js';
import { gating, npmManifest, runRule } from './fixtures.js';

const RLO = '\u202E';
const LRI = '\u2066';
const PDI = '\u2069';
const RLE = '\u202B';
const PDF = '\u202C';

describe('content-bidi-control', () => {
  it('flags the Trojan Source "commenting-out" attack (controls left open in a comment) as high', async () => {
    const source = `var isAdmin = false;\n/*${RLO} } ${LRI}if (isAdmin)${PDI} ${LRI} begin admins only */\n  console.log("You are an admin.");\n/* end admins only ${RLO} { ${LRI}*/\n`;
    const findings = await runRule(contentBidiControl, 'npm', {
      'package/package.json': npmManifest(),
      'package/index.js': source,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'high', line: 2 });
    expect(findings[0].message).toMatch(/RLO.*left open/);
    expect(findings[0].evidence).toContain('⟨U+202E⟩');
  });

  it('flags a "stretched string" in Python and controls in bare code as high', async () => {
    const stretched = `access_level = "user"\nif access_level != "user${RLO} ${LRI}# Check if admin${PDI} ${LRI}":\n    print("admin")\n`;
    const bare = `x = 1 ${RLE}+ 2${PDF}\n`;
    const findings = await runRule(contentBidiControl, 'pypi', {
      'demo/a.py': stretched,
      'demo/b.py': bare,
    });
    expect(gating(findings).map((f) => f.file)).toEqual(['demo/a.py', 'demo/b.py']);
    expect(findings[1].message).toContain('in code, outside any string or comment');
  });

  it('keeps balanced right-to-left text inside a string at medium, and ignores documents', async () => {
    const findings = await runRule(contentBidiControl, 'npm', {
      'package/package.json': npmManifest(),
      'package/locale.js': `module.exports = { he: "${RLE}שלום${PDF}" };\n`,
      'package/README.md': `Hebrew: ${RLO}text\n`,
    });
    expect(findings.map((f) => [f.file, f.severity])).toEqual([['package/locale.js', 'medium']]);
  });
});
