import { describe, expect, it } from '@jest/globals';
import { renderText } from '../../src/report/text.js';
import {
  bumpedNpm,
  cleanNpm,
  evilPython,
  execFinding,
  installScriptFinding,
  report,
  unavailable,
} from './fixtures/reports.js';

describe('renderText', () => {
  const text = renderText(report([evilPython(), bumpedNpm(), cleanNpm(), unavailable()]));

  it('prints a header per package with findings, then each finding with severity, rule, location, why and evidence', () => {
    expect(text).toContain('✖ evil-pkg added 1.0.0 [pypi] FAIL — fails the gate');
    expect(text).toContain('  in requirements.txt:3');
    expect(text).toMatch(
      / {2}critical {2}py-exec-decoded {2}setup\.py:12\n {12}setup\.py runs exec\(\)/,
    );
    expect(text).toContain('│ exec(base64.b64decode("aW1wb3J0IG9z"))');
    expect(text).toContain('✖ left-pad 1.0.0 → 1.1.0 [npm] FAIL');
  });

  it('shows an unreadable package with its error, and clean packages in one line', () => {
    expect(text).toContain(
      '✖ ghost added 9.9.9 [pypi] ERROR — could not be inspected (fails the gate)',
    );
    expect(text).toContain('error     could not be fetched: PyPI answered 404');
    expect(text).toContain('✔ is-number added 7.0.0 [npm] PASS — passes\n');
  });

  it('ends with totals', () => {
    expect(text.trimEnd().split('\n').pop()).toBe(
      'FAIL 4 packages · 3 failing · 1 not inspectable · findings: 1 critical, 1 high (fail-on: high)',
    );
  });

  it("shows the configuration's own problems with file and line, and counts them in the totals", () => {
    const out = renderText({
      ...report([cleanNpm()]),
      verdict: 'fail',
      configProblems: [
        {
          path: '.github/pkg-gate.yml',
          line: 3,
          message: "the head's version: allow[0]: reason is required",
        },
      ],
    });
    expect(out).toContain(
      "✖ .github/pkg-gate.yml:3: invalid pkg-gate configuration: the head's version: allow[0]: reason is required",
    );
    expect(out.trimEnd().split('\n').pop()).toMatch(/^FAIL .* · invalid pkg-gate configuration /);
  });

  it('shows the CLI argument when it is not the package name', () => {
    const out = renderText(report([cleanNpm({ source: './vendor/thing.tgz', change: undefined })]));
    expect(out).toContain('✔ is-number 7.0.0 [npm] PASS — passes (./vendor/thing.tgz)');
  });

  it('colours only when asked, and never lets package text emit terminal escapes', () => {
    expect(text).not.toContain('\u001b[');
    expect(renderText(report([evilPython()]), { color: true })).toContain('\u001b[35mcritical');
    const hostile = renderText(
      report([
        evilPython({
          findings: [
            {
              ...evilPython().findings[0],
              evidence: 'x\u001b[2Jy',
              message: 'm\u001b]0;title\u0007',
            },
          ],
        }),
      ]),
    );
    expect(hostile).not.toContain('\u001b');
    expect(hostile).toContain('x\\u{1b}[2Jy');
  });

  it('says which release an added package was compared with and what the registry context means', () => {
    const out = renderText(
      report([
        cleanNpm({
          verdict: 'fail',
          comparedWith: '6.0.0',
          findings: [
            {
              ...installScriptFinding,
              alreadyIn: '6.0.0',
              notVouched: 'first published 4 days ago: earlier releases do not vouch for it',
            },
            { ...execFinding, releaseTiming: 'published 2 years after 6.0.0' },
          ],
        }),
      ]),
    );
    expect(out).toContain('  compared with 6.0.0, the release before it on the registry\n');
    expect(out).toContain(
      '(already in 6.0.0; gates anyway: first published 4 days ago: earlier releases do not vouch for it)',
    );
    expect(out).toContain('(new in this version, published 2 years after 6.0.0)');
  });
});
