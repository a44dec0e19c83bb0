import { describe, expect, it } from '@jest/globals';
import { ManifestParseError } from '../../../../src/manifests/parse/errors.js';
import { parsePackageLock } from '../../../../src/manifests/parse/npm/package-lock.js';
import { fixture, lineOf } from '../../fixtures.js';

function parseError(content: string): ManifestParseError {
  try {
    parsePackageLock(content);
  } catch (error) {
    if (error instanceof ManifestParseError) return error;
    throw error;
  }
  throw new Error('expected a ManifestParseError');
}

describe.each([1, 2, 3])('parsePackageLock on a real npm lockfile v%i', (version) => {
  const content = fixture(`npm/package-lock.v${version}.head.json`);
  const packages = parsePackageLock(content);
  const entries = (name: string) => packages.filter((pkg) => pkg.name === name);

  it('lists every installed package once per copy, without the root project', () => {
    expect(packages.map((pkg) => `${pkg.name}@${pkg.version}`).sort()).toEqual([
      '@tootallnate/once@2.0.0',
      'ansi-styles@4.3.0',
      'chalk@4.1.2',
      'color-convert@2.0.1',
      'color-name@1.1.4',
      'debug@2.6.9',
      'has-flag@4.0.0',
      'left-pad@1.1.0',
      'left-pad@1.3.0',
      'ms@2.0.0',
      'ms@2.1.2',
      'supports-color@7.2.0',
    ]);
    expect(entries('fixture-app')).toEqual([]);
  });

  it('points each package at the line of its key, with its integrity', () => {
    const key = version === 1 ? '"chalk": {' : '"node_modules/chalk": {';
    const [chalk] = entries('chalk');
    expect(chalk.line).toBe(lineOf(content, key));
    expect(chalk.integrity).toMatch(/^sha512-/);
    expect(chalk.ecosystem).toBe('npm');
  });

  it('names an alias by the real package it installs', () => {
    const aliasKey = version === 1 ? '"lp": {' : '"node_modules/lp": {';
    expect(entries('left-pad').find((pkg) => pkg.version === '1.3.0')?.line).toBe(
      lineOf(content, aliasKey),
    );
  });

  it('keeps the nested copy of ms at its own line', () => {
    const nested = entries('ms').find((pkg) => pkg.version === '2.0.0');
    const nestedKey = version === 1 ? '"ms": {' : '"node_modules/debug/node_modules/ms": {';
    const from = version === 1 ? lineOf(content, '"debug": {') : 1;
    expect(nested?.line).toBe(lineOf(content, nestedKey, from));
  });

  it('keeps scoped names whole', () => {
    expect(entries('@tootallnate/once')).toHaveLength(1);
  });
});

describe('parsePackageLock details', () => {
  it('reads resolved, skips links and workspace folders, and uses name for aliases', () => {
    const lock = JSON.stringify(
      {
        name: 'mono',
        lockfileVersion: 3,
        packages: {
          '': { name: 'mono', workspaces: ['packages/*'] },
          'packages/a': { name: 'a', version: '0.0.1' },
          'node_modules/a': { resolved: 'packages/a', link: true },
          'node_modules/@scope/pkg': {
            version: '1.2.3',
            resolved: 'https://registry.npmjs.org/@scope/pkg/-/pkg-1.2.3.tgz',
            integrity: 'sha512-abc',
          },
          'packages/a/node_modules/@scope/pkg': { version: '2.0.0' },
          'node_modules/my-fork': {
            version: '1.0.0',
            resolved: 'git+ssh://git@github.com/o/fork.git#0123abc',
          },
        },
      },
      null,
      2,
    );
    expect(parsePackageLock(lock)).toEqual([
      {
        ecosystem: 'npm',
        name: '@scope/pkg',
        version: '1.2.3',
        line: lineOf(lock, '"node_modules/@scope/pkg"'),
        resolved: 'https://registry.npmjs.org/@scope/pkg/-/pkg-1.2.3.tgz',
        integrity: 'sha512-abc',
      },
      {
        ecosystem: 'npm',
        name: '@scope/pkg',
        version: '2.0.0',
        line: lineOf(lock, '"packages/a/node_modules/@scope/pkg"'),
      },
      {
        ecosystem: 'npm',
        name: 'my-fork',
        version: '1.0.0',
        line: lineOf(lock, '"node_modules/my-fork"'),
        resolved: 'git+ssh://git@github.com/o/fork.git#0123abc',
      },
    ]);
  });

  it('reads v1 git dependencies as resolved without version and skips file: links', () => {
    const lock = JSON.stringify(
      {
        lockfileVersion: 1,
        dependencies: {
          tool: { version: 'git+https://github.com/o/tool.git#abc123', from: 'github:o/tool' },
          local: { version: 'file:../local' },
          '@s/x': { version: '1.0.0', resolved: 'https://r.example/@s/x/-/x-1.0.0.tgz' },
        },
      },
      null,
      2,
    );
    expect(parsePackageLock(lock)).toEqual([
      {
        ecosystem: 'npm',
        name: 'tool',
        spec: '',
        line: 4,
        resolved: 'git+https://github.com/o/tool.git#abc123',
      },
      {
        ecosystem: 'npm',
        name: '@s/x',
        version: '1.0.0',
        line: 11,
        resolved: 'https://r.example/@s/x/-/x-1.0.0.tgz',
      },
    ]);
  });

  it('reports malformed JSON with the line of the error', () => {
    const truncated = fixture('npm/package-lock.v3.head.json').split('\n').slice(0, 30).join('\n');
    const error = parseError(truncated);
    expect(error.message).toMatch(/^package-lock is not valid JSON: /);
    expect(error.line).toBe(30);
    expect(
      parseError('{\n  "lockfileVersion": 3,\n  "packages": {\n    "a": 1,,\n}}'),
    ).toMatchObject({ line: 4, message: 'package-lock is not valid JSON: property name expected' });
  });

  it('says which lockfile versions are supported', () => {
    const error = parseError('{\n  "name": "x",\n  "lockfileVersion": 4,\n  "packages": {}\n}');
    expect(error.message).toBe(
      'unsupported package-lock lockfileVersion 4; supported versions are 1, 2, 3',
    );
    expect(error.line).toBe(3);
    expect(parseError('{"name": "x"}').message).toContain('supported versions are 1, 2, 3');
  });

  it('rejects content that is not a lockfile object', () => {
    expect(parseError('').message).toMatch(/package-lock/);
    expect(parseError('[1, 2]').message).toBe('package-lock must be a JSON object, found array');
    expect(parseError('{"lockfileVersion": 3}').message).toContain('"packages" object');
    expect(
      parseError('{"lockfileVersion": 2, "packages": {"node_modules/a": "1.0.0"}}').message,
    ).toBe('package-lock entry "node_modules/a" is not an object');
  });
});
