import type { GitHubClient } from './client.js';
import type { PullRequestRef } from './context.js';
import { httpStatus } from './errors.js';

/** A file the pull request touches, as GitHub lists it. */
export interface ChangedFile {
  path: string;
  /** Old path, for renamed files. */
  previousPath?: string;
  /** added | removed | modified | renamed | copied | changed | unchanged */
  status: string;
  /** Unified diff of the file; GitHub omits it for large or binary diffs (big lockfiles). */
  patch?: string;
}

/** Every file of the pull request, following pagination (GitHub caps this list at 3,000 files). */
export async function listChangedFiles(
  gh: GitHubClient,
  pr: PullRequestRef,
): Promise<ChangedFile[]> {
  const files = await gh.paginate(gh.rest.pulls.listFiles, {
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    per_page: 100,
  });
  return files.map((file) => {
    const changed: ChangedFile = { path: file.filename, status: file.status };
    if (file.previous_filename) changed.previousPath = file.previous_filename;
    if (typeof file.patch === 'string') changed.patch = file.patch;
    return changed;
  });
}

/**
 * The merge base of base and head: the commit the PR's diff is computed against. `base.sha` in
 * the event payload is the tip of the base branch when the event fired and may have moved on,
 * so diffing against it would attribute other people's merged changes to this PR.
 */
export async function findMergeBase(gh: GitHubClient, pr: PullRequestRef): Promise<string> {
  const { data } = await gh.rest.repos.compareCommitsWithBasehead({
    owner: pr.owner,
    repo: pr.repo,
    basehead: `${pr.baseSha}...${pr.headSha}`,
    // Only the merge base is needed, not the commit list or the files.
    per_page: 1,
  });
  const sha = data.merge_base_commit?.sha;
  if (!sha) {
    throw new Error(
      `GitHub did not return a merge base for ${pr.baseSha}...${pr.headSha} in ${pr.owner}/${pr.repo}.`,
    );
  }
  return sha;
}

/**
 * The text of `path` at commit `ref`, or undefined when the file does not exist there. Uses the
 * raw media type: the JSON form returns no content for files over 1 MB, which lockfiles often are.
 */
export async function readFileAt(
  gh: GitHubClient,
  pr: PullRequestRef,
  path: string,
  ref: string,
): Promise<string | undefined> {
  let data: unknown;
  try {
    ({ data } = await gh.rest.repos.getContent({
      owner: pr.owner,
      repo: pr.repo,
      path,
      ref,
      mediaType: { format: 'raw' },
    }));
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw error;
  }
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data)) {
    return new TextDecoder().decode(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  if (Array.isArray(data)) {
    throw new Error(`${path} at ${ref} is a directory, not a file.`);
  }
  throw new Error(`GitHub returned no raw content for ${path} at ${ref}.`);
}

/**
 * Every file path of the repository at commit `ref`, in one call (the git trees API with
 * recursive=1). Undefined when GitHub truncates the tree (over 100,000 entries or 7 MB): the
 * list is then incomplete, and a caller that needs every file must look another way.
 */
export async function listFilesAt(
  gh: GitHubClient,
  pr: PullRequestRef,
  ref: string,
): Promise<string[] | undefined> {
  const { data } = await gh.rest.git.getTree({
    owner: pr.owner,
    repo: pr.repo,
    tree_sha: ref,
    recursive: '1',
  });
  if (data.truncated) return undefined;
  return data.tree
    .filter((entry) => entry.type === 'blob' && typeof entry.path === 'string')
    .map((entry) => entry.path!);
}
