import * as core from '@actions/core';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFailOn } from './gate/index.js';
import { createGitHubClient, type GitHubClient } from './github/client.js';
import { describeError, isPermissionError } from './github/errors.js';
import { readPullRequest, type PullRequestRef } from './github/context.js';
import { findMergeBase, listChangedFiles, readFileAt } from './github/pull-request.js';
import { planAnnotations } from './report/annotations.js';
import { renderJobSummary } from './report/job-summary.js';
import { renderJson } from './report/json.js';
import { planReview, postReview } from './report/review.js';
import {
  renderSummaryComment,
  updateSummaryCommentIfPresent,
  upsertSummaryComment,
} from './report/summary-comment.js';
import {
  scanChanges,
  selectDependencyFiles,
  type ChangedFile,
  type ChangeSource,
  type Logger,
} from './run.js';
import type { Report } from './types.js';

export type CommentMode = 'inline' | 'summary' | 'off';

export interface ActionInputs {
  token: string;
  failOn: ReturnType<typeof parseFailOn>;
  npmRegistry: string;
  pypiUrl: string;
  commentMode: CommentMode;
}

export function readInputs(): ActionInputs {
  const commentMode = (core.getInput('comment-mode') || 'inline').trim().toLowerCase();
  if (!['inline', 'summary', 'off'].includes(commentMode)) {
    throw new Error(`comment-mode must be inline, summary or off (got "${commentMode}")`);
  }
  const url = (name: string, fallback: string) => {
    const value = (core.getInput(name) || fallback).trim().replace(/\/+$/, '');
    if (!/^https?:\/\/[^/]/.test(value)) throw new Error(`${name} must be an http(s) URL`);
    return value;
  };
  return {
    token: core.getInput('github-token'),
    failOn: parseFailOn(core.getInput('fail-on') || 'high'),
    npmRegistry: url('npm-registry', 'https://registry.npmjs.org'),
    pypiUrl: url('pypi-url', 'https://pypi.org'),
    commentMode: commentMode as CommentMode,
  };
}

const actionsLogger: Logger = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  group: (name, fn) => core.group(name, fn),
};

/** The PR as a change source: files at the merge base and at the head sha, through the API. */
function pullRequestSource(
  gh: GitHubClient,
  pr: PullRequestRef,
  changed: ChangedFile[],
  mergeBase: () => Promise<string>,
): ChangeSource {
  return {
    listChangedFiles: async () => changed,
    readFile: async (path, side) =>
      readFileAt(gh, pr, path, side === 'base' ? await mergeBase() : pr.headSha),
  };
}

/** Writes to the PR; a read-only token (fork PRs) degrades to annotations and the job summary. */
async function publishOnPullRequest(
  gh: GitHubClient,
  pr: PullRequestRef,
  report: Report,
  changed: ChangedFile[],
  mode: CommentMode,
): Promise<void> {
  if (mode === 'off') return;
  try {
    if (mode === 'inline') {
      // Called even with an empty plan: that is how earlier threads learn a finding is gone.
      await postReview(gh, pr, planReview(report, changed));
    }
    const outcome = await upsertSummaryComment(gh, pr, renderSummaryComment(report));
    core.info(`Summary comment ${outcome}.`);
  } catch (error) {
    // The gate's verdict never depends on a comment landing, so a failed write only warns.
    core.warning(
      isPermissionError(error)
        ? `Could not write to the pull request (${describeError(error)}); this token is read-only ` +
            '(fork PRs get one under pull_request). The findings are in the annotations and the job summary.'
        : `Could not write the review or summary comment (${describeError(error)}); the findings are in the annotations and the job summary.`,
    );
  }
}

function emitAnnotations(report: Report): void {
  for (const annotation of planAnnotations(report)) {
    const properties = {
      title: annotation.title,
      file: annotation.file,
      ...(annotation.startLine ? { startLine: annotation.startLine } : {}),
    };
    if (annotation.level === 'error') core.error(annotation.message, properties);
    else if (annotation.level === 'warning') core.warning(annotation.message, properties);
    else core.notice(annotation.message, properties);
  }
}

function writeOutputs(report: Report): string {
  const path = join(process.env.RUNNER_TEMP || tmpdir(), 'pkg-gate-report.json');
  writeFileSync(path, `${renderJson(report)}\n`);
  core.setOutput('verdict', report.verdict);
  core.setOutput('findings', String(report.packages.reduce((n, p) => n + p.findings.length, 0)));
  core.setOutput('report', path);
  return path;
}

export async function runAction(): Promise<void> {
  try {
    const inputs = readInputs();
    const pr = readPullRequest(process.env);
    if (!inputs.token) throw new Error('github-token is empty: pass ${{ github.token }}');
    const gh = createGitHubClient(inputs.token);

    const changed = await listChangedFiles(gh, pr);
    if (selectDependencyFiles(changed).length === 0) {
      core.info(`No dependency changes in PR #${pr.number} (${changed.length} file(s) changed).`);
      const report: Report = {
        verdict: 'pass',
        failOn: inputs.failOn,
        packages: [],
        manifestProblems: [],
        manifests: [],
      };
      writeOutputs(report);
      // An earlier push may have left a failing summary up; one GET tells, and it is corrected.
      if (inputs.commentMode !== 'off') {
        await updateSummaryCommentIfPresent(gh, pr, renderSummaryComment(report)).catch(
          (error: unknown) =>
            core.warning(`Could not update the summary comment: ${describeError(error)}`),
        );
      }
      return;
    }

    let mergeBase: Promise<string> | undefined;
    const source = pullRequestSource(gh, pr, changed, () => (mergeBase ??= findMergeBase(gh, pr)));
    const report = await scanChanges(source, {
      failOn: inputs.failOn,
      registry: {
        npmRegistry: inputs.npmRegistry,
        pypiUrl: inputs.pypiUrl,
        npmToken: process.env.PKG_GATE_NPM_TOKEN || undefined,
      },
      logger: actionsLogger,
    });

    await core.group('Report', async () => {
      emitAnnotations(report);
      await core.summary.addRaw(renderJobSummary(report)).write();
      await publishOnPullRequest(gh, pr, report, changed, inputs.commentMode);
      const path = writeOutputs(report);
      core.info(`JSON report: ${path}`);
    });

    if (report.verdict === 'fail') {
      const failing = report.packages.filter((p) => p.verdict !== 'pass').map((p) => p.name);
      core.setFailed(
        `pkg-gate: ${failing.length} package(s) at or above "${inputs.failOn}" or not inspectable` +
          (failing.length ? `: ${failing.join(', ')}` : '') +
          (report.manifestProblems.length
            ? `; ${report.manifestProblems.length} unreadable dependency file(s)`
            : ''),
      );
    } else {
      core.info('pkg-gate: pass');
    }
  } catch (error) {
    core.setFailed(`pkg-gate: ${error instanceof Error ? error.message : String(error)}`);
  }
}
