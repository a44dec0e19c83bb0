/**
 * A small GitHub REST double on 127.0.0.1 for tests: @actions/github calls through undici's own
 * fetch, which request-interception libraries do not see, so tests talk to a real HTTP server.
 *
 * It serves one repository and one pull request with the response shapes of the REST API
 * (only the fields pkg-gate reads, plus ids/users GitHub always sends), and records every request.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DoublePullFile {
  filename: string;
  status?: string;
  patch?: string;
  previous_filename?: string;
}

export interface DoubleReviewComment {
  id: number;
  path: string;
  line: number | null;
  original_line?: number | null;
  side: 'LEFT' | 'RIGHT';
  body: string;
  commit_id: string;
  in_reply_to_id?: number;
  pull_request_review_id?: number;
  user: { login: string; type: string };
}

export interface DoubleReview {
  id: number;
  body: string;
  event: string;
  commit_id: string;
  comments: { path: string; line?: number; side?: string; body: string }[];
  user: { login: string; type: string };
}

export interface DoubleIssueComment {
  id: number;
  body: string;
  user: { login: string; type: string };
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, percent-decoded. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** A failure to inject: the first `times` requests matching method and path get `status`. */
export interface InjectedFailure {
  method?: string;
  path: RegExp;
  status: number;
  times: number;
  message?: string;
  headers?: Record<string, string>;
}

export interface GitHubDoubleOptions {
  owner?: string;
  repo?: string;
  pullNumber?: number;
  baseSha?: string;
  headSha?: string;
  /** Returned by compare as merge_base_commit.sha. Defaults to baseSha. */
  mergeBaseSha?: string;
  files?: DoublePullFile[];
  /** Largest page the double serves, like GitHub's 100; lower it to exercise pagination. */
  maxPerPage?: number;
  /** File contents by commit sha, then by path. The git trees API lists the same files. */
  contents?: Record<string, Record<string, string>>;
  /** Answer recursive tree requests with `truncated: true`, as GitHub does for huge trees. */
  truncateTrees?: boolean;
  /** Content-Type of raw file responses. GitHub sends text with a UTF-8 charset. */
  rawContentType?: string;
  reviewComments?: Omit<DoubleReviewComment, 'id'>[];
  issueComments?: Omit<DoubleIssueComment, 'id'>[];
  /** createReview answers 422 (as GitHub does) when any comment sits on one of these. */
  rejectReviewLines?: { path: string; line: number }[];
  /** Answer every write (POST/PATCH/PUT/DELETE) with 403, like a fork PR's read-only token. */
  forbidWrites?: boolean;
  failures?: InjectedFailure[];
  /** The login that writes appear under. */
  botLogin?: string;
  /** Global advisories served at GET /advisories (GitHub's shape, as the malware lookup reads it). */
  advisories?: {
    ghsa_id: string;
    type: string;
    html_url?: string;
    summary?: string;
    vulnerabilities: {
      package: { ecosystem: string; name: string };
      vulnerable_version_range?: string;
    }[];
  }[];
}

export interface GitHubDoubleState {
  reviews: DoubleReview[];
  reviewComments: DoubleReviewComment[];
  issueComments: DoubleIssueComment[];
}

export interface GitHubDouble {
  /** Base URL to pass as apiUrl / GITHUB_API_URL. */
  url: string;
  requests: RecordedRequest[];
  state: GitHubDoubleState;
  /** Requests whose method and path match. */
  requestsTo(method: string, path: RegExp): RecordedRequest[];
  close(): Promise<void>;
}

const DEFAULT_BASE = 'b'.repeat(40);
const DEFAULT_HEAD = 'c'.repeat(40);

export async function startGitHubDouble(options: GitHubDoubleOptions = {}): Promise<GitHubDouble> {
  const owner = options.owner ?? 'acme';
  const repo = options.repo ?? 'app';
  const pullNumber = options.pullNumber ?? 1;
  const baseSha = options.baseSha ?? DEFAULT_BASE;
  const headSha = options.headSha ?? DEFAULT_HEAD;
  const mergeBaseSha = options.mergeBaseSha ?? baseSha;
  const maxPerPage = options.maxPerPage ?? 100;
  const bot = { login: options.botLogin ?? 'github-actions[bot]', type: 'Bot' };
  const failures = (options.failures ?? []).map((failure) => ({ ...failure }));
  let nextId = 1000;

  const state: GitHubDoubleState = {
    reviews: [],
    reviewComments: (options.reviewComments ?? []).map((c) => ({ ...c, id: nextId++ })),
    issueComments: (options.issueComments ?? []).map((c) => ({ ...c, id: nextId++ })),
  };
  const requests: RecordedRequest[] = [];
  const repoPath = `/repos/${owner}/${repo}`;
  const pullPath = `${repoPath}/pulls/${pullNumber}`;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        sendJson(res, 500, { message: `double crashed: ${String(error)}` });
      }
    });
  });

  function handle(req: IncomingMessage, res: ServerResponse, rawBody: string): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = decodeURIComponent(url.pathname);
    let body: unknown = undefined;
    if (rawBody) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = rawBody;
      }
    }
    requests.push({
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
    });

    const failure = failures.find(
      (f) => f.times > 0 && (!f.method || f.method === method) && f.path.test(path),
    );
    if (failure) {
      failure.times--;
      return sendJson(
        res,
        failure.status,
        { message: failure.message ?? 'injected failure' },
        failure.headers,
      );
    }
    if (options.forbidWrites && method !== 'GET' && method !== 'HEAD') {
      return sendJson(res, 403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest',
        status: '403',
      });
    }

    const page = Number(url.searchParams.get('page') ?? '1');
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? '30'), maxPerPage);

    if (method === 'GET' && path === pullPath) {
      return sendJson(res, 200, {
        number: pullNumber,
        state: 'open',
        base: { sha: baseSha, ref: 'main' },
        head: { sha: headSha, ref: 'feature' },
      });
    }
    if (method === 'GET' && path === `${pullPath}/files`) {
      const files = (options.files ?? []).map((f) => ({
        sha: '0'.repeat(40),
        filename: f.filename,
        status: f.status ?? 'modified',
        additions: 0,
        deletions: 0,
        changes: 0,
        ...(f.patch !== undefined ? { patch: f.patch } : {}),
        ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
      }));
      return sendPage(req, res, url, files, page, perPage);
    }
    const compare = path.match(new RegExp(`^${escapeRegExp(repoPath)}/compare/(.+)$`));
    if (method === 'GET' && compare) {
      const [base, head] = compare[1].split('...');
      const known = [baseSha, headSha, mergeBaseSha];
      if (!known.includes(base) || !known.includes(head)) {
        return sendJson(res, 404, { message: 'Not Found' });
      }
      return sendJson(res, 200, {
        status: 'ahead',
        merge_base_commit: { sha: mergeBaseSha },
        base_commit: { sha: base },
        commits: [],
        files: [],
      });
    }
    const contents = path.match(new RegExp(`^${escapeRegExp(repoPath)}/contents/(.+)$`));
    if (method === 'GET' && contents) {
      const ref = url.searchParams.get('ref') ?? headSha;
      const text = options.contents?.[ref]?.[contents[1]];
      if (text === undefined) return sendJson(res, 404, { message: 'Not Found' });
      const accept = String(req.headers.accept ?? '');
      if (accept.includes('raw')) {
        res.writeHead(200, {
          'content-type': options.rawContentType ?? 'text/plain; charset=utf-8',
        });
        res.end(text);
        return;
      }
      // Like GitHub: the JSON form carries no content for files over 1 MB.
      const size = Buffer.byteLength(text);
      const tooBig = size > 1024 * 1024;
      return sendJson(res, 200, {
        type: 'file',
        path: contents[1],
        size,
        encoding: tooBig ? 'none' : 'base64',
        content: tooBig ? '' : Buffer.from(text).toString('base64'),
      });
    }
    const tree = path.match(new RegExp(`^${escapeRegExp(repoPath)}/git/trees/(.+)$`));
    if (method === 'GET' && tree) {
      const files = options.contents?.[tree[1]];
      if (!files) return sendJson(res, 404, { message: 'Not Found' });
      const recursive = url.searchParams.has('recursive');
      const entries = new Map<string, { path: string; mode: string; type: string }>();
      for (const file of Object.keys(files).sort()) {
        const segments = file.split('/');
        // Like GitHub: folders are entries of their own (type tree), listed before their files.
        for (let depth = 1; depth < segments.length; depth++) {
          const folder = segments.slice(0, depth).join('/');
          if (!entries.has(folder)) {
            entries.set(folder, { path: folder, mode: '040000', type: 'tree' });
          }
        }
        entries.set(file, { path: file, mode: '100644', type: 'blob' });
      }
      const listed = [...entries.values()].filter((e) => recursive || !e.path.includes('/'));
      return sendJson(res, 200, {
        sha: tree[1],
        url: `${repoPath}/git/trees/${tree[1]}`,
        tree: (options.truncateTrees ? listed.slice(0, 1) : listed).map((e) => ({
          ...e,
          sha: '0'.repeat(40),
          url: `${repoPath}/git/blobs/${'0'.repeat(40)}`,
        })),
        truncated: options.truncateTrees ?? false,
      });
    }
    if (method === 'GET' && path === `${pullPath}/reviews`) {
      return sendPage(req, res, url, state.reviews, page, perPage);
    }
    if (method === 'POST' && path === `${pullPath}/reviews`) {
      const review = body as {
        body?: string;
        event?: string;
        commit_id?: string;
        comments?: { path: string; line?: number; side?: string; body: string }[];
      };
      const comments = review.comments ?? [];
      const rejected = comments.find((c) =>
        (options.rejectReviewLines ?? []).some((r) => r.path === c.path && r.line === c.line),
      );
      if (rejected) {
        return sendJson(res, 422, {
          message: 'Unprocessable Entity',
          errors: ['Line could not be resolved'],
          documentation_url:
            'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request',
          status: '422',
        });
      }
      const id = nextId++;
      const recorded: DoubleReview = {
        id,
        body: review.body ?? '',
        event: review.event ?? 'PENDING',
        commit_id: review.commit_id ?? headSha,
        comments,
        user: bot,
      };
      state.reviews.push(recorded);
      for (const c of comments) {
        state.reviewComments.push({
          id: nextId++,
          path: c.path,
          line: c.line ?? null,
          original_line: c.line ?? null,
          side: c.side === 'LEFT' ? 'LEFT' : 'RIGHT',
          body: c.body,
          commit_id: recorded.commit_id,
          pull_request_review_id: id,
          user: bot,
        });
      }
      return sendJson(res, 200, {
        id,
        body: recorded.body,
        state: 'COMMENTED',
        commit_id: recorded.commit_id,
      });
    }
    if (method === 'GET' && path === '/advisories') {
      // Global advisories, filtered the way the action asks (type=malware&affects=name@version).
      const affects = url.searchParams.get('affects') ?? '';
      const type = url.searchParams.get('type');
      return sendJson(
        res,
        200,
        (options.advisories ?? []).filter(
          (a) =>
            (!type || a.type === type) &&
            a.vulnerabilities.some((v) => affects.includes(`${v.package.name}@`)),
        ),
      );
    }
    if (method === 'GET' && path === `${pullPath}/comments`) {
      return sendPage(req, res, url, state.reviewComments, page, perPage);
    }
    const reply = path.match(new RegExp(`^${escapeRegExp(pullPath)}/comments/(\\d+)/replies$`));
    if (method === 'POST' && reply) {
      const parent = state.reviewComments.find((c) => c.id === Number(reply[1]));
      if (!parent) return sendJson(res, 404, { message: 'Not Found' });
      const created: DoubleReviewComment = {
        ...parent,
        id: nextId++,
        body: (body as { body: string }).body,
        in_reply_to_id: parent.id,
        user: bot,
      };
      state.reviewComments.push(created);
      return sendJson(res, 201, created);
    }
    const issueCommentsPath = `${repoPath}/issues/${pullNumber}/comments`;
    if (method === 'GET' && path === issueCommentsPath) {
      return sendPage(req, res, url, state.issueComments, page, perPage);
    }
    if (method === 'POST' && path === issueCommentsPath) {
      const created = { id: nextId++, body: (body as { body: string }).body, user: bot };
      state.issueComments.push(created);
      return sendJson(res, 201, created);
    }
    const issueComment = path.match(
      new RegExp(`^${escapeRegExp(repoPath)}/issues/comments/(\\d+)$`),
    );
    if (method === 'PATCH' && issueComment) {
      const existing = state.issueComments.find((c) => c.id === Number(issueComment[1]));
      if (!existing) return sendJson(res, 404, { message: 'Not Found' });
      existing.body = (body as { body: string }).body;
      return sendJson(res, 200, existing);
    }
    sendJson(res, 404, { message: `Not Found (double has no route for ${method} ${path})` });
  }

  function sendPage(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    items: unknown[],
    page: number,
    perPage: number,
  ): void {
    const start = (page - 1) * perPage;
    const slice = items.slice(start, start + perPage);
    const headers: Record<string, string> = {};
    const lastPage = Math.max(1, Math.ceil(items.length / perPage));
    if (page < lastPage) {
      const link = (p: number, rel: string): string => {
        const next = new URL(url.toString());
        next.protocol = 'http:';
        next.host = String(req.headers.host);
        next.searchParams.set('page', String(p));
        next.searchParams.set('per_page', String(perPage));
        return `<${next.toString()}>; rel="${rel}"`;
      };
      headers.link = [link(page + 1, 'next'), link(lastPage, 'last')].join(', ');
    }
    sendJson(res, 200, slice, headers);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    state,
    requestsTo: (method, path) => requests.filter((r) => r.method === method && path.test(r.path)),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
