import { describe, expect, it } from '@jest/globals';
import {
  addDirectDependencies,
  broughtInBy,
  dependencyGraph,
  packageJsonDirectDependencies,
  packageJsonWorkspaces,
  pyprojectDirectDependencies,
} from '../../../src/manifests/findings/graph.js';
import type { ManifestFormat } from '../../../src/types.js';
import { fixture } from '../fixtures.js';

// Real lockfiles of the shared story (fixtures/generate-*.sh): the head adds chalk, which pulls
// supports-color → has-flag and ansi-styles → color-convert → color-name.
const RECORDING_DIRECT: [string, ManifestFormat, string][] = [
  ['package-lock v2', 'package-lock', 'npm/package-lock.v2.head.json'],
  ['package-lock v3', 'package-lock', 'npm/package-lock.v3.head.json'],
  ['yarn 4', 'yarn-lock', 'yarn/berry.head.lock'],
  ['pnpm 7 (5.4)', 'pnpm-lock', 'pnpm/pnpm7.head.yaml'],
  ['pnpm 8 (6.0)', 'pnpm-lock', 'pnpm/pnpm8.head.yaml'],
  ['pnpm 9', 'pnpm-lock', 'pnpm/pnpm9.head.yaml'],
  ['bun 1.2', 'bun-lock', 'bun/bun-1.2.19.head.lock'],
  ['bun 1.4', 'bun-lock', 'bun/bun-1.4.5.head.lock'],
];

describe.each(RECORDING_DIRECT)('dependencyGraph of %s', (_label, format, file) => {
  const graph = dependencyGraph(format, fixture(file))!;

  it('knows the direct dependencies', () => {
    expect(graph.direct.has('chalk')).toBe(true);
    expect(graph.direct.has('color-name')).toBe(false);
  });

  it('tells which direct dependency brought a transitive package in', () => {
    expect(broughtInBy(graph, 'color-name')).toEqual(['chalk']);
    expect(broughtInBy(graph, 'has-flag')).toEqual(['chalk']);
    expect(broughtInBy(graph, 'chalk')).toEqual([]);
  });
});

describe.each<[string, ManifestFormat, string]>([
  ['package-lock v1', 'package-lock', 'npm/package-lock.v1.head.json'],
  ['yarn 1', 'yarn-lock', 'yarn/classic.head.lock'],
])('dependencyGraph of %s (no record of direct dependencies)', (_label, format, file) => {
  it('still knows who depends on whom', () => {
    const graph = dependencyGraph(format, fixture(file))!;
    expect([...(graph.dependents.get('color-name') ?? [])]).toEqual(['color-convert']);
    expect(graph.direct.size).toBe(0);
  });
});

describe('dependencyGraph of Python lockfiles', () => {
  it("reads uv.lock, with the project's dependencies as the direct ones", () => {
    const graph = dependencyGraph('uv-lock', fixture('python/uv.head.lock'))!;
    expect(graph.direct.has('requests')).toBe(true);
    expect(broughtInBy(graph, 'certifi')).toEqual(['requests']);
    expect(broughtInBy(graph, 'charset_normalizer')).toEqual(['requests']);
  });

  it.each<[ManifestFormat, string]>([
    ['poetry-lock', 'python/poetry.head.lock'],
    ['pdm-lock', 'python/pdm.head.lock'],
  ])('reads %s dependency lists', (format, file) => {
    const graph = dependencyGraph(format, fixture(file))!;
    expect([...(graph.dependents.get('certifi') ?? [])]).toEqual(['requests']);
    expect([...(graph.dependents.get('charset-normalizer') ?? [])]).toEqual(['requests']);
  });

  it('has no graph for formats that record none, or for unreadable content', () => {
    expect(dependencyGraph('pipfile-lock', fixture('python/Pipfile.head.lock'))).toBeUndefined();
    expect(dependencyGraph('requirements', 'a==1\n')).toBeUndefined();
    expect(dependencyGraph('package-lock', '{ "lockfileVersion": 3,')).toBeUndefined();
  });
});

describe('broughtInBy', () => {
  it('follows long chains, stops at cycles and reports several roots in order', () => {
    const graph = {
      ecosystem: 'npm' as const,
      direct: new Set(['b-root', 'a-root']),
      dependents: new Map([
        ['leaf', new Set(['mid'])],
        ['mid', new Set(['a-root', 'b-root', 'cycle'])],
        ['cycle', new Set(['mid'])],
      ]),
    };
    expect(broughtInBy(graph, 'leaf')).toEqual(['a-root', 'b-root']);
    expect(broughtInBy(graph, 'unknown')).toEqual([]);
  });
});

describe('pyprojectDirectDependencies', () => {
  it('reads PEP 621 dependencies and extras and PEP 735 groups', () => {
    expect(pyprojectDirectDependencies(fixture('python/pyproject.head.toml')).sort()).toEqual([
      'PyYAML',
      'django',
      'evil-pkg',
      'internal-tool',
      'local-lib',
      'pytest',
      'pytest-cov',
      'requests',
      'ruff',
    ]);
  });

  it('reads Poetry dependencies and groups, without python', () => {
    expect(pyprojectDirectDependencies(fixture('python/pyproject.poetry.toml')).sort()).toEqual([
      'certifi',
      'internal-tool',
      'local-lib',
      'multi',
      'pytest',
      'requests',
      'zope.interface',
    ]);
  });

  it('reads PDM dev-dependencies and Poetry 1.0 dev-dependencies, skipping editable paths', () => {
    const content = [
      '[tool.pdm.dev-dependencies]',
      'lint = ["ruff>=0.4", "-e file:///${PROJECT_ROOT}/sub#egg=sub"]',
      'test = ["pytest[cov] ; python_version > \'3.8\'"]',
      '',
      '[tool.poetry.dev-dependencies]',
      'black = "^24"',
    ].join('\n');
    expect(pyprojectDirectDependencies(content).sort()).toEqual(['black', 'pytest', 'ruff']);
  });

  it('throws on content that is not TOML', () => {
    expect(() => pyprojectDirectDependencies('[project\n')).toThrow();
  });
});

describe('poetry.lock and pdm.lock with the roots of the pyproject.toml beside them', () => {
  it.each<[ManifestFormat, string]>([
    ['poetry-lock', 'python/poetry.head.lock'],
    ['pdm-lock', 'python/pdm.head.lock'],
  ])('%s: transitive packages lead to the direct dependency that needs them', (format, file) => {
    const graph = dependencyGraph(format, fixture(file))!;
    expect(broughtInBy(graph, 'certifi')).toEqual([]);
    addDirectDependencies(
      graph,
      pyprojectDirectDependencies(fixture('python/pyproject.head.toml')),
    );
    expect(graph.direct.has('pyyaml')).toBe(true);
    expect(broughtInBy(graph, 'certifi')).toEqual(['requests']);
    expect(broughtInBy(graph, 'Charset_Normalizer')).toEqual(['requests']);
    expect(broughtInBy(graph, 'requests')).toEqual([]);
  });
});

describe('packageJsonDirectDependencies and packageJsonWorkspaces', () => {
  it('reads every dependency field, aliases by the name they install under', () => {
    const content = JSON.stringify({
      dependencies: { chalk: '^4', lp: 'npm:left-pad@1.3.0' },
      devDependencies: { jest: '^29', chalk: '^4' },
      optionalDependencies: { fsevents: '^2' },
      peerDependencies: { react: '>=18' },
      overrides: { minimist: '1.2.8' },
    });
    expect(packageJsonDirectDependencies(content).sort()).toEqual([
      'chalk',
      'fsevents',
      'jest',
      'lp',
      'react',
    ]);
  });

  it('reads workspaces as a list or as Yarn 1 packages, and throws on what is not an object', () => {
    expect(packageJsonWorkspaces('{"workspaces": ["packages/*", "tools/cli"]}')).toEqual([
      'packages/*',
      'tools/cli',
    ]);
    expect(
      packageJsonWorkspaces('{"workspaces": {"packages": ["apps/*"], "nohoist": ["**"]}}'),
    ).toEqual(['apps/*']);
    expect(packageJsonWorkspaces('{"name": "x"}')).toEqual([]);
    expect(() => packageJsonDirectDependencies('[1]')).toThrow();
    expect(() => packageJsonDirectDependencies('{"dependencies":')).toThrow();
  });
});

describe.each<[string, ManifestFormat, string]>([
  ['package-lock v1', 'package-lock', 'npm/package-lock.v1.head.json'],
  ['yarn 1', 'yarn-lock', 'yarn/classic.head.lock'],
])('%s with the roots of the package.json beside it', (_label, format, file) => {
  it('tells which direct dependency brought a transitive package in', () => {
    const graph = dependencyGraph(format, fixture(file))!;
    addDirectDependencies(graph, packageJsonDirectDependencies(fixture('npm/package.head.json')));
    expect(broughtInBy(graph, 'color-name')).toEqual(['chalk']);
    expect(broughtInBy(graph, 'has-flag')).toEqual(['chalk']);
    expect(broughtInBy(graph, 'chalk')).toEqual([]);
  });
});
