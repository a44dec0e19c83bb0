import { describe, expect, it } from '@jest/globals';
import { planAnnotations } from '../../src/report/annotations.js';
import {
  bumpedNpm,
  cleanNpm,
  evilPython,
  lowFinding,
  report,
  unavailable,
} from './fixtures/reports.js';

describe('planAnnotations', () => {
  it('puts one annotation per finding on the manifest line, error at or above fail-on and warning below', () => {
    const annotations = planAnnotations(
      report([cleanNpm({ findings: [lowFinding] }), evilPython(), bumpedNpm()]),
    );
    expect(annotations).toEqual([
      expect.objectContaining({
        level: 'error',
        title: 'py-exec-decoded in evil-pkg==1.0.0',
        file: 'requirements.txt',
        startLine: 3,
      }),
      expect.objectContaining({
        level: 'error',
        title: 'npm-install-script in left-pad@1.1.0',
        file: 'package-lock.json',
        startLine: 19,
      }),
      expect.objectContaining({
        level: 'warning',
        title: 'npm-bin-shadow in is-number@7.0.0',
        file: 'package-lock.json',
        startLine: 40,
      }),
    ]);
    expect(annotations[0].message).toContain(
      'critical: evil-pkg (added 1.0.0), setup.py:12: setup.py runs exec()',
    );
    expect(annotations[0].message).toContain('exec(base64.b64decode(');
  });

  it('follows the threshold: at fail-on low the low finding is an error, info is a notice', () => {
    const pkg = cleanNpm({
      findings: [lowFinding, { ...lowFinding, severity: 'info', rule: 'x-info' }],
    });
    const levels = planAnnotations(report([pkg], { failOn: 'low' })).map((a) => [
      a.title.split(' ')[0],
      a.level,
    ]);
    expect(levels).toEqual([
      ['npm-bin-shadow', 'error'],
      ['x-info', 'notice'],
    ]);
  });

  it('reports uninspectable packages and unreadable dependency files as errors on their file', () => {
    const annotations = planAnnotations(
      report([unavailable()], {
        manifestProblems: [{ path: 'sub/package-lock.json', message: 'bad JSON at line 3' }],
      }),
    );
    expect(annotations).toEqual([
      {
        level: 'error',
        title: 'pkg-gate: dependency file could not be read',
        message: 'bad JSON at line 3',
        file: 'sub/package-lock.json',
      },
      expect.objectContaining({
        level: 'error',
        title: 'pkg-gate: ghost==9.9.9 could not be inspected',
        file: 'requirements.txt',
        startLine: 4,
      }),
    ]);
  });
});
