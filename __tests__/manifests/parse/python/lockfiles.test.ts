import { describe, expect, it } from '@jest/globals';
import { diffManifests } from '../../../../src/manifests/diff.js';
import { ManifestParseError, parseManifest } from '../../../../src/manifests/parse/index.js';
import { parsePdmLock } from '../../../../src/manifests/parse/python/pdm-lock.js';
import { parsePipfileLock } from '../../../../src/manifests/parse/python/pipfile-lock.js';
import { parsePoetryLock } from '../../../../src/manifests/parse/python/poetry-lock.js';
import { parsePylock } from '../../../../src/manifests/parse/python/pylock.js';
import { parseUvLock } from '../../../../src/manifests/parse/python/uv-lock.js';
import type { ManifestFormat } from '../../../../src/types.js';
import { exactLineOf, fixture } from '../../fixtures.js';

// Pipfile.lock records no version for a git dependency: the fetch stage resolves it.
const story = (gitVersion: string) => [
  'added evil-pkg 1.0.0',
  `added internal-tool ${gitVersion}`,
  'bumped certifi 2024.2.2->2024.7.4',
  'downgraded urllib3 2.2.1->2.0.7',
  'removed six 1.16.0->1.16.0',
];

const LOCKFILES: {
  label: string;
  format: ManifestFormat;
  base: string;
  head: string;
  path: string;
  /** The line the change for `name` must point at. */
  lineText: (name: string) => string;
  gitVersion: string;
}[] = [
  {
    label: 'poetry.lock 2.0',
    format: 'poetry-lock',
    base: 'python/poetry.base.lock',
    head: 'python/poetry.head.lock',
    path: 'poetry.lock',
    lineText: (name) => `name = "${name}"`,
    gitVersion: '0.3.0',
  },
  {
    label: 'uv.lock 1',
    format: 'uv-lock',
    base: 'python/uv.base.lock',
    head: 'python/uv.head.lock',
    path: 'uv.lock',
    lineText: (name) => `name = "${name}"`,
    gitVersion: '0.3.0',
  },
  {
    label: 'pdm.lock 4.5',
    format: 'pdm-lock',
    base: 'python/pdm.base.lock',
    head: 'python/pdm.head.lock',
    path: 'pdm.lock',
    lineText: (name) => `name = "${name}"`,
    gitVersion: '0.3.0',
  },
  {
    label: 'pylock.toml 1.0 (PEP 751)',
    format: 'pylock',
    base: 'python/pylock.base.toml',
    head: 'python/pylock.head.toml',
    path: 'pylock.toml',
    lineText: (name) => `name = "${name}"`,
    gitVersion: '0.3.0',
  },
  {
    label: 'Pipfile.lock 6',
    format: 'pipfile-lock',
    base: 'python/Pipfile.base.lock',
    head: 'python/Pipfile.head.lock',
    path: 'Pipfile.lock',
    lineText: (name) => `        "${name}": {`,
    gitVersion: '',
  },
];

describe.each(LOCKFILES)('$label', ({ format, base, head, path, lineText, gitVersion }) => {
  const headText = fixture(head);
  const headManifest = parseManifest(path, format, headText);
  const changes = diffManifests(parseManifest(path, format, fixture(base)), headManifest);

  it('diffs into the story every Python fixture tells', () => {
    expect(
      changes.map((c) => `${c.change} ${c.name} ${c.from ? `${c.from}->` : ''}${c.version}`).sort(),
    ).toEqual(story(gitVersion));
  });

  it('puts each change on the line that names the package', () => {
    for (const change of changes.filter((c) => c.change !== 'removed')) {
      expect(change.manifest).toEqual({ path, line: exactLineOf(headText, lineText(change.name)) });
    }
  });

  it('carries the file hashes and the git source', () => {
    const certifi = changes.find((c) => c.name === 'certifi');
    expect(certifi?.hashes).toHaveLength(2);
    expect(certifi?.hashes?.every((hash) => /^sha256:[0-9a-f]{64}$/.test(hash))).toBe(true);
    expect(changes.find((c) => c.name === 'internal-tool')?.resolved).toMatch(
      /github\.com\/example\/internal-tool\.git.*9f1c2d3e/,
    );
  });

  it('leaves out the project itself', () => {
    expect(headManifest.packages.find((p) => p.name === 'fixture-app')).toBeUndefined();
  });
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

describe('Python lockfile errors', () => {
  it('reports broken TOML with its line', () => {
    const truncated = fixture('python/poetry.head.lock').split('\n').slice(0, 11).join('\n');
    const error = parseError(() => parsePoetryLock(truncated));
    expect(error.message).toMatch(/^poetry.lock is not valid TOML: /);
    expect(error.line).toBeGreaterThanOrEqual(9);
    expect(parseError(() => parseUvLock('version = 1\n[[package]\nname = "a"\n')).line).toBe(2);
  });

  it('says which versions are supported', () => {
    expect(parseError(() => parsePoetryLock('[metadata]\nlock-version = "3.0"\n')).message).toBe(
      'unsupported poetry.lock lock-version 3.0; supported versions are 1.0, 1.1, 2.0, 2.1',
    );
    expect(parseError(() => parsePdmLock('[metadata]\nlock_version = "5.0"\n')).message).toBe(
      'unsupported pdm.lock lock_version 5.0; supported versions are 4.x',
    );
    expect(parseError(() => parsePylock('lock-version = "2.0"\n')).message).toBe(
      'unsupported pylock.toml lock-version 2.0; supported versions are 1.x (PEP 751)',
    );
    expect(parseError(() => parseUvLock('version = 2\n')).message).toBe(
      'unsupported uv.lock version 2; supported versions are 1',
    );
    expect(
      parseError(() => parsePipfileLock('{\n  "_meta": {\n    "pipfile-spec": 5\n  }\n}')),
    ).toMatchObject({
      message: 'unsupported Pipfile.lock pipfile-spec 5; supported versions are 6',
      line: 3,
    });
  });

  it('reads Poetry 1.1 lockfiles whose hashes live under [metadata.files]', () => {
    const lock = [
      '[[package]]',
      'name = "six"',
      'version = "1.16.0"',
      'description = "Python 2 and 3 compatibility utilities"',
      'category = "main"',
      'optional = false',
      'python-versions = ">=2.7"',
      '',
      '[metadata]',
      'lock-version = "1.1"',
      'python-versions = "^3.8"',
      'content-hash = "abc"',
      '',
      '[metadata.files]',
      'six = [',
      '    {file = "six-1.16.0.tar.gz", hash = "sha256:1E61C37477A1626458E36F7B1D82AA5C9B094FA4802892072E49DE9C60C4C926"},',
      ']',
      '',
    ].join('\n');
    expect(parsePoetryLock(lock)).toEqual([
      {
        ecosystem: 'pypi',
        name: 'six',
        version: '1.16.0',
        line: 2,
        hashes: ['sha256:1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926'],
      },
    ]);
  });

  it('reports a Pipfile.lock in broken JSON with its line', () => {
    const truncated = fixture('python/Pipfile.head.lock').split('\n').slice(0, 20).join('\n');
    const error = parseError(() => parsePipfileLock(truncated));
    expect(error.message).toMatch(/^Pipfile.lock is not valid JSON: /);
    expect(error.line).toBe(20);
  });
});
