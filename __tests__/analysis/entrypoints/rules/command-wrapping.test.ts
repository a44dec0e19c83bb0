import { describe, expect, it } from '@jest/globals';
import { entrypointFindings } from '../helpers.js';

const wrapping = async (path: string, ecosystem: 'npm' | 'pypi') =>
  (await entrypointFindings(path, ecosystem)).filter(
    (f) => f.rule === 'entrypoint-command-wrapping',
  );

describe('entrypoint-command-wrapping', () => {
  it('flags a console script that runs the real command and exfiltrates credentials, citing both', async () => {
    const findings = await wrapping('verdicts/wrapper-py', 'pypi');
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f.severity).toBe('critical');
    expect(f.file).toBe('awstools-1.0/awstools/cli.py');
    expect(f.line).toBe(16);
    expect(f.message).toMatch(/runs the real command at awstools-1\.0\/awstools\/cli\.py:16/);
    expect(f.message).toMatch(/talks to the network at awstools-1\.0\/awstools\/cli\.py:10/);
    expect(f.message).toMatch(/reads credentials at awstools-1\.0\/awstools\/cli\.py:9/);
  });

  it('follows src layouts and re-exports, finds shutil.which and a detached payload', async () => {
    const findings = await wrapping('verdicts/wrapper-py-src', 'pypi');
    expect(findings).toHaveLength(1);
    expect(findings[0].file).toBe('gitx-1.0/src/gitx/run.py');
    expect(findings[0].message).toContain('starts a hidden or background process');
  });

  it('flags an npm bin that spawns the same command and posts a file from home', async () => {
    const findings = await wrapping('verdicts/wrapper-npm', 'npm');
    expect(findings).toHaveLength(1);
    expect(findings[0].file).toBe('package/bin/kubectl.js');
    expect(findings[0].message).toContain('talks to the network');
  });

  it('leaves a plain pass-through wrapper (runs its bundled binary, nothing else) alone', async () => {
    expect(await wrapping('verdicts/wrapper-benign', 'pypi')).toEqual([]);
  });
});
