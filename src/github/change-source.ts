import type { SideReader } from '../manifests/collect.js';
import type { ChangedFile, ChangeSource } from '../run.js';
import type { GitHubClient } from './client.js';
import type { PullRequestRef } from './context.js';
import { listFilesAt, readFileAt } from './pull-request.js';

/**
 * The PR as a change source: files at the merge base and at the head sha, through the API. The
 * repository's file list at the merge base is one tree call, asked only when a stage needs it
 * (a changed text file that some requirements file may include) and at most once.
 */
export function pullRequestSource(
  gh: GitHubClient,
  pr: PullRequestRef,
  changed: ChangedFile[],
  mergeBase: () => Promise<string>,
): ChangeSource & Required<Pick<SideReader, 'listBaseFiles'>> {
  let listing: Promise<string[] | undefined> | undefined;
  return {
    listChangedFiles: async () => changed,
    readFile: async (path, side) =>
      readFileAt(gh, pr, path, side === 'base' ? await mergeBase() : pr.headSha),
    listBaseFiles: () => (listing ??= mergeBase().then((sha) => listFilesAt(gh, pr, sha))),
  };
}
