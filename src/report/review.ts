import { createHash } from 'node:crypto';
import type { ReviewEvent } from '../config/types.js';
import type { GitHubClient } from '../github/client.js';
import type { PullRequestRef } from '../github/context.js';
import { httpStatus } from '../github/errors.js';
import type { ChangedFile } from '../github/pull-request.js';
import type { PackageReport, Report } from '../types.js';
import { countFailing, describeFailOn, isFlagged } from './format.js';
import { commentableLines } from './hunks.js';
import {
  COMMENT_LIMIT,
  fitToLimit,
  inlineCode,
  packageMarker,
  renderPackageMarkdown,
} from './markdown.js';

export interface ReviewComment {
  path: string;
  line: number;
  side: 'RIGHT';
  body: string;
}

export interface ReviewPlan {
  body: string;
  comments: ReviewComment[];
}

export interface ReviewOutcome {
  /** False when there was nothing new to say (a re-run with the same findings). */
  posted: boolean;
  inlineComments: number;
  /** Comments skipped because the same package, findings and line already have one. */
  alreadyPosted: number;
  /** Comments moved into the review body after GitHub rejected them with a 422. */
  movedToBody: number;
  /** Earlier pkg-gate threads answered with "no longer reported". */
  resolvedThreads: number;
}

const REVIEW_MARKER = '<!-- pkg-gate:review -->';
const DETAILS_MARKER = /<!-- pkg-gate:details ([0-9a-f]+) -->/;
const PACKAGE_MARKER = /<!-- pkg-gate:package [^>]* -->/g;
const RESOLVED_MARKER = '<!-- pkg-gate:resolved -->';

/**
 * One inline comment per flagged package on the manifest line that brings it in, when GitHub can
 * take a comment there (the line is inside one of the file's diff hunks); everything else goes
 * into the review body, so one bad line can never make GitHub reject the whole review.
 */
export function planReview(report: Report, files: ChangedFile[]): ReviewPlan {
  const flagged = report.packages.filter(isFlagged);
  if (flagged.length === 0) return { body: '', comments: [] };

  const linesByPath = new Map<string, Set<number>>();
  const commentable = (path: string): Set<number> => {
    let lines = linesByPath.get(path);
    if (!lines) {
      const file = files.find((f) => f.path === path && f.status !== 'removed');
      lines = commentableLines(file?.patch);
      linesByPath.set(path, lines);
    }
    return lines;
  };

  const comments: ReviewComment[] = [];
  const inBody: PackageReport[] = [];
  for (const pkg of flagged) {
    const at = pkg.manifest;
    if (at && at.line > 0 && commentable(at.path).has(at.line)) {
      comments.push({ path: at.path, line: at.line, side: 'RIGHT', body: inlineBody(pkg, report) });
    } else {
      inBody.push(pkg);
    }
  }
  comments.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);

  const details = inBody.map((pkg) => bodySection(pkg, report));
  return { body: reviewBody(report, flagged.length, comments.length, details), comments };
}

function inlineBody(pkg: PackageReport, report: Report): string {
  return fitToLimit(
    `${packageMarker(pkg)}\n${renderPackageMarkdown(pkg, { failOn: report.failOn })}`,
    COMMENT_LIMIT,
    '_Truncated: the job summary has the full report._',
  );
}

function bodySection(pkg: PackageReport, report: Report): string {
  const where = pkg.manifest
    ? `In ${inlineCode(pkg.manifest.path)} line ${pkg.manifest.line} (not part of the diff GitHub shows, so it cannot carry an inline comment).`
    : 'No dependency-file line is known for this package.';
  return `${packageMarker(pkg)}\n${renderPackageMarkdown(pkg, { failOn: report.failOn, titlePrefix: '#### ' })}\n\n${where}`;
}

function reviewBody(report: Report, flagged: number, inline: number, details: string[]): string {
  const failing = countFailing(report);
  const headline =
    failing > 0
      ? `### 🛡️ pkg-gate: ${failing} package${failing === 1 ? '' : 's'} fail${failing === 1 ? 's' : ''} the gate (${describeFailOn(report.failOn)})`
      : `### 🛡️ pkg-gate: ${flagged} package${flagged === 1 ? '' : 's'} could not be inspected (${describeFailOn(report.failOn)})`;
  const where: string[] = [];
  if (inline > 0)
    where.push(
      `${inline} ${inline === 1 ? 'is' : 'are'} commented inline on the line that brings it in`,
    );
  if (details.length > 0)
    where.push(`${details.length} ${details.length === 1 ? 'is' : 'are'} described below`);
  const parts = [REVIEW_MARKER, headline, `${capitalize(where.join('; '))}.`];
  if (details.length > 0) {
    const text = details.join('\n\n---\n\n');
    parts.push(`<!-- pkg-gate:details ${shortHash(text)} -->`, text);
  }
  return fitToLimit(
    parts.join('\n\n'),
    COMMENT_LIMIT,
    '_Truncated: the job summary has the full report._',
  );
}

/**
 * Posts the plan as one review (COMMENT, or REQUEST_CHANGES when asked) on the head commit, quietly: comments that already exist
 * (same path, line and package marker) are not posted again, an unchanged body is not repeated,
 * nothing is posted when nothing is new, and earlier threads whose finding is gone get one reply.
 * On a 422 (a line GitHub will not take) it retries once with every comment in the body.
 * Call it on every run, even with an empty plan, so gone findings are answered.
 */
export interface PostReviewOptions {
  /**
   * `REQUEST_CHANGES` blocks the merge for teams that require reviews; the caller asks for it only
   * when the verdict is fail. Default `COMMENT`.
   */
  event?: ReviewEvent;
}

export async function postReview(
  gh: GitHubClient,
  pr: PullRequestRef,
  plan: ReviewPlan,
  options: PostReviewOptions = {},
): Promise<ReviewOutcome> {
  const event = options.event ?? 'COMMENT';
  const target = { owner: pr.owner, repo: pr.repo, pull_number: pr.number };
  const existing = await gh.paginate(gh.rest.pulls.listReviewComments, {
    ...target,
    per_page: 100,
  });
  const outcome: ReviewOutcome = {
    posted: false,
    inlineComments: 0,
    alreadyPosted: 0,
    movedToBody: 0,
    resolvedThreads: 0,
  };

  const fresh = plan.comments.filter((comment) => {
    const marker = firstMarker(comment.body);
    const duplicate = existing.some(
      (e) =>
        !e.in_reply_to_id &&
        e.path === comment.path &&
        e.line === comment.line &&
        (marker ? e.body.includes(marker) : e.body === comment.body),
    );
    if (duplicate) outcome.alreadyPosted++;
    return !duplicate;
  });

  let body = plan.body;
  const details = DETAILS_MARKER.exec(plan.body);
  let detailsAlreadyPosted = false;
  if (details) {
    const reviews = await gh.paginate(gh.rest.pulls.listReviews, { ...target, per_page: 100 });
    detailsAlreadyPosted = reviews.some((r) => r.body?.includes(details[0]));
    if (detailsAlreadyPosted) {
      body = `${plan.body.slice(0, details.index).trimEnd()}\n\nThe packages without an inline comment are unchanged since the earlier pkg-gate review.`;
    }
  }

  const somethingNew = fresh.length > 0 || (details !== null && !detailsAlreadyPosted);
  if (plan.body && somethingNew) {
    try {
      await createReview(gh, pr, body, fresh, event);
      outcome.inlineComments = fresh.length;
    } catch (error) {
      if (httpStatus(error) !== 422) throw error;
      await createReview(gh, pr, withCommentsInBody(plan.body, fresh), [], event);
      outcome.movedToBody = fresh.length;
    }
    outcome.posted = true;
  }

  outcome.resolvedThreads = await answerGoneThreads(gh, pr, existing, plan);
  return outcome;
}

async function createReview(
  gh: GitHubClient,
  pr: PullRequestRef,
  body: string,
  comments: ReviewComment[],
  event: ReviewEvent,
): Promise<void> {
  await gh.rest.pulls.createReview({
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    commit_id: pr.headSha,
    event,
    body,
    comments: comments.map((c) => ({ path: c.path, line: c.line, side: c.side, body: c.body })),
  });
}

function withCommentsInBody(body: string, comments: ReviewComment[]): string {
  const moved = comments.map(
    (c) =>
      `#### ${inlineCode(c.path)} line ${c.line}\n\n${c.body}\n\n(GitHub did not accept an inline comment on this line.)`,
  );
  return fitToLimit(
    [body, ...moved].join('\n\n---\n\n'),
    COMMENT_LIMIT,
    '_Truncated: the job summary has the full report._',
  );
}

/**
 * Dismisses pkg-gate's own earlier `REQUEST_CHANGES` reviews once the gate passes, so a fixed PR
 * is not left blocked by a stale review. Returns how many were dismissed.
 */
export async function dismissChangeRequests(gh: GitHubClient, pr: PullRequestRef): Promise<number> {
  const target = { owner: pr.owner, repo: pr.repo, pull_number: pr.number };
  const reviews = await gh.paginate(gh.rest.pulls.listReviews, { ...target, per_page: 100 });
  let dismissed = 0;
  for (const review of reviews) {
    if (review.state !== 'CHANGES_REQUESTED' || !review.body?.includes(REVIEW_MARKER)) continue;
    await gh.rest.pulls.dismissReview({
      ...target,
      review_id: review.id,
      event: 'DISMISS',
      message: `pkg-gate passes as of ${pr.headSha.slice(0, 7)}: the packages it flagged were removed, changed or allowed.`,
    });
    dismissed++;
  }
  return dismissed;
}

type ExistingComment = Awaited<
  ReturnType<GitHubClient['rest']['pulls']['listReviewComments']>
>['data'][number];

/** Replies once to each earlier pkg-gate thread whose package marker the plan no longer carries. */
async function answerGoneThreads(
  gh: GitHubClient,
  pr: PullRequestRef,
  existing: ExistingComment[],
  plan: ReviewPlan,
): Promise<number> {
  const current = new Set<string>();
  for (const text of [plan.body, ...plan.comments.map((c) => c.body)]) {
    for (const match of text.matchAll(PACKAGE_MARKER)) current.add(match[0]);
  }
  const answered = new Set(
    existing
      .filter((e) => e.in_reply_to_id && e.body.includes(RESOLVED_MARKER))
      .map((e) => e.in_reply_to_id),
  );
  let replies = 0;
  for (const thread of existing) {
    if (thread.in_reply_to_id || answered.has(thread.id)) continue;
    const marker = firstMarker(thread.body);
    if (!marker || current.has(marker)) continue;
    await gh.rest.pulls.createReplyForReviewComment({
      owner: pr.owner,
      repo: pr.repo,
      pull_number: pr.number,
      comment_id: thread.id,
      body: `${RESOLVED_MARKER}\n✅ pkg-gate no longer reports this as of ${pr.headSha.slice(0, 7)}: the package was removed, changed or allowed, or its findings changed (see the pkg-gate summary comment).`,
    });
    replies++;
  }
  return replies;
}

function firstMarker(text: string): string | undefined {
  return text.match(PACKAGE_MARKER)?.[0];
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

function capitalize(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}
