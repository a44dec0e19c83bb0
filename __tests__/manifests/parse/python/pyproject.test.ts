import { describe, expect, it } from '@jest/globals';
import { diffManifests } from '../../../../src/manifests/diff.js';
import { parseManifest } from '../../../../src/manifests/parse/index.js';
import { parsePipfile } from '../../../../src/manifests/parse/python/pipfile.js';
import {
  parsePyproject,
  poetryStyleVersion,
} from '../../../../src/manifests/parse/python/pyproject.js';
import type { PackageChange } from '../../../../src/types.js';
import { fixture, lineOf } from '../../fixtures.js';

const summary = (changes: PackageChange[]) =>
  changes.map(
    (c) =>
      `${c.change} ${c.name} ${c.from ? `${c.from}->` : ''}${c.version}${c.spec !== undefined ? ` spec=${c.spec}` : ''}`,
  );

describe('parsePyproject (PEP 621, PEP 735, uv sources)', () => {
  const headText = fixture('python/pyproject.head.toml');
  const head = parseManifest('pyproject.toml', 'pyproject', headText);
  const base = parseManifest('pyproject.toml', 'pyproject', fixture('python/pyproject.base.toml'));

  it('reads every requirement at the line it is written on', () => {
    expect(head.packages.map((p) => [p.name, p.version ?? p.spec, p.line])).toEqual([
      ['requests', '>=2.32', lineOf(headText, '"requests[socks]')],
      ['django', '4.2.10', lineOf(headText, '"django==')],
      ['evil-pkg', '1.0.0', lineOf(headText, '"evil-pkg==')],
      ['internal-tool', '', lineOf(headText, '"internal-tool"')],
      ['PyYAML', '>=6', lineOf(headText, 'PyYAML')],
      ['pytest', '>=8', lineOf(headText, '"pytest>=8"')],
      ['pytest-cov', '5.0.0', lineOf(headText, '"pytest>=8"')],
      ['ruff', '0.4.4', lineOf(headText, 'ruff==')],
    ]);
  });

  it('applies [tool.uv.sources]: git moves the source, a local path drops the package', () => {
    expect(head.packages.find((p) => p.name === 'internal-tool')?.resolved).toBe(
      'git+https://github.com/example/internal-tool.git@v0.3.0',
    );
    expect(head.packages.find((p) => p.name === 'local-lib')).toBeUndefined();
  });

  it('diffs pins, ranges and sources', () => {
    expect(summary(diffManifests(base, head))).toEqual([
      'bumped requests  spec=>=2.32',
      'downgraded django 4.2.11->4.2.10',
      'removed six 1.16.0->1.16.0',
      'added evil-pkg 1.0.0',
      'bumped internal-tool  spec=',
      'bumped ruff 0.4.1->0.4.4',
    ]);
  });

  it('reads Poetry dependencies, groups, tables and multiple constraints', () => {
    const text = fixture('python/pyproject.poetry.toml');
    expect(
      parsePyproject(text).map((p) => [p.name, p.version ?? p.spec, p.line, p.resolved]),
    ).toEqual([
      ['requests', '^2.31', lineOf(text, 'requests ='), undefined],
      ['certifi', '2024.7.4', lineOf(text, 'certifi ='), undefined],
      ['zope.interface', '6.2', lineOf(text, '"zope.interface"'), undefined],
      [
        'internal-tool',
        '',
        lineOf(text, 'internal-tool ='),
        'git+https://github.com/example/internal-tool.git@9f1c2d3',
      ],
      ['multi', '<2', lineOf(text, 'multi ='), undefined],
      ['multi', '2.1.0', lineOf(text, 'multi ='), undefined],
      ['pytest', '', lineOf(text, 'pytest ='), undefined],
    ]);
  });

  it('reports an invalid requirement string with its line', () => {
    expect(() => parsePyproject('[project]\ndependencies = [\n  "ok>=1",\n  "bad=="\n]\n')).toThrow(
      expect.objectContaining({ line: 4 }),
    );
    expect(() => parsePyproject('[project]\ndependencies = "requests"\n')).toThrow(
      '[project] dependencies must be an array of requirement strings',
    );
  });
});

describe('parsePyproject: development dependencies of PDM, uv and Poetry 1.0', () => {
  const pyproject = (lint: string, test: string, uvDev: string, poetryDev: string) =>
    [
      '[project]',
      'name = "app"',
      'dependencies = ["requests>=2"]',
      '',
      '[tool.pdm.dev-dependencies]',
      `lint = [${lint}]`,
      'test = [',
      `    ${test},`,
      '    "-e file:///${PROJECT_ROOT}/packages/sub#egg=sub",',
      '    "-e ./tools/helper",',
      ']',
      '',
      '[tool.uv]',
      'package = true',
      `dev-dependencies = [${uvDev}]`,
      '',
      '[tool.poetry.dev-dependencies]',
      `black = "${poetryDev}"`,
    ].join('\n') + '\n';
  const baseText = pyproject('"ruff==0.4.1"', '"pytest>=8"', '"mypy==1.9.0"', '24.1.0');
  const headText = pyproject(
    '"ruff==0.4.4", "evil-lint==1.0.0"',
    '"-e git+https://github.com/example/pytest-x.git@v1#egg=pytest-x"',
    '"mypy==1.10.0", "uv-extra==2.0"',
    '24.2.0',
  );

  it('reads each entry at its line, leaving out editable folders of the project', () => {
    expect(
      parsePyproject(headText).map((p) => [p.name, p.version ?? p.spec, p.line, p.resolved]),
    ).toEqual([
      ['requests', '>=2', 3, undefined],
      ['black', '24.2.0', lineOf(headText, 'black ='), undefined],
      ['ruff', '0.4.4', lineOf(headText, 'lint = '), undefined],
      ['evil-lint', '1.0.0', lineOf(headText, 'lint = '), undefined],
      [
        'pytest-x',
        '',
        lineOf(headText, 'pytest-x.git'),
        'git+https://github.com/example/pytest-x.git@v1#egg=pytest-x',
      ],
      ['mypy', '1.10.0', lineOf(headText, 'dev-dependencies = ['), undefined],
      ['uv-extra', '2.0', lineOf(headText, 'dev-dependencies = ['), undefined],
    ]);
  });

  it('diffs them like any other dependency', () => {
    const base = parseManifest('pyproject.toml', 'pyproject', baseText);
    const head = parseManifest('pyproject.toml', 'pyproject', headText);
    expect(diffManifests(base, head).map((c) => `${summary([c])[0]} @${c.manifest.line}`)).toEqual([
      `added evil-lint 1.0.0 @${lineOf(headText, 'lint = ')}`,
      `bumped ruff 0.4.1->0.4.4 @${lineOf(headText, 'lint = ')}`,
      `removed pytest  spec=>=8 @${lineOf(baseText, '"pytest>=8"')}`,
      `added pytest-x  spec= @${lineOf(headText, 'pytest-x.git')}`,
      `bumped mypy 1.9.0->1.10.0 @${lineOf(headText, 'dev-dependencies = [')}`,
      `added uv-extra 2.0 @${lineOf(headText, 'dev-dependencies = [')}`,
      `bumped black 24.1.0->24.2.0 @${lineOf(headText, 'black =')}`,
    ]);
  });

  it('reports an invalid entry with its line', () => {
    expect(() =>
      parsePyproject('[tool.pdm.dev-dependencies]\ntest = [\n  "ok",\n  "bad=="\n]\n'),
    ).toThrow(expect.objectContaining({ line: 4 }));
    expect(() => parsePyproject('[tool.uv]\ndev-dependencies = "pytest"\n')).toThrow(
      '[tool.uv] dev-dependencies must be an array of requirement strings',
    );
  });
});

describe('poetryStyleVersion', () => {
  it.each([
    ['*', { spec: '' }],
    ['1.2.3', { version: '1.2.3' }],
    ['==1.2.3', { version: '1.2.3' }],
    ['^1.2', { spec: '^1.2' }],
    ['>=1,<2', { spec: '>=1,<2' }],
    ['==1.*', { spec: '==1.*' }],
  ])('%s', (constraint, expected) => {
    expect(poetryStyleVersion(constraint)).toEqual(expected);
  });
});

describe('parsePipfile', () => {
  const headText = fixture('python/Pipfile.head');
  const head = parseManifest('Pipfile', 'pipfile', headText);

  it('reads packages and dev-packages at the line of each key, leaving out local paths', () => {
    expect(head.packages.map((p) => [p.name, p.version ?? p.spec, p.line])).toEqual([
      ['requests', '', lineOf(headText, 'requests =')],
      ['django', '4.2.10', lineOf(headText, 'django =')],
      ['evil-pkg', '1.0.0', lineOf(headText, 'evil-pkg =')],
      ['internal-tool', '', lineOf(headText, 'internal-tool =')],
      ['pytest', '>=8.1', lineOf(headText, 'pytest =')],
    ]);
  });

  it('diffs against the base Pipfile', () => {
    const base = parseManifest('Pipfile', 'pipfile', fixture('python/Pipfile.base'));
    expect(summary(diffManifests(base, head))).toEqual([
      'downgraded django 4.2.11->4.2.10',
      'added evil-pkg 1.0.0',
      'removed six 1.16.0->1.16.0',
      'added internal-tool  spec=',
      'bumped pytest  spec=>=8.1',
    ]);
  });

  it('reports broken TOML with its line', () => {
    expect(() => parsePipfile('[packages]\nrequests = \n')).toThrow(
      expect.objectContaining({ line: 2 }),
    );
  });
});
