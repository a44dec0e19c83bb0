import { describe, expect, it } from '@jest/globals';
import { markExistingFindings, versionlessPath } from '../../src/compare/index.js';
import { packageVerdict } from '../../src/gate/index.js';
import type { Finding } from '../../src/types.js';

const finding = (over: Partial<Finding>): Finding => ({
  rule: 'npm-install-script',
  severity: 'high',
  file: 'package/install.js',
  line: 3,
  message: 'm',
  evidence: 'node install.js',
  ...over,
});

describe('comparing a bump with the previous version', () => {
  it('maps archive paths of two versions onto one another', () => {
    expect(versionlessPath('evil-1.0.0/setup.py')).toBe('setup.py');
    expect(versionlessPath('package/lib/a.js')).toBe('lib/a.js');
    expect(versionlessPath('pkg-2.1.dist-info/entry_points.txt')).toBe(
      'pkg.dist-info/entry_points.txt',
    );
    expect(versionlessPath('pkg/__init__.py')).toBe('pkg/__init__.py');
  });

  it('marks what the previous version already had and leaves new behaviour unmarked', () => {
    const previous = [
      finding({ file: 'package/install.js', line: 3, evidence: 'fetch v1.2.0 binary' }),
    ];
    const current = [
      finding({ file: 'package/install.js', line: 9, evidence: 'fetch v1.3.0 binary' }),
      finding({ rule: 'js-exec-decoded', file: 'package/index.js', evidence: 'eval(atob(x))' }),
    ];
    const marked = markExistingFindings(current, previous, '1.2.0');
    expect(marked[0]?.alreadyIn).toBe('1.2.0');
    expect(marked[1]?.alreadyIn).toBeUndefined();
  });

  it('counts a finding whose severity rose as new', () => {
    const previous = [finding({ severity: 'low' }), finding({ rule: 'other', severity: 'high' })];
    const current = [finding({ severity: 'high' }), finding({ rule: 'other', severity: 'medium' })];
    const marked = markExistingFindings(current, previous, '1.2.0');
    expect(marked[0]?.alreadyIn).toBeUndefined();
    expect(marked[1]?.alreadyIn).toBe('1.2.0');
  });

  it('gates only on new findings unless asked to gate on existing ones', () => {
    const old = [finding({ alreadyIn: '1.2.0' })];
    expect(packageVerdict(old, 'high')).toBe('pass');
    expect(packageVerdict(old, 'high', undefined, true)).toBe('fail');
    expect(packageVerdict([...old, finding({})], 'high')).toBe('fail');
  });
});
