import { describe, expect, it } from '@jest/globals';
import { renderJobSummary } from '../../src/report/job-summary.js';
import {
  bumpedNpm,
  cleanNpm,
  evilPython,
  lowFinding,
  report,
  unavailable,
} from './fixtures/reports.js';

describe('renderJobSummary', () => {
  const md = renderJobSummary(
    report([evilPython(), bumpedNpm(), cleanNpm({ findings: [lowFinding] }), unavailable()]),
  );

  it('has a verdict line and a table row per changed package with counts by severity', () => {
    expect(md).toContain('## 🛡️ pkg-gate: ❌ fail: 4 changed packages, 3 failing (fail-on: high)');
    expect(md).toContain(
      '| Ecosystem | Package | Change | Verdict | Critical | High | Medium | Low | Info |',
    );
    expect(md).toContain('| PyPI | `evil-pkg` | added 1.0.0 | ❌ fails the gate | 1 |  |  |  |  |');
    expect(md).toContain(
      '| npm | `left-pad` | 1.0.0 → 1.1.0 | ❌ fails the gate |  | 1 |  |  |  |',
    );
    expect(md).toContain(
      '| npm | `is-number` | added 7.0.0 | ✅ passes \\(findings below the threshold\\) |  |  |  | 1 |  |',
    );
  });

  it('folds details per package, open for failing ones, with where it came in', () => {
    expect(md).toContain(
      '<details open><summary>❌ evil-pkg added 1.0.0: fails the gate</summary>',
    );
    expect(md).toContain(
      '<details><summary>✅ is-number added 7.0.0: passes (findings below the threshold)</summary>',
    );
    expect(md).toContain('Brought in by `requirements.txt:3`.');
    expect(md).toContain('PyPI answered 404');
  });

  it('lists every dependency file seen, with format and change count', () => {
    expect(md).toContain('| `requirements.txt` | requirements | 2 |');
    expect(md).toContain('| `package-lock.json` | package-lock | 2 |');
  });

  it('says when nothing changed', () => {
    const empty = renderJobSummary(report([], { manifests: [] }));
    expect(empty).toContain('✅ no package changes to inspect');
    expect(empty).toContain('No dependency files changed in this PR.');
  });

  it('lists unreadable dependency files', () => {
    const out = renderJobSummary(
      report([], {
        manifestProblems: [
          { path: 'package-lock.json', line: 2, message: 'unknown lockfileVersion 9' },
        ],
      }),
    );
    expect(out).toContain('❌ fail: 0 changed packages, 0 failing, 1 unreadable dependency file');
    expect(out).toContain('| `package-lock.json` | 2 | unknown lockfileVersion 9 |');
  });
});
