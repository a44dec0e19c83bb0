import { describe, expect, it } from '@jest/globals';
import { combineWithCodeFindings } from '../../src/reputation/combine.js';
import type { Finding, Severity } from '../../src/types.js';

function f(rule: string, severity: Severity, file = '', line = 0, message = 'x'): Finding {
  return { rule, severity, file, line, message, evidence: '' };
}

const typosquat = f('typosquat', 'medium', '', 0, '`reqeusts` imitates `requests`.');
const publisher = f('publisher-changed', 'medium', '', 0, 'Who publishes it changed.');

describe('combineWithCodeFindings', () => {
  it('raises a typosquat to high together with a code finding at medium or above, naming it', () => {
    const code = f('py-exec-decoded', 'high', 'reqeusts-1.0/setup.py', 12);
    const [raised, untouched] = combineWithCodeFindings([typosquat, code]);
    expect(raised.severity).toBe('high');
    expect(raised.message).toBe(
      '`reqeusts` imitates `requests`. Raised from medium to high together with: py-exec-decoded (high in reqeusts-1.0/setup.py:12).',
    );
    expect(untouched).toBe(code);
  });

  it('leaves a typosquat at medium beside only low or info code findings', () => {
    const findings = [typosquat, f('entropy-blob', 'low', 'a.js', 1), f('new-command', 'info')];
    expect(combineWithCodeFindings(findings)).toEqual(findings);
  });

  it('is not raised by other reputation signals or by incomplete-inspection notices', () => {
    const findings = [
      typosquat,
      f('new-package', 'medium'),
      f('provenance-dropped', 'high'),
      f('analyzer-error', 'medium'),
      f('package-unavailable', 'high'),
    ];
    expect(combineWithCodeFindings(findings)[0].severity).toBe('medium');
  });

  it('raises a publisher change only together with an install-time behaviour', () => {
    const importTime = f(
      'js-eval-decoded',
      'high',
      'package/index.js',
      3,
      'Runs decoded code at import time.',
    );
    expect(combineWithCodeFindings([publisher, importTime])[0].severity).toBe('medium');
    const install = f(
      'npm-install-script',
      'high',
      'package/package.json',
      5,
      'postinstall runs node x.js',
    );
    const [raised] = combineWithCodeFindings([publisher, importTime, install]);
    expect(raised.severity).toBe('high');
    expect(raised.message).toContain(
      'together with: npm-install-script (high in package/package.json:5)',
    );
    expect(raised.message).not.toContain('js-eval-decoded');
    const byMessage = f(
      'py-subprocess',
      'medium',
      'setup.py',
      9,
      'Starts a process at install time.',
    );
    expect(combineWithCodeFindings([publisher, byMessage])[0].severity).toBe('high');
  });

  it('lets the caller decide what counts as a new install-time behaviour', () => {
    const install = f('npm-install-script', 'high', 'package/package.json', 5);
    const notNew = combineWithCodeFindings([publisher, install], {
      isInstallTimeBehaviour: () => false,
    });
    expect(notNew[0].severity).toBe('medium');
    const custom = f('custom-rule', 'medium', 'x.py', 1);
    const raised = combineWithCodeFindings([publisher, custom], {
      isInstallTimeBehaviour: (finding) => finding.rule === 'custom-rule',
    });
    expect(raised[0].severity).toBe('high');
  });

  it('never lowers or changes an info publisher change', () => {
    const info = f('publisher-changed', 'info');
    const install = f('npm-install-script', 'critical', 'package/package.json', 5);
    expect(combineWithCodeFindings([info, install])[0]).toBe(info);
  });
});
