import { describe, expect, it } from '@jest/globals';
import { pyDownloadExecute } from '../../../src/analysis/rules/py-download-execute.js';
import { gating, run } from './helpers.js';

describe('py-download-execute', () => {
  it('flags the technique in a fixture package', async () => {
    const findings = await run(pyDownloadExecute, 'py-download-execute/positive');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].rule).toBe('py-download-execute');
    expect(findings[0].severity).toBe('critical');
    expect(findings[0].message.length).toBeGreaterThan(20);
    expect(findings[0].line).toBeGreaterThan(0);
  });

  it('stays below the gate on the legitimate look-alike', async () => {
    expect(gating(await run(pyDownloadExecute, 'py-download-execute/negative'))).toEqual([]);
  });
});

describe('py-download-execute, embedded executables', () => {
  it('flags a Windows executable decoded from the source, written to a temp file and run', async () => {
    const { runOn } = await import('./helpers.js');
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]).toString('base64');
    const findings = await runOn(pyDownloadExecute, 'pypi', {
      'demo/__init__.py': [
        'import base64, subprocess, tempfile',
        `data = base64.b64decode("${exe}")`,
        "with tempfile.NamedTemporaryFile(suffix='.exe', delete=False) as f:",
        '    f.write(data)',
        'subprocess.call(f.name)',
      ].join('\n'),
    });
    expect(findings[0].severity).toBe('critical');
    expect(findings[0].message).toContain('embedded payload');
  });
});
