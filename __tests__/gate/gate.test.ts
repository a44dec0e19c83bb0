import { describe, expect, it } from '@jest/globals';
import { packageVerdict, parseFailOn, reportVerdict } from '../../src/gate/index.js';
import type { Finding, PackageReport } from '../../src/types.js';

const finding = (severity: Finding['severity']): Finding => ({
  rule: 'r',
  severity,
  file: 'f',
  line: 1,
  message: 'm',
  evidence: 'e',
});

const pkg = (verdict: PackageReport['verdict']): PackageReport => ({
  source: 's',
  ecosystem: 'npm',
  name: 'n',
  version: '1.0.0',
  verdict,
  findings: [],
});

describe('gate', () => {
  it('fails a package only at or above fail-on', () => {
    expect(packageVerdict([finding('medium')], 'high')).toBe('pass');
    expect(packageVerdict([finding('high')], 'high')).toBe('fail');
    expect(packageVerdict([finding('critical')], 'high')).toBe('fail');
    expect(packageVerdict([finding('low')], 'low')).toBe('fail');
    expect(packageVerdict([finding('critical')], 'none')).toBe('pass');
    expect(packageVerdict([], 'info')).toBe('pass');
  });

  it('marks a package that could not be inspected as an error', () => {
    expect(packageVerdict([], 'high', 'could not be fetched')).toBe('error');
  });

  it('fails closed on uninspectable packages and unreadable dependency files at high', () => {
    expect(reportVerdict([pkg('pass'), pkg('error')], [], 'high')).toBe('fail');
    expect(
      reportVerdict([pkg('pass')], [{ path: 'package-lock.json', message: 'bad' }], 'high'),
    ).toBe('fail');
    // Above the threshold an outage does not block, as a user asked for with fail-on: critical.
    expect(reportVerdict([pkg('error')], [], 'critical')).toBe('pass');
    expect(reportVerdict([pkg('pass'), pkg('fail')], [], 'high')).toBe('fail');
    expect(reportVerdict([pkg('pass')], [], 'high')).toBe('pass');
  });

  it('parses fail-on with a clear error', () => {
    expect(parseFailOn(' HIGH ')).toBe('high');
    expect(parseFailOn('none')).toBe('none');
    expect(() => parseFailOn('severe')).toThrow(/fail-on must be one of .*got "severe"/);
  });
});

describe('findings an earlier release already had', () => {
  const existing: Finding = { ...finding('high'), alreadyIn: '1.0.0' };

  it('do not gate by default, unless gateExisting asks', () => {
    expect(packageVerdict([existing], 'high')).toBe('pass');
    expect(packageVerdict([existing], 'high', undefined, true)).toBe('fail');
  });

  it('gate when the registry history does not vouch for the earlier release', () => {
    const young: Finding = {
      ...existing,
      notVouched: 'first published 4 days ago: earlier releases do not vouch for it',
    };
    expect(packageVerdict([young], 'high')).toBe('fail');
    expect(packageVerdict([young], 'critical')).toBe('pass');
  });
});
