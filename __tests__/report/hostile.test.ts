import { describe, expect, it } from '@jest/globals';
import { planReview } from '../../src/report/review.js';
import { renderJobSummary } from '../../src/report/job-summary.js';
import { renderSummaryComment } from '../../src/report/summary-comment.js';
import type { Finding } from '../../src/types.js';
import { evilPython, report, requirementsPatch } from './fixtures/reports.js';

// Everything below comes from the package under inspection: an attacker writes it.
const hostile: Finding = {
  rule: 'py-exec-decoded',
  severity: 'critical',
  file: 'a`b](http://evil.example)<img src=x onerror=alert(1)>.py',
  line: 1,
  message:
    'exec of <script>alert(1)</script> — cc @maintainer, see [here](http://evil.example) <!-- pkg-gate:summary -->',
  evidence:
    '```\n</details>\n<!-- pkg-gate:package npm:other@1.0.0#000000000000 -->\n````\n# Approved by security ✅\nexec(x)',
};

/**
 * Removes fenced code blocks (fence = the opening run, closed by a run at least as long) and
 * code spans (a backtick run closed by a run of the same length), where HTML is literal text.
 */
function outsideCodeBlocks(markdown: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const run = /^(`{3,})(.*)$/.exec(line);
    if (!fence && run) fence = run[1];
    else if (fence && run && run[1].length >= fence.length && !run[2].trim()) fence = undefined;
    else if (!fence) out.push(line);
  }
  return out.join('\n').replace(/(?<!`)(`+)(?!`)[^\n]*?(?<!`)\1(?!`)/g, '');
}

/** HTML tags and comments outside code, other than the ones pkg-gate writes itself. */
function foreignHtml(markdown: string): string[] {
  const allowed =
    /^(<!-- pkg-gate:[a-z]+( [A-Za-z0-9@._+:/=#-]+)? -->|<\/?details( open)?>|<\/?summary>|<\/?sub>)$/;
  return (outsideCodeBlocks(markdown).match(/<!--[\s\S]*?-->|<\/?[a-z][^>]*>/gi) ?? []).filter(
    (tag) => !allowed.test(tag),
  );
}

describe('package text cannot inject into PR comments', () => {
  const pkg = evilPython({ findings: [hostile] });
  const files = [{ path: 'requirements.txt', status: 'modified', patch: requirementsPatch }];

  it('keeps evidence inside its code block and escapes HTML, links and mentions in the inline comment', () => {
    const [comment] = planReview(report([pkg]), files).comments;
    expect(foreignHtml(comment.body)).toEqual([]);
    const prose = outsideCodeBlocks(comment.body);
    expect(prose).not.toMatch(/\]\(http:\/\/evil/);
    expect(prose).not.toMatch(/@maintainer/);
    expect(prose).not.toContain('# Approved by security');
    // Only one package marker outside code: ours, first.
    expect(prose.match(/<!-- pkg-gate:package /g)).toHaveLength(1);
    expect(comment.body.startsWith('<!-- pkg-gate:package pypi:evil-pkg@1.0.0#')).toBe(true);
  });

  it('does the same in the summary comment and the job summary', () => {
    for (const markdown of [renderSummaryComment(report([pkg])), renderJobSummary(report([pkg]))]) {
      expect(foreignHtml(markdown)).toEqual([]);
      expect(outsideCodeBlocks(markdown)).not.toContain('# Approved by security');
    }
  });
});
