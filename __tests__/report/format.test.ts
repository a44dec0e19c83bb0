import { describe, expect, it } from '@jest/globals';
import {
  codeBrowserUrl,
  describeChange,
  describeCounts,
  failsGate,
  packageLabel,
  packagePageUrl,
  sanitizeEvidence,
  sortFindings,
} from '../../src/report/format.js';
import {
  bumpedNpm,
  cleanNpm,
  evilPython,
  execFinding,
  installScriptFinding,
  lowFinding,
  unavailable,
} from './fixtures/reports.js';

describe('describeChange', () => {
  it('words each kind of change the way the PR comment shows it', () => {
    expect(describeChange(evilPython())).toBe('added 1.0.0');
    expect(describeChange(bumpedNpm())).toBe('1.0.0 → 1.1.0');
    expect(describeChange(bumpedNpm({ change: 'downgraded', from: '2.0.0' }))).toBe(
      '2.0.0 → 1.1.0 (downgrade)',
    );
    expect(describeChange(bumpedNpm({ change: 'removed' }))).toBe('removed 1.1.0');
    expect(describeChange(cleanNpm({ change: undefined }))).toBe('7.0.0');
  });
});

describe('package identity and links', () => {
  it('labels pins per ecosystem', () => {
    expect(packageLabel(evilPython())).toBe('evil-pkg==1.0.0');
    expect(packageLabel(bumpedNpm())).toBe('left-pad@1.1.0');
  });

  it('links the exact version on npmjs.com and pypi.org, scoped names kept readable', () => {
    expect(packagePageUrl(bumpedNpm())).toBe('https://www.npmjs.com/package/left-pad/v/1.1.0');
    expect(packagePageUrl(cleanNpm({ name: '@types/node', version: '20.1.0' }))).toBe(
      'https://www.npmjs.com/package/%40types/node/v/20.1.0',
    );
    expect(packagePageUrl(evilPython())).toBe('https://pypi.org/project/evil-pkg/1.0.0/');
    expect(codeBrowserUrl(evilPython())).toBe('https://inspector.pypi.io/project/evil-pkg/1.0.0/');
    expect(codeBrowserUrl(bumpedNpm())).toBe(
      'https://www.npmjs.com/package/left-pad/v/1.1.0?activeTab=code',
    );
  });
});

describe('severity helpers', () => {
  it('counts by severity and sorts the worst first', () => {
    const findings = [lowFinding, execFinding, installScriptFinding, installScriptFinding];
    expect(describeCounts(findings)).toBe('1 critical, 2 high, 1 low');
    expect(describeCounts([])).toBe('none');
    expect(sortFindings(findings).map((f) => f.severity)).toEqual([
      'critical',
      'high',
      'high',
      'low',
    ]);
  });

  it('counts an uninspectable package as failing unless fail-on is above high', () => {
    expect(failsGate(unavailable(), 'high')).toBe(true);
    expect(failsGate(unavailable(), 'critical')).toBe(false);
    expect(failsGate(cleanNpm(), 'info')).toBe(false);
  });
});

describe('sanitizeEvidence', () => {
  it('removes common indentation and surrounding blank lines', () => {
    expect(sanitizeEvidence('\n    if x:\n        exec(y)\n\n')).toBe('if x:\n    exec(y)');
  });

  it('elides long unbroken blobs, keeping their start and end', () => {
    const blob = 'A'.repeat(50) + 'B'.repeat(400) + 'Z'.repeat(20);
    const out = sanitizeEvidence(`exec(b64decode("${blob}"))`);
    expect(out.length).toBeLessThan(150);
    expect(out).toMatch(/^exec\(b64decode\("AAAA/);
    expect(out).toMatch(/chars elided/);
    expect(out).toMatch(/ZZZ"\)\)$/);
  });

  it('redacts secrets', () => {
    const out = sanitizeEvidence(
      'key = "AKIAIOSFODNN7EXAMPLE"\ntoken = ghp_' +
        'a'.repeat(36) +
        '\npassword = "hunter2hunter2"',
    );
    expect(out).not.toMatch(/AKIAIOSFODNN7EXAMPLE|ghp_a|hunter2/);
    expect(out).toMatch(/redacted/);
  });

  it('makes terminal escapes and bidi overrides visible', () => {
    const out = sanitizeEvidence('x = 1\u001b[2J\u202e# reversed');
    expect(out).toBe('x = 1\\u{1b}[2J\\u{202e}# reversed');
  });

  it('keeps at most the configured number of lines and says how many were cut', () => {
    const text = Array.from({ length: 30 }, (_, i) => `line${i}`).join('\n');
    const out = sanitizeEvidence(text, { maxLines: 5, maxLineChars: 100, maxTokenChars: 100 });
    expect(out.split('\n')).toHaveLength(6);
    expect(out).toMatch(/25 more lines/);
  });
});
