import { describe, expect, it } from '@jest/globals';
import { contentObfuscatedFile } from '../../../src/analysis/rules/content-obfuscated-file.js';
import {
  gating,
  minifiedJs,
  npmManifest,
  obfuscatorIoJs,
  readableJs,
  runRule,
} from './fixtures.js';

describe('content-obfuscated-file', () => {
  it('flags obfuscator.io code run by a postinstall script as high', async () => {
    const findings = await runRule(contentObfuscatedFile, 'npm', {
      'package/package.json': npmManifest({ scripts: { postinstall: 'node lib/setup.js' } }),
      'package/lib/setup.js': obfuscatorIoJs(),
      'package/index.js': readableJs(),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: 'package/lib/setup.js', severity: 'high' });
    expect(findings[0].message).toMatch(/_0x.*string-array rotation.*while\(!!\[\]\)/);
  });

  it('flags the same code as medium when it does not run at install time', async () => {
    const findings = await runRule(contentObfuscatedFile, 'npm', {
      'package/package.json': npmManifest(),
      'package/lib/util.js': obfuscatorIoJs(),
    });
    expect(findings.map((f) => f.severity)).toEqual(['medium']);
  });

  it('flags a lone minified file among readable ones: high at install, medium otherwise', async () => {
    const files = {
      'package/index.js': readableJs(40, 'a'),
      'package/lib/b.js': readableJs(40, 'b'),
      'package/lib/c.js': readableJs(40, 'c'),
      'package/lib/inject.js': minifiedJs(8000),
    };
    const quiet = await runRule(contentObfuscatedFile, 'npm', {
      'package/package.json': npmManifest(),
      ...files,
    });
    expect(quiet.map((f) => [f.file, f.severity])).toEqual([['package/lib/inject.js', 'medium']]);
    expect(quiet[0].message).toContain('3 of the package');
    const install = await runRule(contentObfuscatedFile, 'npm', {
      'package/package.json': npmManifest({ scripts: { preinstall: 'node ./lib/inject.js' } }),
      ...files,
    });
    expect(gating(install)).toHaveLength(1);
  });

  it('flags Python identifier soups in setup.py as high', async () => {
    const names = Array.from({ length: 25 }, (_, i) => `O0O${i.toString(2).replace(/1/g, 'O')}O0`);
    const findings = await runRule(contentObfuscatedFile, 'pypi', {
      'demo-1.0/setup.py': names.map((n, i) => `${n} = ${i}`).join('\n'),
    });
    expect(findings[0]).toMatchObject({ severity: 'high' });
    expect(findings[0].message).toContain('O0O0');
  });

  it('treats packages of bundles as normal and vendored .min.js files as low', async () => {
    const bundles = await runRule(contentObfuscatedFile, 'npm', {
      'package/package.json': npmManifest(),
      'package/dist/index.js': minifiedJs(9000),
      'package/dist/index.mjs': minifiedJs(9000),
      'package/dist/cli.js': minifiedJs(7000),
    });
    expect(bundles).toEqual([]);
    const vendored = await runRule(contentObfuscatedFile, 'npm', {
      'package/package.json': npmManifest(),
      'package/index.js': readableJs(),
      'package/vendor/jquery.min.js': minifiedJs(9000),
    });
    expect(vendored.map((f) => f.severity)).toEqual(['low']);
  });

  it('does not mistake escapes inside regular expressions for an identifier soup', async () => {
    const regex = `module.exports = () => /${'\\uD83C\\uDFF4\\uDB40\\uDC67('.repeat(40)}/g;\n`;
    const findings = await runRule(contentObfuscatedFile, 'npm', {
      'package/package.json': npmManifest(),
      'package/index.js': regex,
      'package/other.js': readableJs(),
    });
    expect(findings).toEqual([]);
  });
});
