import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGitSource, parseNameStatus } from '../../src/sources/git.js';

function git(repo: string, ...args: string[]) {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], {
    cwd: repo,
    stdio: 'ignore',
  });
}

describe('local git source', () => {
  it('parses name-status output with renames', () => {
    expect(parseNameStatus('M\0a.txt\0R100\0old/req.txt\0new/req.txt\0A\0b\0D\0c\0')).toEqual([
      { path: 'a.txt', status: 'modified' },
      { path: 'new/req.txt', previousPath: 'old/req.txt', status: 'renamed' },
      { path: 'b', status: 'added' },
      { path: 'c', status: 'removed' },
    ]);
  });

  it('compares head with the merge base, not with a base branch that moved on', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'pkg-gate-git-'));
    try {
      git(repo, 'init', '-q', '-b', 'main');
      writeFileSync(join(repo, 'requirements.txt'), 'a==1\n');
      git(repo, 'add', '.');
      git(repo, 'commit', '-q', '-m', 'base');
      git(repo, 'checkout', '-q', '-b', 'feature');
      writeFileSync(join(repo, 'requirements.txt'), 'a==1\nb==2\n');
      git(repo, 'commit', '-q', '-am', 'feature');
      git(repo, 'checkout', '-q', 'main');
      writeFileSync(join(repo, 'other.txt'), 'x\n');
      git(repo, 'add', '.');
      git(repo, 'commit', '-q', '-m', 'main moves on');

      const source = await createGitSource(repo, 'main', 'feature');
      expect(await source.listChangedFiles()).toEqual([
        { path: 'requirements.txt', status: 'modified' },
      ]);
      expect(await source.readFile('requirements.txt', 'base')).toBe('a==1\n');
      expect(await source.readFile('requirements.txt', 'head')).toBe('a==1\nb==2\n');
      expect(await source.readFile('missing.txt', 'head')).toBeUndefined();
      await expect(createGitSource(repo, 'main', 'no-such-branch')).rejects.toThrow(
        /"no-such-branch" is not a commit/,
      );
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('lists every file at the merge base, from the root, even when pointed at a subfolder', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'pkg-gate-git-'));
    try {
      git(repo, 'init', '-q', '-b', 'main');
      mkdirSync(join(repo, 'services', 'api'), { recursive: true });
      mkdirSync(join(repo, 'shared'));
      writeFileSync(
        join(repo, 'services', 'api', 'requirements prod.txt'),
        '-r ../../shared/deps.txt\n',
      );
      writeFileSync(join(repo, 'shared', 'deps.txt'), 'a==1\n');
      git(repo, 'add', '.');
      git(repo, 'commit', '-q', '-m', 'base');
      git(repo, 'checkout', '-q', '-b', 'feature');
      writeFileSync(join(repo, 'shared', 'deps.txt'), 'a==2\n');
      writeFileSync(join(repo, 'added-on-feature.txt'), 'x\n');
      git(repo, 'add', '.');
      git(repo, 'commit', '-q', '-m', 'feature');

      const source = await createGitSource(join(repo, 'services'), 'main', 'feature');
      expect([...((await source.listBaseFiles()) ?? [])].sort()).toEqual([
        'services/api/requirements prod.txt',
        'shared/deps.txt',
      ]);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('reads a tracked file strictly: absent is undefined, a directory or a link is an error', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'pkg-gate-git-'));
    try {
      git(repo, 'init', '-q', '-b', 'main');
      mkdirSync(join(repo, '.github', 'pkg-gate.d'), { recursive: true });
      mkdirSync(join(repo, 'app'));
      writeFileSync(join(repo, '.github', 'pkg-gate.yml'), 'fail-on: low\n');
      writeFileSync(join(repo, '.github', 'pkg-gate.d', 'x.yml'), 'x\n');
      writeFileSync(join(repo, 'app', 'requirements.txt'), 'a==1\n');
      symlinkSync('pkg-gate.yml', join(repo, '.github', 'linked.yml'));
      git(repo, 'add', '.');
      git(repo, 'commit', '-q', '-m', 'base');
      git(repo, 'checkout', '-q', '-b', 'feature');
      writeFileSync(join(repo, '.github', 'pkg-gate.yml'), 'fail-on: none\n');
      git(repo, 'commit', '-q', '-am', 'feature');
      writeFileSync(join(repo, '.github', 'pkg-gate.yml'), 'working tree\n');

      // Pointed at a subfolder: paths are still from the repository root.
      const source = await createGitSource(join(repo, 'app'), 'main', 'feature');
      expect(await source.readTrackedFile('.github/pkg-gate.yml', 'base')).toBe('fail-on: low\n');
      expect(await source.readTrackedFile('.github/pkg-gate.yml', 'head')).toBe('fail-on: none\n');
      expect(await source.readTrackedFile('.github/missing.yml', 'base')).toBeUndefined();
      // ls-tree treats its path as a pattern; a prefix of a real path is not that path.
      expect(await source.readTrackedFile('.github/pkg-gate', 'base')).toBeUndefined();
      await expect(source.readTrackedFile('.github/pkg-gate.d', 'base')).rejects.toThrow(
        /\.github\/pkg-gate\.d at [0-9a-f]{7} is a directory, not a file/,
      );
      await expect(source.readTrackedFile('.github/linked.yml', 'base')).rejects.toThrow(
        /is a symbolic link, not a file/,
      );
      expect(source.mergeBase).toMatch(/^[0-9a-f]{40}$/);
      expect(source.head).not.toBe(source.mergeBase);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
