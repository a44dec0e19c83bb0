import { describe, expect, it } from '@jest/globals';
import { diffManifests } from '../../../../src/manifests/diff.js';
import { ManifestParseError, parseManifest } from '../../../../src/manifests/parse/index.js';
import {
  parsePnpmLock,
  parsePnpmPackageKey,
} from '../../../../src/manifests/parse/npm/pnpm-lock.js';
import { parseBunLock } from '../../../../src/manifests/parse/npm/bun-lock.js';
import { parseYarnLock } from '../../../../src/manifests/parse/npm/yarn-lock.js';
import type { ManifestFormat } from '../../../../src/types.js';
import { fixture, lineOf } from '../../fixtures.js';

// Every lockfile below was written by the real tool for the same base/head package.json pair
// (fixtures/generate-js-locks.sh), so every format must tell the same story.
const STORY = [
  'added ansi-styles 4.3.0',
  'added chalk 4.1.2',
  'added color-convert 2.0.1',
  'added color-name 1.1.4',
  'added has-flag 4.0.0',
  'added supports-color 7.2.0',
  'bumped left-pad 1.0.0->1.1.0',
  'bumped left-pad 1.0.0->1.3.0',
  'downgraded ms 2.1.3->2.1.2',
  'removed is-number 7.0.0->7.0.0',
];

const LOCKFILES: {
  label: string;
  format: ManifestFormat;
  file: string;
  /** Text of the line that heads the chalk entry. */
  chalkHeader: string;
  aliasHeader: string;
}[] = [
  {
    label: 'yarn 1',
    format: 'yarn-lock',
    file: 'yarn/classic',
    chalkHeader: 'chalk@4.1.2:',
    aliasHeader: '"lp@npm:left-pad@1.3.0":',
  },
  {
    label: 'yarn 4',
    format: 'yarn-lock',
    file: 'yarn/berry',
    chalkHeader: '"chalk@npm:4.1.2":',
    aliasHeader: '"lp@npm:left-pad@1.3.0":',
  },
  {
    label: 'pnpm 7 (5.4)',
    format: 'pnpm-lock',
    file: 'pnpm/pnpm7',
    chalkHeader: '  /chalk/4.1.2:',
    aliasHeader: '  /left-pad/1.3.0:',
  },
  {
    label: 'pnpm 8 (6.0)',
    format: 'pnpm-lock',
    file: 'pnpm/pnpm8',
    chalkHeader: '  /chalk@4.1.2:',
    aliasHeader: '  /left-pad@1.3.0:',
  },
  {
    label: 'pnpm 9 (9.0)',
    format: 'pnpm-lock',
    file: 'pnpm/pnpm9',
    chalkHeader: '  chalk@4.1.2:',
    aliasHeader: '  left-pad@1.3.0:',
  },
];

describe.each(LOCKFILES)('$label lockfile', ({ format, file, chalkHeader, aliasHeader }) => {
  const ext = format === 'pnpm-lock' ? 'yaml' : 'lock';
  const baseText = fixture(`${file}.base.${ext}`);
  const headText = fixture(`${file}.head.${ext}`);
  const path =
    { 'yarn-lock': 'yarn.lock', 'bun-lock': 'bun.lock' }[format as string] ?? 'pnpm-lock.yaml';
  const head = parseManifest(path, format, headText);
  const changes = diffManifests(parseManifest(path, format, baseText), head);

  it('diffs into the same changes as npm', () => {
    expect(
      changes.map((c) => `${c.change} ${c.name} ${c.from ? `${c.from}->` : ''}${c.version}`).sort(),
    ).toEqual(STORY);
  });

  it('puts each change on the line of its entry header', () => {
    const chalk = changes.find((c) => c.name === 'chalk');
    expect(chalk?.manifest).toEqual({ path, line: lineOf(headText, chalkHeader) });
    const alias = changes.find((c) => c.name === 'left-pad' && c.version === '1.3.0');
    expect(alias?.manifest.line).toBe(lineOf(headText, aliasHeader));
  });

  it('lists each resolved package once', () => {
    expect(head.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual([
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
  });

  if (file !== 'yarn/berry') {
    it('carries the integrity the tool recorded', () => {
      expect(changes.find((c) => c.name === 'chalk')?.integrity).toBe(
        'sha512-oKnbhFyRIXpUuez8iBMmyEa4nbj4IOQyuhc/wy9kY7/WVPcwIO9VA668Pu8RkO7+0G76SLROeyw9CpQ061i4mA==',
      );
    });
  }
});

function parseError(fn: () => unknown): ManifestParseError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ManifestParseError) return error;
    throw error;
  }
  throw new Error('expected a ManifestParseError');
}

describe('yarn.lock details', () => {
  it('keeps the registry URL of a classic entry and skips local file: entries', () => {
    const lock = [
      '# yarn lockfile v1',
      '',
      '',
      '"@s/x@^1.0.0", "@s/x@^1.1.0":',
      '  version "1.2.0"',
      '  resolved "https://registry.yarnpkg.com/@s/x/-/x-1.2.0.tgz#abc"',
      '  integrity sha512-AAAA',
      '',
      '"local@file:./local":',
      '  version "0.0.1"',
      '',
      '"tool@git+https://github.com/o/tool.git#v1":',
      '  version "1.0.0"',
      '  resolved "git+https://github.com/o/tool.git#0123456789abcdef"',
      '',
    ].join('\n');
    expect(parseYarnLock(lock)).toEqual([
      {
        ecosystem: 'npm',
        name: '@s/x',
        version: '1.2.0',
        line: 4,
        integrity: 'sha512-AAAA',
        resolved: 'https://registry.yarnpkg.com/@s/x/-/x-1.2.0.tgz#abc',
      },
      {
        ecosystem: 'npm',
        name: 'tool',
        version: '1.0.0',
        line: 12,
        resolved: 'git+https://github.com/o/tool.git#0123456789abcdef',
      },
    ]);
  });

  it('skips Berry workspaces and records non-npm sources', () => {
    const lock = [
      '__metadata:',
      '  version: 8',
      '  cacheKey: 10',
      '',
      '"app@workspace:.":',
      '  version: 0.0.0-use.local',
      '  resolution: "app@workspace:."',
      '',
      '"tool@https://github.com/o/tool.git#commit=abc":',
      '  version: 1.0.0',
      '  resolution: "tool@https://github.com/o/tool.git#commit=abc"',
      '',
    ].join('\n');
    expect(parseYarnLock(lock)).toEqual([
      {
        ecosystem: 'npm',
        name: 'tool',
        version: '1.0.0',
        line: 9,
        resolved: 'https://github.com/o/tool.git#commit=abc',
      },
    ]);
  });

  it('reports a truncated classic lockfile with the line', () => {
    const truncated =
      fixture('yarn/classic.head.lock').split('\n').slice(0, 12).join('\n') + '\n  "';
    const error = parseError(() => parseYarnLock(truncated));
    expect(error.message).toMatch(/^yarn.lock could not be parsed: /);
    expect(error.line).toBe(13);
  });

  it('reports broken Berry YAML with the line', () => {
    const error = parseError(() =>
      parseYarnLock('__metadata:\n  version: 8\n"a@npm:1":\n  version: [\n'),
    );
    expect(error.message).toMatch(/^yarn.lock could not be parsed: /);
    expect(error.line).toBeGreaterThanOrEqual(4);
  });

  it('says which Berry versions are supported', () => {
    const error = parseError(() => parseYarnLock('__metadata:\n  version: 99\n'));
    expect(error.message).toBe(
      'unsupported yarn.lock __metadata.version 99; supported versions are 4, 5, 6, 7, 8, 9, 10 and the Yarn 1 format',
    );
    expect(error.line).toBe(1);
    expect(parseError(() => parseYarnLock('a:\n  b: c\n')).message).toMatch(/neither a Yarn 1/);
  });
});

describe('bun.lock details', () => {
  it('records git and tarball sources, a custom registry, and skips workspaces', () => {
    const lock = [
      '{',
      '  // bun.lock is JSONC',
      '  "lockfileVersion": 1,',
      '  "packages": {',
      '    "app": ["app@workspace:packages/app"],',
      '    "tool": ["tool@github:o/tool#0123abc", {}, "o-tool-0123abc"],',
      '    "tar": ["tar@https://example.com/tar-1.0.0.tgz", {}],',
      '    "@s/x": ["@s/x@1.0.0", "https://npm.example.com/", {}, "sha512-x"],',
      '  },',
      '}',
    ].join('\n');
    expect(parseBunLock(lock)).toEqual([
      { ecosystem: 'npm', name: 'tool', spec: '', line: 6, resolved: 'github:o/tool#0123abc' },
      {
        ecosystem: 'npm',
        name: 'tar',
        spec: '',
        line: 7,
        resolved: 'https://example.com/tar-1.0.0.tgz',
      },
      {
        ecosystem: 'npm',
        name: '@s/x',
        version: '1.0.0',
        line: 8,
        resolved: 'https://npm.example.com/',
        integrity: 'sha512-x',
      },
    ]);
  });

  it('reports malformed input and unknown versions with the line', () => {
    expect(
      parseError(() => parseBunLock('{\n  "lockfileVersion": 1,\n  "packages": {\n    "a": [\n')),
    ).toMatchObject({
      message: 'bun.lock is not valid JSON: closing bracket expected',
      line: 5,
    });
    expect(parseError(() => parseBunLock('{\n  "lockfileVersion": 9,\n}'))).toMatchObject({
      message: 'unsupported bun.lock lockfileVersion 9; supported versions are 0, 1, 2',
      line: 2,
    });
    expect(
      parseError(() => parseBunLock('{"lockfileVersion": 1, "packages": {"a": "a@1"}}')).message,
    ).toBe('bun.lock package "a" must be an array starting with "name@resolution"');
  });
});

describe('pnpm-lock.yaml details', () => {
  it.each([
    ['/left-pad/1.3.0', 5, { name: 'left-pad', version: '1.3.0' }],
    ['/@babel/core/7.1.0_react@17.0.2', 5, { name: '@babel/core', version: '7.1.0' }],
    ['/@babel/core@7.1.0(react@17.0.2)', 6, { name: '@babel/core', version: '7.1.0' }],
    ['github.com/o/r/0123abc', 6, { name: 'github.com/o/r/0123abc' }],
    ['@s/x@2.0.0', 9, { name: '@s/x', version: '2.0.0' }],
    ['x@https://codeload.github.com/o/x/tar.gz/abc', 9, { name: 'x' }],
  ])('splits %s (lockfile %i)', (key, major, expected) => {
    expect(parsePnpmPackageKey(key, major)).toEqual(expected);
  });

  it('uses name/version fields for non-registry entries, tarball/git as resolved, skips folders', () => {
    const lock = [
      "lockfileVersion: '6.0'",
      'packages:',
      '  github.com/o/tool/0123abc:',
      '    resolution: {tarball: https://codeload.github.com/o/tool/tar.gz/0123abc}',
      '    name: tool',
      '    version: 1.0.0',
      '  file:vendor/x:',
      '    resolution: {directory: vendor/x, type: directory}',
      '    name: x',
      '    version: 0.0.1',
      '  /y@2.0.0:',
      '    resolution: {type: git, repo: https://github.com/o/y.git, commit: abc}',
      '',
    ].join('\n');
    expect(parsePnpmLock(lock)).toEqual([
      {
        ecosystem: 'npm',
        name: 'tool',
        version: '1.0.0',
        line: 3,
        resolved: 'https://codeload.github.com/o/tool/tar.gz/0123abc',
      },
      {
        ecosystem: 'npm',
        name: 'y',
        version: '2.0.0',
        line: 11,
        resolved: 'https://github.com/o/y.git#abc',
      },
    ]);
  });

  it('reads the lockfile document of a pnpm 10 two-document file', () => {
    const lock = [
      '---',
      "lockfileVersion: '9.0'",
      'importers: {}',
      'packages: {}',
      '---',
      "lockfileVersion: '9.0'",
      'importers:',
      '  .: {}',
      'packages:',
      '  a@1.0.0:',
      '    resolution: {integrity: sha512-x}',
      '',
    ].join('\n');
    expect(parsePnpmLock(lock)).toEqual([
      { ecosystem: 'npm', name: 'a', version: '1.0.0', line: 10, integrity: 'sha512-x' },
    ]);
  });

  it('finds exact lines in a lockfile laid out differently from what pnpm writes', () => {
    const lock = [
      "lockfileVersion: '9.0'",
      'packages:',
      '    "@s/a@1.0.0":',
      '        resolution: {integrity: sha512-a}',
      "    'b@2.0.0': {resolution: {integrity: sha512-b}}",
      '',
    ].join('\n');
    expect(parsePnpmLock(lock).map((p) => [p.name, p.version, p.line])).toEqual([
      ['@s/a', '1.0.0', 3],
      ['b', '2.0.0', 5],
    ]);
  });

  it('keeps versions that look like numbers as written', () => {
    const lock =
      'lockfileVersion: 5.4\npackages:\n  /a/1.10:\n    resolution: {integrity: x}\n    version: 1.10\n';
    expect(parsePnpmLock(lock)).toEqual([
      { ecosystem: 'npm', name: 'a', version: '1.10', line: 3, integrity: 'x' },
    ]);
  });

  it('reports broken YAML with the line', () => {
    const error = parseError(() =>
      parsePnpmLock(
        "lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {integrity: x\n",
      ),
    );
    expect(error.message).toMatch(/^pnpm-lock.yaml is not valid YAML: /);
    expect(error.line).toBeGreaterThanOrEqual(4);
  });

  it('says which lockfile versions are supported', () => {
    const error = parseError(() => parsePnpmLock("settings: {}\nlockfileVersion: '10.0'\n"));
    expect(error.message).toBe(
      'unsupported pnpm-lock.yaml lockfileVersion 10.0; supported versions are 5.3, 5.4, 6.0, 6.1, 9.0',
    );
    expect(error.line).toBe(2);
  });
});
