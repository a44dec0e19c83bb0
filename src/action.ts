import * as core from '@actions/core';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettings, type EffectiveSettings, type SettingInputs } from './config/effective.js';
import { partitionIgnored } from './config/ignore.js';
import { checkConfigPath, type LoadedConfig } from './config/load.js';
import {
  advisoryLookup,
  applyRunPolicy,
  describeSettings,
  headConfigIssues as invalidHeadIssues,
  loadRunConfig,
  registryOptions,
  reputationFromConfig,
} from './config/run-config.js';
import {
  DEFAULT_CONFIG_PATH,
  EMPTY_CONFIG,
  formatIssue,
  type CommentMode,
  type ConfigIssue,
  type PkgGateConfig,
} from './config/types.js';
import { pullRequestSource } from './github/change-source.js';
import { createGitHubClient, type GitHubClient } from './github/client.js';
import { describeError, isPermissionError } from './github/errors.js';
import { readPullRequest, type PullRequestRef } from './github/context.js';
import { findMergeBase, listChangedFiles, readFileAt } from './github/pull-request.js';
import { mayBeIncludedRequirements } from './manifests/discover.js';
import { planAnnotations } from './report/annotations.js';
import { renderJobSummary } from './report/job-summary.js';
import { renderJson } from './report/json.js';
import { dismissChangeRequests, planReview, postReview } from './report/review.js';
import { renderSarifJson } from './report/sarif.js';
import type { RunNotes } from './report/settings.js';
import {
  renderSummaryComment,
  updateSummaryCommentIfPresent,
  upsertSummaryComment,
} from './report/summary-comment.js';
import {
  scanChanges,
  selectDependencyFiles,
  type ChangedFile,
  type Logger,
  type ReputationOptions,
} from './run.js';
import type { AdvisoryLookupOptions } from './reputation/index.js';
import type { Report } from './types.js';

export type { CommentMode } from './config/types.js';

export interface ActionInputs {
  token: string;
  /** Repository-relative path of the config file, read on the PR's base side. */
  configFile: string;
  /** Whether `config-file` was given (a missing file is then worth a warning). */
  configFileExplicit: boolean;
  /** Raw values of the inputs that override the config file; empty means not set. */
  settings: SettingInputs;
  /** OSV base URL for known-malicious lookups, or `off`. */
  osvUrl: string;
}

export function readInputs(): ActionInputs {
  const configInput = core.getInput('config-file');
  return {
    token: core.getInput('github-token'),
    configFile: checkConfigPath(configInput || DEFAULT_CONFIG_PATH),
    configFileExplicit: configInput.trim() !== '' && configInput.trim() !== DEFAULT_CONFIG_PATH,
    settings: {
      failOn: core.getInput('fail-on'),
      commentMode: core.getInput('comment-mode'),
      reviewEvent: core.getInput('review-event'),
      npmRegistry: core.getInput('npm-registry'),
      pypiUrl: core.getInput('pypi-url'),
    },
    osvUrl: core.getInput('osv-url'),
  };
}

/** GitHub's malware advisories, through the API the action already talks to, with its token. */
function githubAdvisories(token: string) {
  return { apiUrl: process.env.GITHUB_API_URL || 'https://api.github.com', token };
}

/**
 * Known-malicious lookups: OSV (one batched query) unless `osv-url: off`, and GitHub's malware
 * advisories with the action's token.
 */
export function advisoryOptions(osvInput: string, token: string): AdvisoryLookupOptions | false {
  return advisoryLookup(osvInput, githubAdvisories(token), 'osv-url');
}

/** The config file's reputation keys (and the osv-url input) as scan options. */
export function reputationOptions(
  config: PkgGateConfig,
  osvInput: string,
  token: string,
): ReputationOptions {
  return reputationFromConfig(config, osvInput, githubAdvisories(token), 'osv-url');
}

const actionsLogger: Logger = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  group: (name, fn) => core.group(name, fn),
};

/**
 * Whether a PR touches anything the scan reads: a file named like a dependency file, or a text
 * file that a requirements file may include under another name (`-r deps/base.txt`), which only
 * the scan can tell.
 */
function touchesDependencyFiles(changed: readonly ChangedFile[]): boolean {
  return (
    selectDependencyFiles(changed).length > 0 ||
    changed.some(
      (f) =>
        mayBeIncludedRequirements(f.path) ||
        (f.previousPath !== undefined && mayBeIncludedRequirements(f.previousPath)),
    )
  );
}

/** A PR with no dependency changes: outputs, and a correction of an earlier summary if any. */
async function finishWithoutDependencyChanges(
  gh: GitHubClient,
  pr: PullRequestRef,
  changed: ChangedFile[],
  settings: EffectiveSettings,
): Promise<void> {
  core.info(`No dependency changes in PR #${pr.number} (${changed.length} file(s) changed).`);
  const report = emptyReport(settings.failOn.value);
  writeOutputs(report);
  // An earlier push may have left a failing summary up; one GET tells, and it is corrected.
  if (settings.commentMode.value === 'off') return;
  try {
    const hadSummary = await updateSummaryCommentIfPresent(gh, pr, renderSummaryComment(report));
    // Only a PR pkg-gate commented on before can have threads to answer: the others cost
    // nothing more than that one GET.
    if (hadSummary && settings.commentMode.value === 'inline') {
      const outcome = await postReview(gh, pr, planReview(report, changed));
      if (outcome.resolvedThreads > 0) {
        core.info(`Answered ${outcome.resolvedThreads} earlier pkg-gate thread(s).`);
      }
    }
  } catch (error) {
    core.warning(`Could not update the summary comment: ${describeError(error)}`);
  }
}

/** Writes to the PR; a read-only token (fork PRs) degrades to annotations and the job summary. */
async function publishOnPullRequest(
  gh: GitHubClient,
  pr: PullRequestRef,
  report: Report,
  changed: ChangedFile[],
  settings: EffectiveSettings,
  notes: RunNotes,
): Promise<void> {
  const mode: CommentMode = settings.commentMode.value;
  if (mode === 'off') return;
  try {
    if (mode === 'inline') {
      const event =
        settings.reviewEvent.value === 'REQUEST_CHANGES' && report.verdict === 'fail'
          ? 'REQUEST_CHANGES'
          : 'COMMENT';
      // Called even with an empty plan: that is how earlier threads learn a finding is gone.
      const outcome = await postReview(gh, pr, planReview(report, changed), { event });
      core.info(
        `Review: ${outcome.posted ? `posted (${event})` : 'nothing new'}; ${outcome.inlineComments} new inline comment(s), ` +
          `${outcome.alreadyPosted} already posted, ${outcome.movedToBody} moved to the body, ` +
          `${outcome.resolvedThreads} earlier thread(s) answered.`,
      );
      if (report.verdict === 'pass') {
        // Branch protection may restrict who can dismiss reviews: that must not cost the summary.
        await dismissChangeRequests(gh, pr).then(
          (dismissed) => {
            if (dismissed > 0)
              core.info(`Dismissed ${dismissed} earlier pkg-gate change request(s).`);
          },
          (error: unknown) =>
            core.warning(
              `Could not dismiss pkg-gate's earlier change request (${describeError(error)}); dismiss it by hand, the gate passes now.`,
            ),
        );
      }
    }
    const outcome = await upsertSummaryComment(gh, pr, renderSummaryComment(report, notes));
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

function emitAnnotations(report: Report, settings?: EffectiveSettings): void {
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
  if (settings?.configStatus === 'loaded') {
    for (const issue of settings.configIssues) {
      core.warning(`${issue.key}: ${issue.message}`, {
        title: 'pkg-gate: configuration warning',
        file: settings.configPath,
        ...(issue.line ? { startLine: issue.line } : {}),
      });
    }
  }
}

function writeOutputs(report: Report): void {
  const dir = process.env.RUNNER_TEMP || tmpdir();
  const reportPath = join(dir, 'pkg-gate-report.json');
  const sarifPath = join(dir, 'pkg-gate.sarif');
  writeFileSync(reportPath, `${renderJson(report)}\n`);
  writeFileSync(
    sarifPath,
    `${renderSarifJson(report, { toolVersion: process.env.GITHUB_ACTION_REF || undefined })}\n`,
  );
  const findings =
    report.packages.reduce((n, p) => n + p.findings.length, 0) + (report.fileFindings?.length ?? 0);
  core.setOutput('verdict', report.verdict);
  core.setOutput('findings', String(findings));
  core.setOutput('report', reportPath);
  core.setOutput('sarif-file', sarifPath);
  core.setOutput(
    'changed-packages',
    JSON.stringify(
      report.packages.map((p) => ({
        ecosystem: p.ecosystem,
        name: p.name,
        version: p.version,
        from: p.from ?? null,
        change: p.change ?? null,
      })),
    ),
  );
  core.info(`JSON report: ${reportPath}; SARIF: ${sarifPath}`);
}

function emptyReport(failOn: Report['failOn']): Report {
  return { verdict: 'pass', failOn, packages: [], manifestProblems: [], manifests: [] };
}

/** Logs what the run decided, one line per setting that differs from the defaults. */
function logSettings(settings: EffectiveSettings, loaded: LoadedConfig, now: Date): void {
  const where = `${settings.configPath}${settings.configRef ? ` at ${settings.configRef.slice(0, 7)}` : ''}`;
  if (loaded.status === 'absent')
    core.info(`No ${where} on the base side: inputs and defaults apply.`);
  else if (loaded.status === 'loaded') core.info(`Configuration read from ${where} (base side).`);
  else {
    core.error(
      `${settings.configPath} is not a valid pkg-gate configuration; this run fails closed:\n` +
        loaded.issues.map((issue) => `  - ${formatIssue(settings.configPath, issue)}`).join('\n'),
    );
  }
  for (const line of describeSettings(settings, now)) core.info(line);
  if (settings.configChangedInPr) {
    core.info(`  this PR changes ${settings.configPath}; the change applies after merge.`);
  }
}

export async function runAction(): Promise<void> {
  try {
    const inputs = readInputs();
    const pr = readPullRequest(process.env);
    if (!inputs.token) throw new Error('github-token is empty: pass ${{ github.token }}');
    const gh = createGitHubClient(inputs.token);
    const now = new Date();

    const changed = await listChangedFiles(gh, pr);
    const configChangedInPr = changed.some(
      (f) => f.path === inputs.configFile || f.previousPath === inputs.configFile,
    );
    if (!touchesDependencyFiles(changed) && !configChangedInPr) {
      // Fast path: nothing the config could change the outcome of, so it is not even read.
      const settings = resolveSettings(inputs.settings, EMPTY_CONFIG, {
        path: inputs.configFile,
        status: 'absent',
      });
      await finishWithoutDependencyChanges(gh, pr, changed, settings);
      return;
    }

    let mergeBase: Promise<string> | undefined;
    const getMergeBase = () => (mergeBase ??= findMergeBase(gh, pr));

    // The config comes from the base side, so a PR cannot allow its own package.
    const { loaded, settings, headConfigIssues } = await core.group('Configuration', async () => {
      const configRef = await getMergeBase();
      const changedInPr = configChangedInPr;
      const { loaded, settings } = await loadRunConfig({
        path: inputs.configFile,
        readBase: (path) => readFileAt(gh, pr, path, configRef),
        ref: configRef,
        changedInPr,
        inputs: inputs.settings,
      });
      if (loaded.status === 'absent' && inputs.configFileExplicit) {
        core.warning(
          `config-file is ${inputs.configFile}, but there is no such file on the base side: defaults apply.`,
        );
      }
      let headConfigIssues: ConfigIssue[] | undefined;
      if (changedInPr) {
        // The PR's own version never applies to its own run, but merging an invalid one would
        // fail every later PR: it fails this one, with the errors on the lines to fix.
        const headText = await readFileAt(gh, pr, inputs.configFile, pr.headSha).catch(
          (error: unknown) => {
            core.warning(
              `Could not read this PR's version of ${inputs.configFile} to check it: ${describeError(error)}`,
            );
            return undefined;
          },
        );
        headConfigIssues = invalidHeadIssues(headText, inputs.configFile);
      }
      logSettings(settings, loaded, now);
      return { loaded, settings, headConfigIssues };
    });

    const { kept, ignored } = partitionIgnored(changed, settings.ignorePaths);
    const ignoredFiles = selectDependencyFiles(ignored).map((f) => f.path);
    if (ignoredFiles.length) core.info(`Skipped by ignore-paths: ${ignoredFiles.join(', ')}`);

    const failOn = settings.failOn.value;
    const skipScan = !loaded.defaultsAreSafe;
    if (skipScan) {
      core.error(
        `No package was downloaded: ${inputs.configFile} may name private registries, and falling back to the public ones would send internal package names there. Fix the file on the base branch and re-run.`,
      );
    }
    const scanned =
      skipScan || !touchesDependencyFiles(kept)
        ? emptyReport(failOn)
        : await scanChanges(pullRequestSource(gh, pr, kept, getMergeBase), {
            failOn,
            registry: registryOptions(settings, process.env.PKG_GATE_NPM_TOKEN),
            logger: actionsLogger,
            reputation: reputationOptions(loaded.config, inputs.osvUrl, inputs.token),
          });
    if (
      !configChangedInPr &&
      loaded.status !== 'invalid' &&
      selectDependencyFiles(changed).length === 0 &&
      scanned.manifests.length === 0 &&
      scanned.manifestProblems.length === 0
    ) {
      // Only text files changed, and no requirements file includes any of them: as quiet as the
      // fast path, rather than a summary comment on every PR that touches a .txt file.
      await finishWithoutDependencyChanges(gh, pr, changed, settings);
      return;
    }
    const report = applyRunPolicy(
      scanned,
      {
        loaded,
        settings,
        ...(headConfigIssues ? { headConfigIssues } : {}),
        headLabel: "this PR's version",
      },
      now,
    );
    const notes: RunNotes = {
      settings,
      now,
      ignoredFiles,
      ...(headConfigIssues ? { headConfigIssues } : {}),
      ...(skipScan ? { scanSkipped: true } : {}),
    };

    await core.group('Report', async () => {
      emitAnnotations(report, settings);
      await core.summary.addRaw(renderJobSummary(report, notes)).write();
      await publishOnPullRequest(gh, pr, report, kept, settings, notes);
      writeOutputs(report);
    });

    if (report.verdict === 'fail') {
      const failing = report.packages.filter((p) => p.verdict !== 'pass').map((p) => p.name);
      const reasons = [
        ...(failing.length
          ? [
              `${failing.length} package(s) at or above "${failOn}" or not inspectable: ${failing.join(', ')}`,
            ]
          : []),
        ...(report.manifestProblems.length
          ? [`${report.manifestProblems.length} unreadable dependency file(s)`]
          : []),
        ...(loaded.status === 'invalid'
          ? [
              `${inputs.configFile} on the base branch is not a valid configuration (see the errors above)`,
            ]
          : []),
        ...(headConfigIssues
          ? [
              `this PR makes ${inputs.configFile} invalid, which would fail every later PR (see the errors above)`,
            ]
          : []),
      ];
      core.setFailed(`pkg-gate: ${reasons.join('; ') || 'findings in dependency files'}`);
    } else {
      core.info('pkg-gate: pass');
    }
  } catch (error) {
    core.setFailed(`pkg-gate: ${error instanceof Error ? error.message : String(error)}`);
  }
}
