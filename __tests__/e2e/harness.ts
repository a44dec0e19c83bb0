// Runs the bundled action exactly as a runner does: node dist/index.js with INPUT_* and GITHUB_*
// variables, against a GitHub REST double and fixture registries on 127.0.0.1.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { demoNpmPackages, demoPypiPackages, packageLock } from '../../src/demo/packages.js';
import {
  sriSha512,
  startFixtureRegistries,
  type FixtureRegistries,
} from '../../src/demo/registries.js';
import {
  startGitHubDouble,
  type DoublePullFile,
  type GitHubDouble,
  type GitHubDoubleOptions,
} from '../github/github-double.js';

export const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
export const BASE = 'a'.repeat(40);
export const MERGE_BASE = 'b'.repeat(40);
export const HEAD = 'c'.repeat(40);

/** A real unified-diff hunk text for GitHub's `patch` field, from git itself. */
export function patchOf(before: string, after: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pkg-gate-patch-'));
  try {
    writeFileSync(join(dir, 'a'), before);
    writeFileSync(join(dir, 'b'), after);
    let out = '';
    try {
      execFileSync('git', ['diff', '--no-index', '-U3', 'a', 'b'], { cwd: dir, encoding: 'utf8' });
    } catch (error) {
      out = (error as { stdout: string }).stdout; // exit 1 means "files differ"
    }
    return out.slice(out.indexOf('@@'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  millis: number;
}

export interface RunOptions {
  /**
   * Run src/index.ts through tsx instead of the bundle: the same process, environment and
   * workflow commands, for wiring that dist/ does not carry until it is rebuilt.
   */
  fromSource?: boolean;
}

/**
 * Runs dist/index.js once. `inputs` override the defaults below; an empty string leaves an
 * input unset, as a workflow that does not mention it (the config file then decides).
 */
export function runAction(
  github: GitHubDouble,
  registries: FixtureRegistries,
  inputs: Record<string, string> = {},
  options: RunOptions = {},
): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pkg-gate-runner-'));
  const eventPath = join(dir, 'event.json');
  writeFileSync(
    eventPath,
    JSON.stringify({
      action: 'synchronize',
      number: 1,
      pull_request: {
        number: 1,
        base: { sha: BASE, ref: 'main' },
        head: { sha: HEAD, ref: 'feature' },
      },
      repository: { name: 'app', owner: { login: 'acme' } },
    }),
  );
  writeFileSync(join(dir, 'output'), '');
  writeFileSync(join(dir, 'summary'), '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_API_URL: github.url,
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    RUNNER_TEMP: dir,
    'INPUT_GITHUB-TOKEN': 'test-token',
    'INPUT_FAIL-ON': 'high',
    'INPUT_NPM-REGISTRY': registries.npmUrl,
    'INPUT_PYPI-URL': registries.pypiUrl,
    'INPUT_COMMENT-MODE': 'inline',
    // Hermetic: no OSV on the internet; GitHub's advisories are asked of the REST double.
    'INPUT_OSV-URL': 'off',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      options.fromSource
        ? [
            '--import',
            pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href,
            join(root, 'src', 'index.ts'),
          ]
        : [join(root, 'dist', 'index.js')],
      { env, cwd: dir },
      (error, stdout) => {
        const outputs: Record<string, string> = {};
        const raw = readFileSync(join(dir, 'output'), 'utf8');
        // GITHUB_OUTPUT uses heredoc blocks: name<<DELIM \n value \n DELIM
        const block = /^(.+?)<<(\S+)\n([\s\S]*?)\n\2$/gm;
        for (let m = block.exec(raw); m; m = block.exec(raw)) outputs[m[1] ?? ''] = m[3] ?? '';
        resolve({
          code: error ? ((error as { code?: number }).code ?? 1) : 0,
          stdout,
          outputs,
          summary: readFileSync(join(dir, 'summary'), 'utf8'),
          millis: Date.now() - started,
        });
      },
    );
  });
}

export interface DemoRegistries {
  registries: FixtureRegistries;
  /** A package-lock.json pinning the demo's left-pad at `version`, with its real integrity. */
  lock(version: string): string;
}

/** The demo's npm and PyPI fixture registries (evil-pkg, left-pad 1.0.0 and 1.1.0). */
export async function startDemoRegistries(): Promise<DemoRegistries> {
  const npm = await demoNpmPackages();
  const registries = await startFixtureRegistries(npm, await demoPypiPackages());
  return {
    registries,
    lock: (version) =>
      packageLock(version, sriSha512(npm.find((p) => p.version === version)!.tarball)),
  };
}

/** Per path, the text on the base side (the merge base) and on the head side; undefined = absent. */
export type PullFiles = Record<string, [string | undefined, string | undefined]>;

/** The files of a PR, as the GitHub double serves them, with real patches. */
export function pullFilesOf(files: PullFiles): {
  files: DoublePullFile[];
  contents: Record<string, Record<string, string>>;
} {
  const pullFiles: DoublePullFile[] = [];
  const base: Record<string, string> = {};
  const head: Record<string, string> = {};
  for (const [path, [before, after]] of Object.entries(files)) {
    if (before !== undefined) base[path] = before;
    if (after !== undefined) head[path] = after;
    if (before === after) continue; // present on both sides, unchanged: not in the PR's files
    pullFiles.push({
      filename: path,
      status: before === undefined ? 'added' : after === undefined ? 'removed' : 'modified',
      patch: patchOf(before ?? '', after ?? ''),
    });
  }
  return { files: pullFiles, contents: { [MERGE_BASE]: base, [HEAD]: head } };
}

/** The GitHub double of one PR, and a way to push new commits to it. */
export type PullRequestDouble = GitHubDouble & {
  /** Replaces the PR's files and contents, as a new push (same head sha) would. */
  push(files: PullFiles): void;
};

/**
 * A GitHub double serving one PR. Files with the same text on both sides exist in the repository
 * without being part of the PR (a config file on the base branch, for example).
 */
export async function pullRequest(
  files: PullFiles,
  options: Omit<GitHubDoubleOptions, 'files' | 'contents'> = {},
): Promise<PullRequestDouble> {
  const served = pullFilesOf(files);
  // The double reads files and contents from its options on every request.
  const doubleOptions: GitHubDoubleOptions = {
    baseSha: BASE,
    headSha: HEAD,
    mergeBaseSha: MERGE_BASE,
    maxPerPage: 2,
    ...options,
    files: served.files,
    contents: served.contents,
  };
  const github = await startGitHubDouble(doubleOptions);
  return Object.assign(github, {
    push(next: PullFiles) {
      const update = pullFilesOf(next);
      doubleOptions.files = update.files;
      doubleOptions.contents = update.contents;
    },
  });
}

/** `::error file=…,line=…::message` workflow commands from the action's stdout. */
export function annotationsOf(
  stdout: string,
): { level: string; properties: Record<string, string>; message: string }[] {
  const out: { level: string; properties: Record<string, string>; message: string }[] = [];
  for (const match of stdout.matchAll(/^::(error|warning|notice)( [^:]*)?::(.*)$/gm)) {
    const properties: Record<string, string> = {};
    for (const pair of (match[2] ?? '').trim().split(',').filter(Boolean)) {
      const [key, ...value] = pair.split('=');
      properties[key ?? ''] = decodeURIComponent(value.join('=').replace(/%2C/g, ','));
    }
    out.push({ level: match[1] ?? '', properties, message: match[3] ?? '' });
  }
  return out;
}
