import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
});
