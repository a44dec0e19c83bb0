import { describe, expect, it } from '@jest/globals';
import { npmSelfPropagation } from '../../../src/analysis/rules/npm-self-propagation.js';
import { gating, runOn } from './helpers.js';

describe('npm-self-propagation', () => {
  it('flags an install script that republishes packages with found tokens', async () => {
    const findings = await runOn(npmSelfPropagation, 'npm', {
      'package/package.json': JSON.stringify({
        name: 'demo',
        version: '1.0.0',
        scripts: { postinstall: 'node bundle.js' },
      }),
      'package/bundle.js': [
        "const { execSync } = require('child_process');",
        "const fs = require('fs');",
        "const token = process.env.NPM_TOKEN || fs.readFileSync(require('os').homedir() + '/.npmrc', 'utf8');",
        "execSync('npm publish --access public', { cwd: '/tmp/pkg' });",
      ].join('\n'),
    });
    expect(findings[0].severity).toBe('critical');
  });

  it('flags a lifecycle script that publishes', async () => {
    const findings = await runOn(npmSelfPropagation, 'npm', {
      'package/package.json': JSON.stringify({
        name: 'demo',
        version: '1.0.0',
        scripts: { preinstall: 'cd /tmp/x && npm publish' },
      }),
    });
    expect(gating(findings)).toHaveLength(1);
  });

  it('keeps a release tool that publishes when its command is run below the gate', async () => {
    const findings = await runOn(npmSelfPropagation, 'npm', {
      'package/package.json': JSON.stringify({ name: 'release-it-lite', version: '1.0.0' }),
      'package/lib/publish.js': [
        "const { execSync } = require('child_process');",
        'function release(dir) {',
        "  if (!process.env.NPM_TOKEN) throw new Error('NPM_TOKEN missing');",
        "  execSync('npm publish', { cwd: dir, stdio: 'inherit' });",
        '}',
        'module.exports = { release };',
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
    expect(findings.map((f) => f.severity)).toEqual(['medium']);
  });
});
