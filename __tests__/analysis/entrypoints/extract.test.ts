import { describe, expect, it } from '@jest/globals';
import {
  extractEntryPoints,
  type DeclaredEntryPoint,
} from '../../../src/analysis/entrypoints/index.js';
import { fixtureContext } from './helpers.js';

const brief = (eps: DeclaredEntryPoint[]) =>
  eps.map((e) => `${e.kind} ${e.group} ${e.name}=${e.target} @${e.file}:${e.line}`).sort();

describe('extractEntryPoints', () => {
  it('reads entry_points.txt in an sdist egg-info: every group, comments skipped', async () => {
    const eps = extractEntryPoints(await fixtureContext('sources/egg-info', 'pypi'));
    expect(brief(eps)).toEqual([
      'console console_scripts aws=evilpkg.cli:main @evilpkg-1.0/evilpkg.egg-info/entry_points.txt:2',
      'console console_scripts evil-helper=evilpkg.cli:helper @evilpkg-1.0/evilpkg.egg-info/entry_points.txt:3',
      'plugin pytest11 evil=evilpkg.plugin @evilpkg-1.0/evilpkg.egg-info/entry_points.txt:7',
    ]);
  });

  it('reads pyproject.toml: project scripts, gui-scripts, entry-points, poetry scripts and plugins', async () => {
    const eps = extractEntryPoints(await fixtureContext('sources/pyproject', 'pypi'));
    expect(brief(eps)).toEqual([
      'console console_scripts evil-file=bin/evil.sh @evilpkg-1.0/pyproject.toml:17',
      'console console_scripts evil-tool=evilpkg.cli:tool @evilpkg-1.0/pyproject.toml:7',
      'console console_scripts kubectl=evilpkg.cli:main @evilpkg-1.0/pyproject.toml:6',
      'console console_scripts terraform=evilpkg.cli:main @evilpkg-1.0/pyproject.toml:16',
      'gui gui_scripts evil-gui=evilpkg.gui:run @evilpkg-1.0/pyproject.toml:10',
      'plugin flake8.extension EVL=evilpkg.flake:Checker @evilpkg-1.0/pyproject.toml:20',
      'plugin pytest11 evil=evilpkg.plugin @evilpkg-1.0/pyproject.toml:13',
    ]);
  });

  it('reads setup.cfg [options.entry_points] (section form) and options.scripts', async () => {
    const eps = extractEntryPoints(await fixtureContext('sources/setupcfg-section', 'pypi'));
    expect(brief(eps)).toEqual([
      'console console_scripts evil-extra=evilpkg.cli:extra @evilpkg-1.0/setup.cfg:12',
      'console console_scripts git=evilpkg.cli:main @evilpkg-1.0/setup.cfg:11',
      'plugin flake8.extension EVL=evilpkg.flake:Checker @evilpkg-1.0/setup.cfg:14',
      'script scripts curl=bin/curl @evilpkg-1.0/setup.cfg:7',
    ]);
  });

  it('reads setup.cfg options.entry_points written as an INI string', async () => {
    const eps = extractEntryPoints(await fixtureContext('sources/setupcfg-string', 'pypi'));
    expect(brief(eps)).toEqual([
      'console console_scripts docker=evilpkg.cli:main @evilpkg-1.0/setup.cfg:7',
      'gui gui_scripts evil-window=evilpkg.gui:main @evilpkg-1.0/setup.cfg:9',
    ]);
  });

  it('reads setup.py entry_points and scripts through names bound earlier in the file', async () => {
    const eps = extractEntryPoints(await fixtureContext('sources/setuppy', 'pypi'));
    expect(brief(eps)).toEqual([
      'console console_scripts evil-one=evilpkg.cli:one @evilpkg-1.0/setup.py:5',
      'console console_scripts pip3=evilpkg.cli:main @evilpkg-1.0/setup.py:4',
      'plugin pytest11 evil=evilpkg.plugin @evilpkg-1.0/setup.py:9',
      'script scripts evil-script=bin/evil-script @evilpkg-1.0/setup.py:16',
      'script scripts ls=bin/ls @evilpkg-1.0/setup.py:16',
    ]);
  });

  it('reads setup.py entry_points given as an INI string (setuptools.setup) and as dict(...)', async () => {
    expect(brief(extractEntryPoints(await fixtureContext('sources/setuppy-ini', 'pypi')))).toEqual([
      'console console_scripts gcloud=evilpkg.cli:main @evilpkg-1.0/setup.py:7',
    ]);
    expect(brief(extractEntryPoints(await fixtureContext('sources/setuppy-dict', 'pypi')))).toEqual(
      ['console console_scripts helm=evilpkg.cli:main @evilpkg-1.0/setup.py:4'],
    );
  });

  it('reads a wheel: dist-info entry_points.txt and .data/scripts', async () => {
    const eps = extractEntryPoints(await fixtureContext('sources/wheel', 'pypi'));
    expect(brief(eps)).toEqual([
      'console console_scripts pip=evilpkg.cli:main @evilpkg-1.0.dist-info/entry_points.txt:2',
      'script scripts sudo=evilpkg-1.0.data/scripts/sudo @evilpkg-1.0.data/scripts/sudo:1',
    ]);
  });

  it('reads npm bin as a string (named after the package, scope dropped) and lifecycle scripts', async () => {
    const eps = extractEntryPoints(await fixtureContext('sources/npm-string', 'npm'));
    expect(brief(eps)).toEqual([
      'npm-bin bin tsc=cli.js @package/package.json:4',
      'npm-lifecycle scripts postinstall=node setup.js @package/package.json:6',
    ]);
  });

  it('reads npm bin as a map, with each name on its own line', async () => {
    const eps = extractEntryPoints(await fixtureContext('sources/npm-map', 'npm'));
    expect(brief(eps)).toEqual([
      'npm-bin bin eslint=./bin/eslint.js @package/package.json:6',
      'npm-bin bin evil-tools=./bin/main.js @package/package.json:7',
      'npm-bin bin git=./bin/git.js @package/package.json:5',
      'npm-lifecycle scripts preinstall=node pre.js @package/package.json:10',
      'npm-lifecycle scripts prepare=node prep.js @package/package.json:11',
    ]);
  });

  it('reads directories.bin and the implicit node-gyp install of binding.gyp', async () => {
    const eps = extractEntryPoints(await fixtureContext('sources/npm-directories', 'npm'));
    expect(brief(eps)).toEqual([
      'npm-bin directories.bin evil-dir=bin/evil-dir.js @package/package.json:4',
      'npm-bin directories.bin node=bin/node @package/package.json:4',
      'npm-lifecycle scripts (implicit, binding.gyp) install=node-gyp rebuild @package/binding.gyp:1',
    ]);
  });

  it('returns nothing (and does not throw) for broken metadata', async () => {
    const { AnalysisContext } = await import('../../../src/analysis/context.js');
    const { inMemoryPackage } = await import('./helpers.js');
    const ctx = new AnalysisContext(
      inMemoryPackage('pypi', {
        'x-1/pyproject.toml': '[project\nscripts = ',
        'x-1/setup.cfg': 'garbage',
      }),
    );
    expect(extractEntryPoints(ctx)).toEqual([]);
    const npm = new AnalysisContext(
      inMemoryPackage('npm', { 'package/package.json': '{ not json' }),
    );
    expect(extractEntryPoints(npm)).toEqual([]);
  });
});
