import { describe, expect, it } from '@jest/globals';
import {
  codeBlock,
  escapeText,
  fitToLimit,
  inlineCode,
  renderPackageMarkdown,
} from '../../src/report/markdown.js';
import { bumpedNpm, evilPython, unavailable } from './fixtures/reports.js';

/** The fence that opens a block, and whether the same fence closes it only at the very end. */
function fenceHoldsUntilEnd(block: string): boolean {
  const lines = block.split('\n');
  const fence = /^`+/.exec(lines[0])![0];
  const closers = lines.slice(1).filter((l) => new RegExp(`^\`{${fence.length},}\\s*$`).test(l));
  return closers.length === 1 && lines[lines.length - 1] === fence;
}

describe('codeBlock', () => {
  it('uses a fence longer than any backtick run inside, so evidence cannot close it', () => {
    const evidence = 'x = 1\n```\n# injected heading\n````\nrun()';
    const block = codeBlock(evidence, 'python');
    expect(block.startsWith('`````python\n')).toBe(true);
    expect(fenceHoldsUntilEnd(block)).toBe(true);
  });

  it('uses three backticks for ordinary code', () => {
    expect(codeBlock('exec(x)')).toBe('```\nexec(x)\n```');
  });
});

describe('inlineCode', () => {
  it('wraps text containing backticks with a longer delimiter', () => {
    expect(inlineCode('setup.py')).toBe('`setup.py`');
    expect(inlineCode('a`b')).toBe('`` a`b ``');
    expect(inlineCode('x\ny')).toBe('`x y`');
  });
});

describe('escapeText', () => {
  it('neutralises HTML, markers, links and mentions from package text', () => {
    const out = escapeText('<!-- pkg-gate:summary --> [click](http://x) @octocat <img src=x>');
    expect(out).not.toContain('<');
    expect(out).not.toMatch(/\]\(/);
    expect(out).toContain('@\u200boctocat');
  });
});

describe('fitToLimit', () => {
  it('returns short text unchanged', () => {
    expect(fitToLimit('abc', 100, 'note')).toBe('abc');
  });

  it('cuts at a paragraph boundary, closes an open code block and appends the note', () => {
    const long = [
      'intro',
      codeBlock(Array.from({ length: 50 }, () => 'x'.repeat(20)).join('\n\n')),
      'tail',
    ].join('\n\n');
    const out = fitToLimit(long, 300, '_truncated_');
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out.endsWith('_truncated_')).toBe(true);
    const fences = out.split('\n').filter((l) => /^```/.test(l));
    expect(fences.length % 2).toBe(0);
  });

  it('closes folded sections it cuts through', () => {
    const long = `<details><summary>s</summary>\n\n${Array.from({ length: 40 }, () => 'y'.repeat(30)).join('\n\n')}\n\n</details>`;
    const out = fitToLimit(long, 300, '_truncated_');
    expect(out).toMatch(/<\/details>\n\n_truncated_$/);
  });
});

describe('renderPackageMarkdown', () => {
  it('says package, change, verdict, rule, severity, file:line, why, evidence, links and what to do', () => {
    const md = renderPackageMarkdown(evilPython(), { failOn: 'high' });
    expect(md).toContain('`evil-pkg` added 1.0.0 (PyPI)');
    expect(md).toContain('**fails the gate**');
    expect(md).toContain('**critical** · `py-exec-decoded` · `setup.py:12`');
    expect(md).toContain('exec\\(\\) on base64-decoded data');
    expect(md).toContain('```python\nexec(base64.b64decode("aW1wb3J0IG9z"))\n```');
    expect(md).toContain('(https://pypi.org/project/evil-pkg/1.0.0/)');
    expect(md).toMatch(/What to do:\*\* remove `evil-pkg` from this PR/);
    expect(md).toContain('- package: "pypi:evil-pkg@1.0.0"');
  });

  it('advises pinning the previous version for a bump', () => {
    const md = renderPackageMarkdown(bumpedNpm(), { failOn: 'high' });
    expect(md).toContain('`left-pad` 1.0.0 → 1.1.0 (npm)');
    expect(md).toContain('pin `left-pad` back to `1.0.0`');
    expect(md).toContain('(https://www.npmjs.com/package/left-pad/v/1.1.0)');
  });

  it('shows a package that could not be fetched as such, with its error', () => {
    const md = renderPackageMarkdown(unavailable(), { failOn: 'high' });
    expect(md).toContain('could not be inspected (fails the gate)');
    expect(md).toContain('PyPI answered 404');
    expect(md).toContain('check that this exact version exists');
  });

  it('counts the findings beyond the limit instead of rendering them all', () => {
    const many = Array.from({ length: 15 }, (_, i) => ({
      ...evilPython().findings[0],
      line: i + 1,
    }));
    const md = renderPackageMarkdown(evilPython({ findings: many }), {
      failOn: 'high',
      maxFindings: 10,
    });
    expect(md.match(/py-exec-decoded/g)).toHaveLength(10);
    expect(md).toContain('and 5 more findings (5 critical)');
  });
});
