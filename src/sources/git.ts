import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { SideReader } from '../manifests/collect.js';
import type { ChangedFile, ChangeSource } from '../run.js';

const run = promisify(execFile);
const MAX_OUTPUT = 512 * 1024 * 1024;

async function git(repo: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd: repo, maxBuffer: MAX_OUTPUT, encoding: 'utf8' });
  return stdout;
}

const STATUS: Record<string, string> = {
  A: 'added',
  M: 'modified',
  D: 'removed',
  R: 'renamed',
  C: 'copied',
  T: 'changed',
};

/** Parses `git diff --name-status -z` output (NUL-separated, renames carry two paths). */
export function parseNameStatus(output: string): ChangedFile[] {
  const fields = output.split('\0').filter((f) => f !== '');
  const files: ChangedFile[] = [];
  for (let i = 0; i < fields.length;) {
    const code = fields[i++] ?? '';
    const letter = code[0] ?? 'M';
    if (letter === 'R' || letter === 'C') {
      const previousPath = fields[i++];
      const path = fields[i++] ?? '';
      files.push({ path, previousPath, status: STATUS[letter] ?? 'modified' });
    } else {
      files.push({ path: fields[i++] ?? '', status: STATUS[letter] ?? 'modified' });
    }
  }
  return files;
}

/** A local repository as a change source, with the commits it compares. */
export type GitChangeSource = ChangeSource &
  Required<Pick<SideReader, 'listBaseFiles'>> &
  GitRevisionReader;

interface GitRevisionReader {
  /** The merge base of base and head: the commit the change is compared against. */
  readonly mergeBase: string;
  readonly head: string;
  /**
   * A file at one side, strictly: undefined only when the path is not in that commit's tree;
   * a path that is a directory, a symbolic link or a submodule, or a failing git, throws. For
   * files whose absence and unreadability mean different things (the configuration).
   */
  readTrackedFile(path: string, side: 'base' | 'head'): Promise<string | undefined>;
}

/**
 * A local repository as a change source: like a PR, the head is compared with the merge base of
 * base and head, so commits that landed on the base branch meanwhile are not counted as the change.
 */
export async function createGitSource(
  repo: string,
  baseRef: string,
  headRef: string,
): Promise<GitChangeSource> {
  const resolve = async (ref: string) => {
    try {
      return (await git(repo, ['rev-parse', '--verify', `${ref}^{commit}`])).trim();
    } catch {
      throw new Error(`"${ref}" is not a commit in ${repo}`);
    }
  };
  const [base, head] = [await resolve(baseRef), await resolve(headRef)];
  let mergeBase = base;
  try {
    mergeBase = (await git(repo, ['merge-base', base, head])).trim() || base;
  } catch {
    // unrelated histories: compare with base itself
  }
  return {
    mergeBase,
    head,
    async listChangedFiles() {
      return parseNameStatus(
        await git(repo, ['diff', '--name-status', '-z', '-M', '--no-ext-diff', mergeBase, head]),
      );
    },
    async listBaseFiles() {
      // --full-tree: paths from the repository root, whatever folder `repo` names inside it.
      const output = await git(repo, [
        'ls-tree',
        '-r',
        '-z',
        '--full-tree',
        '--name-only',
        mergeBase,
      ]);
      return output.split('\0').filter((path) => path !== '');
    },
    async readFile(path, side) {
      try {
        return await git(repo, ['show', `${side === 'base' ? mergeBase : head}:${path}`]);
      } catch {
        return undefined;
      }
    },
    async readTrackedFile(path, side) {
      const commit = side === 'base' ? mergeBase : head;
      // --full-tree: the path is from the repository root, like every path a PR names.
      const listing = await git(repo, ['ls-tree', '-z', '--full-tree', commit, '--', path]);
      // ls-tree matches its paths as patterns: only the entry named exactly `path` counts.
      const match = listing
        .split('\0')
        .map((entry) => /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(entry))
        .find((parsed) => parsed?.[4] === path);
      if (!match) return undefined;
      const [, mode, type, object] = match;
      if (type !== 'blob' || mode === '120000') {
        const what =
          type === 'tree' ? 'a directory' : type === 'commit' ? 'a submodule' : 'a symbolic link';
        throw new Error(`${path} at ${commit.slice(0, 7)} is ${what}, not a file`);
      }
      return git(repo, ['cat-file', 'blob', object ?? '']);
    },
  };
}
