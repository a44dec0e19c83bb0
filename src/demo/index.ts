import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanChanges, type Logger } from '../run.js';
import { createGitSource } from '../sources/git.js';
import type { FailOn, Report } from '../types.js';
import { demoNpmPackages, demoPypiPackages, packageLock } from './packages.js';
import { sriSha512, startFixtureRegistries } from './registries.js';

function git(repo: string, args: string[]): void {
  execFileSync(
    'git',
    ['-c', 'user.name=pkg-gate demo', '-c', 'user.email=demo@pkg-gate.invalid', ...args],
    { cwd: repo, stdio: 'ignore' },
  );
}

/**
 * The newcomer's first run: a throw-away git repository whose "PR" adds a malicious PyPI package
 * to requirements.txt and bumps a benign npm package in package-lock.json, scanned against
 * registries on 127.0.0.1 — the same pipeline as `pkg-gate diff` and the action.
 */
export async function runDemo(failOn: FailOn, logger: Logger): Promise<Report> {
  const [npm, pypi] = await Promise.all([demoNpmPackages(), demoPypiPackages()]);
  const integrity = (version: string) =>
    sriSha512(npm.find((p) => p.version === version)?.tarball ?? new Uint8Array());
  const repo = mkdtempSync(join(tmpdir(), 'pkg-gate-demo-'));
  const registries = await startFixtureRegistries(npm, pypi);
  try {
    try {
      git(repo, ['init', '-q', '-b', 'main']);
    } catch {
      throw new Error('the demo needs git on PATH to build its throw-away repository');
    }
    writeFileSync(join(repo, 'requirements.txt'), '# app dependencies\nrequests==2.31.0\n');
    writeFileSync(join(repo, 'package-lock.json'), packageLock('1.0.0', integrity('1.0.0')));
    git(repo, ['add', '.']);
    git(repo, ['commit', '-q', '-m', 'base']);
    git(repo, ['checkout', '-q', '-b', 'feature']);
    writeFileSync(
      join(repo, 'requirements.txt'),
      '# app dependencies\nrequests==2.31.0\nevil-pkg==1.0.0\n',
    );
    writeFileSync(join(repo, 'package-lock.json'), packageLock('1.1.0', integrity('1.1.0')));
    git(repo, ['commit', '-q', '-am', 'add evil-pkg, bump left-pad']);

    logger.info(`demo repository: ${repo} (base main, head feature)`);
    logger.info(`demo registries: npm ${registries.npmUrl}, PyPI ${registries.pypiUrl}`);
    return await scanChanges(await createGitSource(repo, 'main', 'feature'), {
      failOn,
      registry: { npmRegistry: registries.npmUrl, pypiUrl: registries.pypiUrl },
      logger,
    });
  } finally {
    await registries.close();
    rmSync(repo, { recursive: true, force: true });
  }
}
