import { describe, expect, it } from '@jest/globals';
import { diffManifests } from '../../../../src/manifests/diff.js';
import { ManifestParseError } from '../../../../src/manifests/parse/errors.js';
import { parseManifest } from '../../../../src/manifests/parse/index.js';
import {
  declaredFromSpecifier,
  overrideTargetName,
  parsePackageJson,
} from '../../../../src/manifests/parse/npm/package-json.js';
import { fixture, lineOf } from '../../fixtures.js';

const manifest = JSON.stringify(
  {
    name: 'web',
    version: '1.0.0',
    scripts: { test: 'jest' },
    dependencies: {
      react: '^18.2.0',
      'left-pad': '1.3.0',
      lp: 'npm:left-pad@^1.1.0',
      tool: 'github:o/tool#v1',
      shared: 'workspace:*',
      vendored: 'file:./vendor/x',
      anything: '',
    },
    devDependencies: { '@types/node': '~20.11.0', jest: 'latest' },
    optionalDependencies: { fsevents: '2.3.3' },
    peerDependencies: { react: '>=17' },
  },
  null,
  2,
);

describe('parsePackageJson', () => {
  const packages = parsePackageJson(manifest);

  it('reads every dependency section at the line of each key', () => {
    expect(packages.map((p) => [p.name, p.version ?? p.spec, p.line])).toEqual([
      ['react', '^18.2.0', lineOf(manifest, '"react": "^18')],
      ['left-pad', '1.3.0', lineOf(manifest, '"left-pad"')],
      ['left-pad', '^1.1.0', lineOf(manifest, '"lp"')],
      ['tool', '', lineOf(manifest, '"tool"')],
      ['vendored', '', lineOf(manifest, '"vendored"')],
      ['anything', '*', lineOf(manifest, '"anything"')],
      ['@types/node', '~20.11.0', lineOf(manifest, '"@types/node"')],
      ['jest', 'latest', lineOf(manifest, '"jest": "latest"')],
      ['fsevents', '2.3.3', lineOf(manifest, '"fsevents"')],
      ['react', '>=17', lineOf(manifest, '"react": ">=17"')],
    ]);
  });

  it('gives exact versions as version and ranges as spec', () => {
    const leftPad = packages.find((p) => p.name === 'left-pad' && p.version);
    expect(leftPad).toEqual({
      ecosystem: 'npm',
      name: 'left-pad',
      version: '1.3.0',
      line: lineOf(manifest, '"left-pad"'),
    });
    expect(packages.find((p) => p.name === 'react')?.version).toBeUndefined();
  });

  it('records non-registry sources as resolved and skips workspace references', () => {
    expect(packages.find((p) => p.name === 'tool')?.resolved).toBe('github:o/tool#v1');
    expect(packages.find((p) => p.name === 'vendored')?.resolved).toBe('file:./vendor/x');
    expect(packages.find((p) => p.name === 'shared')).toBeUndefined();
  });

  it('reads the multi-line package.json the npm fixtures were generated from', () => {
    const text = fixture('npm/package.head.json');
    const lp = parseManifest('package.json', 'package-json', text).packages.find(
      (p) => p.version === '1.3.0',
    );
    expect(lp).toMatchObject({ name: 'left-pad', line: lineOf(text, '"lp"') });
  });

  it('rejects a malformed file and wrongly typed sections with a line', () => {
    expect(() =>
      parsePackageJson('{\n  "dependencies": {\n    "a": "1"\n    "b": "2"\n  }\n}'),
    ).toThrow(
      expect.objectContaining({
        line: 4,
        message: 'package.json is not valid JSON: comma expected',
      }),
    );
    expect(() => parsePackageJson('{\n  "dependencies": ["a"]\n}')).toThrow(
      new ManifestParseError('package.json "dependencies" must be an object', 2),
    );
    expect(() => parsePackageJson('{\n  "dependencies": {\n    "a": 1\n  }\n}')).toThrow(
      'package.json dependencies["a"] must be a string, found number',
    );
  });
});

describe('overrides and resolutions', () => {
  const text = JSON.stringify(
    {
      dependencies: { react: '^18.2.0' },
      overrides: {
        'left-pad': '1.3.0',
        'minimist@<1.2.6': '1.2.8',
        react: '$react',
        chalk: { '.': '4.1.2', 'ansi-styles': '4.3.0' },
      },
      resolutions: { '**/ms': '2.1.3', 'webpack/@types/node': '^20.0.0' },
      pnpm: { overrides: { 'debug>ms': '2.1.2', '@s/x@1': 'npm:@s/y@2.0.0' } },
    },
    null,
    2,
  );

  it('reads every forced version at the line of its key', () => {
    const forced = parsePackageJson(text).slice(1);
    expect(forced.map((p) => [p.name, p.version ?? p.spec, p.line])).toEqual([
      ['left-pad', '1.3.0', lineOf(text, '"left-pad"')],
      ['minimist', '1.2.8', lineOf(text, '"minimist@')],
      ['chalk', '4.1.2', lineOf(text, '".": "4.1.2"')],
      ['ansi-styles', '4.3.0', lineOf(text, '"ansi-styles"')],
      ['ms', '2.1.3', lineOf(text, '"**/ms"')],
      ['@types/node', '^20.0.0', lineOf(text, '"webpack/@types/node"')],
      ['ms', '2.1.2', lineOf(text, '"debug>ms"')],
      ['@s/y', '2.0.0', lineOf(text, '"@s/x@1"')],
    ]);
  });

  it.each([
    ['foo', 'foo'],
    ['foo@^1', 'foo'],
    ['@s/x@1', '@s/x'],
    ['**/foo', 'foo'],
    ['a/**/@s/b', '@s/b'],
    ['parent>child@2', 'child'],
  ])('targets %s -> %s', (selector, name) => {
    expect(overrideTargetName(selector)).toBe(name);
  });
});

describe('declaredFromSpecifier', () => {
  it.each([
    ['git+https://github.com/o/r.git', { resolved: 'git+https://github.com/o/r.git', spec: '' }],
    ['https://example.com/x.tgz', { resolved: 'https://example.com/x.tgz', spec: '' }],
    ['o/r', { resolved: 'o/r', spec: '' }],
    ['1.x', { spec: '1.x' }],
    ['v2.0.0', { version: '2.0.0' }],
  ])('%s', (specifier, expected) => {
    expect(declaredFromSpecifier('x', specifier, 3)).toMatchObject(expected);
  });
});

describe('diffManifests on package.json', () => {
  it('reports bumped exact versions, changed ranges and added sources', () => {
    const base = parseManifest('package.json', 'package-json', fixture('npm/package.base.json'));
    const head = parseManifest('package.json', 'package-json', fixture('npm/package.head.json'));
    expect(
      diffManifests(base, head).map((c) => `${c.change} ${c.name} ${c.from ?? ''}->${c.version}`),
    ).toEqual([
      'bumped left-pad 1.0.0->1.1.0',
      'downgraded ms 2.1.3->2.1.2',
      'added chalk ->4.1.2',
      'removed is-number 7.0.0->7.0.0',
      'bumped left-pad 1.0.0->1.3.0',
    ]);
  });
});
