import { posix } from 'node:path';
import pLimit from 'p-limit';
import picomatch from 'picomatch';
import type {
  Finding,
  ManifestFormat,
  ManifestProblem,
  PackageChange,
  ParsedManifest,
  Report,
} from '../types.js';
import { diffManifests, type LocatedPackage } from './diff.js';
import {
  listedIncluders,
  mayBeIncludedRequirements,
  possibleIncluders,
  type ChangedPath,
} from './discover.js';
import { checkChangeSource } from './findings/source-checks.js';
import {
  addDirectDependencies,
  broughtInBy,
  dependencyGraph,
  packageJsonDirectDependencies,
  packageJsonWorkspaces,
  pyprojectDirectDependencies,
  type DependencyGraph,
} from './findings/graph.js';
import type { RegistryHosts } from './findings/hosts.js';
import { lockfileOnlyAdditions } from './findings/lockfile-only-addition.js';
import { newPackageIndexes } from './findings/new-package-index.js';
import { REQUIREMENTS_REMOTE_INCLUDE } from './findings/rules.js';
import { ManifestParseError, parseManifest } from './parse/index.js';
import { requirementIncludes } from './parse/python/requirements.js';
import { registrySettings, type RegistrySetting } from './parse/registry-settings.js';
import { dropChangesDecidedByLockfiles, governs, isLockfileFormat } from './reconcile.js';

export type Side = 'base' | 'head';

/** Reads a repository file on one side of the change; undefined when it does not exist there. */
export interface SideReader {
  readFile(path: string, side: Side): Promise<string | undefined>;
  /**
   * Every file the change touches (a run's change source has it). With it, a changed file that
   * is not named like a dependency file but that a requirements file includes is found too.
   */
  listChangedFiles?(): Promise<readonly ChangedPath[]>;
  /**
   * Every file path of the repository on the base side, in one cheap call (`git ls-tree`,
   * GitHub's recursive tree). Undefined when the source cannot give the whole list (GitHub
   * truncates huge trees): callers then probe the conventional places instead. Throws when the
   * listing fails.
   */
  listBaseFiles?(): Promise<readonly string[] | undefined>;
}

/** The base listing asked for once per collect run, whoever needs it first. */
type BaseListing = () => Promise<readonly string[] | undefined>;

function memoBaseListing(reader: SideReader): BaseListing | undefined {
  if (!reader.listBaseFiles) return undefined;
  let pending: Promise<readonly string[] | undefined> | undefined;
  return () => (pending ??= reader.listBaseFiles!());
}

/** A dependency file the change touches, with its format. */
export interface DependencyFileRef {
  path: string;
  previousPath?: string;
  status: string;
  format: ManifestFormat;
}

/** A package change with the findings its dependency file already tells about it. */
export interface CollectedChange {
  change: PackageChange;
  findings: Finding[];
  /** False when the package does not come from the registry, so it must not be fetched from it. */
  fromRegistry: boolean;
}

export interface CollectedDependencyChanges {
  changes: CollectedChange[];
  /** Every dependency file seen (including requirements files reached through `-r`/`-c`). */
  manifests: Report['manifests'];
  problems: ManifestProblem[];
  /** Findings about a file rather than a package: new package indexes, remote includes. */
  fileFindings: Finding[];
}

export interface CollectOptions {
  registries: RegistryHosts;
  /** Every file the change touches; defaults to the reader's listChangedFiles(). */
  changedFiles?: readonly ChangedPath[];
}

/** Files read at once while looking for the file that includes a changed one. */
const READ_CONCURRENCY = 8;

/** pip follows includes without a limit; a cycle or a runaway chain stops here. */
const MAX_INCLUDE_DEPTH = 10;

interface RemoteInclude {
  file: string;
  line: number;
  target: string;
}

/** One side of one dependency file, with the requirements files it includes. */
interface LoadedSide {
  manifest: ParsedManifest;
  content: string;
  /** Registry settings by the file that holds them (the root and each included file). */
  settings: Map<string, RegistrySetting[]>;
  remoteIncludes: RemoteInclude[];
  includedFiles: string[];
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function loadSide(
  reader: SideReader,
  file: DependencyFileRef,
  side: Side,
  problems: ManifestProblem[],
): Promise<LoadedSide | undefined> {
  if (side === 'base' && file.status === 'added') return undefined;
  if (side === 'head' && file.status === 'removed') return undefined;
  const path = side === 'base' ? (file.previousPath ?? file.path) : file.path;
  const content = await reader.readFile(path, side);
  if (content === undefined) {
    problems.push({ path: file.path, message: `${path} could not be read on the ${side} side` });
    return undefined;
  }
  const prefix = side === 'base' ? 'base version of ' : '';
  let manifest: ParsedManifest;
  const settings = new Map<string, RegistrySetting[]>();
  try {
    manifest = parseManifest(path, file.format, content);
    settings.set(file.path, registrySettings(file.format, content));
  } catch (error) {
    // The base side of a PR is already merged; only the head side's breakage is the PR's to fix,
    // but either way the diff for this file is unknown, so it is reported and fails closed.
    problems.push({
      path: file.path,
      line: error instanceof ManifestParseError ? error.line : undefined,
      message: `${prefix}${path} could not be parsed: ${reasonOf(error)}`,
    });
    return undefined;
  }
  const loaded: LoadedSide = { manifest, content, settings, remoteIncludes: [], includedFiles: [] };
  if (file.format === 'requirements') {
    await followIncludes(reader, side, path, content, loaded, problems, new Set([path]), 1);
  }
  return loaded;
}

/**
 * pip reads `-r`/`-c` files relative to the including file; so does this, on the same side of the
 * change. Their packages keep their own file and line. An include that cannot come from the
 * repository (a URL, an absolute path, a path above the root) is remembered for a finding.
 */
async function followIncludes(
  reader: SideReader,
  side: Side,
  includingPath: string,
  content: string,
  loaded: LoadedSide,
  problems: ManifestProblem[],
  visited: Set<string>,
  depth: number,
): Promise<void> {
  for (const include of requirementIncludes(includingPath, content)) {
    if (include.repoPath === undefined) {
      loaded.remoteIncludes.push({ file: includingPath, line: include.line, target: include.path });
      continue;
    }
    const target = include.repoPath;
    if (visited.has(target)) continue;
    visited.add(target);
    if (depth > MAX_INCLUDE_DEPTH) {
      problems.push({
        path: includingPath,
        line: include.line,
        message: `${includingPath}: includes nest deeper than ${MAX_INCLUDE_DEPTH} files; ${target} was not read`,
      });
      continue;
    }
    const included = await reader.readFile(target, side);
    if (included === undefined) {
      problems.push({
        path: includingPath,
        line: include.line,
        message: `${includingPath} includes ${include.path}, which could not be read on the ${side} side`,
      });
      continue;
    }
    try {
      const parsed = parseManifest(target, 'requirements', included);
      for (const pkg of parsed.packages) {
        const located: LocatedPackage = { ...pkg, file: target };
        loaded.manifest.packages.push(located);
      }
      loaded.settings.set(target, registrySettings('requirements', included));
      loaded.includedFiles.push(target);
    } catch (error) {
      problems.push({
        path: target,
        line: error instanceof ManifestParseError ? error.line : undefined,
        message: `${side === 'base' ? 'base version of ' : ''}${target} (included by ${includingPath}) could not be parsed: ${reasonOf(error)}`,
      });
      continue;
    }
    await followIncludes(reader, side, target, included, loaded, problems, visited, depth + 1);
  }
}

/**
 * Changed files that pip reads through `-r`/`-c` but that are not named like requirements files
 * (`deps/base.txt` included from requirements.txt), so discovery by name missed them. Each one
 * included, at base or head, by a requirements file is returned to be scanned as a requirements
 * file of its own, its changes on its own lines. The including file is either a requirements
 * file of the change, or an unchanged one: any requirements-like name anywhere in the repository
 * when the source lists its files (listedIncluders), else the conventional places above the
 * included file (possibleIncluders). One already reached from a changed requirements file is
 * left out: that file's diff follows the include and covers it. A listing that fails is a
 * problem (the gate fails closed) and the conventional places are still looked at.
 */
export async function findIncludedRequirements(
  reader: SideReader,
  files: readonly DependencyFileRef[],
  changed: readonly ChangedPath[],
  problems: ManifestProblem[] = [],
  baseListing: BaseListing | undefined = memoBaseListing(reader),
): Promise<DependencyFileRef[]> {
  const known = new Set(files.flatMap((f) => [f.path, f.previousPath ?? f.path]));
  const candidates = changed.filter(
    (c) =>
      !known.has(c.path) &&
      (mayBeIncludedRequirements(c.path) ||
        (c.previousPath !== undefined && mayBeIncludedRequirements(c.previousPath))),
  );
  if (candidates.length === 0) return [];

  const cache = new Map<string, Promise<string | undefined>>();
  // Reads are API calls on GitHub: a few at a time, not hundreds at once.
  const limit = pLimit(READ_CONCURRENCY);
  const read = (path: string, side: Side): Promise<string | undefined> => {
    const key = `${side}\u0000${path}`;
    let pending = cache.get(key);
    if (!pending) {
      pending = limit(() => reader.readFile(path, side)).catch((error: unknown) => {
        // Absent is undefined; a failed read leaves unknown whether it includes a changed file.
        problems.push({
          path,
          message: `${path} could not be read on the ${side} side to see whether it includes a changed file: ${reasonOf(error)}`,
        });
        return undefined;
      });
      cache.set(key, pending);
    }
    return pending;
  };
  /** Every repository path a requirements file reaches through includes, on one side. */
  const reach = async (path: string, content: string, side: Side, into: Set<string>) => {
    const visited = new Set([path]);
    let frontier: [string, string][] = [[path, content]];
    for (let depth = 1; frontier.length > 0 && depth <= MAX_INCLUDE_DEPTH; depth++) {
      const next: [string, string][] = [];
      for (const [including, text] of frontier) {
        let includes: ReturnType<typeof requirementIncludes>;
        try {
          includes = requirementIncludes(including, text);
        } catch {
          continue; // a file that cannot be parsed is reported where it is scanned, if it is
        }
        for (const include of includes) {
          const target = include.repoPath;
          if (target === undefined || visited.has(target)) continue;
          visited.add(target);
          into.add(target);
          const included = await read(target, side);
          if (included !== undefined) next.push([target, included]);
        }
      }
      frontier = next;
    }
  };

  const covered = new Set<string>();
  for (const file of files) {
    if (file.format !== 'requirements') continue;
    for (const side of ['base', 'head'] as const) {
      if (side === 'base' && file.status === 'added') continue;
      if (side === 'head' && file.status === 'removed') continue;
      const path = side === 'base' ? (file.previousPath ?? file.path) : file.path;
      const content = await read(path, side);
      if (content !== undefined) await reach(path, content, side, covered);
    }
  }

  const changedPaths = new Set(changed.flatMap((c) => [c.path, c.previousPath ?? c.path]));
  const reached = new Set<string>();
  const candidatePaths = candidates.flatMap((c) => [c.path, c.previousPath ?? c.path]);
  let listing: readonly string[] | undefined;
  if (baseListing) {
    try {
      listing = await baseListing();
    } catch (error) {
      problems.push({
        path: candidates[0].path,
        message: `the repository's files could not be listed to look for the requirements file that includes ${candidates[0].path}: ${reasonOf(error)}`,
      });
    }
  }
  const includers = (
    listing ? listedIncluders(listing, candidatePaths) : possibleIncluders(candidatePaths)
  ).filter((path) => !known.has(path) && !changedPaths.has(path));
  await Promise.all(
    includers.map(async (path) => {
      // Unchanged, so the same on both sides; what it includes may differ, so both are followed.
      const content = await read(path, 'head');
      if (content === undefined) return;
      await reach(path, content, 'base', reached);
      await reach(path, content, 'head', reached);
    }),
  );

  const isIn = (set: Set<string>, c: ChangedPath) =>
    set.has(c.path) || (c.previousPath !== undefined && set.has(c.previousPath));
  return candidates
    .filter((c) => isIn(reached, c) && !isIn(covered, c))
    .map((c) => ({
      path: c.path,
      ...(c.previousPath !== undefined ? { previousPath: c.previousPath } : {}),
      status: c.status,
      format: 'requirements' as const,
    }));
}

function changeKey(change: PackageChange): string {
  return [
    change.manifest.path,
    change.manifest.line,
    change.ecosystem,
    change.name,
    change.version,
    change.change,
  ].join('\u0000');
}

const DECLARING_FORMAT_FOR_LOCKFILE: Partial<Record<ManifestFormat, ManifestFormat>> = {
  'package-lock': 'package-json',
  'yarn-lock': 'package-json',
  'pnpm-lock': 'package-json',
  'bun-lock': 'package-json',
  'poetry-lock': 'pyproject',
  'uv-lock': 'pyproject',
  'pdm-lock': 'pyproject',
  pylock: 'pyproject',
  'pipfile-lock': 'pipfile',
};

/** Lockfiles that record the dependency graph but not which packages the project asked for. */
const ROOTS_FROM_PYPROJECT = new Set<ManifestFormat>(['poetry-lock', 'pdm-lock']);

/**
 * The direct dependencies that the pyproject.toml beside a lockfile declares, on the head side.
 * None when it is missing or unreadable: `via` is then left out, and a pyproject.toml of the
 * change that does not parse is reported where it is scanned.
 */
async function pyprojectRoots(reader: SideReader, lockfilePath: string): Promise<string[]> {
  const folder = posix.dirname(lockfilePath.replace(/\\/g, '/'));
  const path = folder === '.' ? 'pyproject.toml' : `${folder}/pyproject.toml`;
  try {
    const content = await reader.readFile(path, 'head');
    return content === undefined ? [] : pyprojectDirectDependencies(content);
  } catch {
    return [];
  }
}

/**
 * Lockfiles whose older generations record the graph but not the project's own dependencies
 * (Yarn 1, package-lock.json v1): when the graph has no roots, package.json supplies them.
 */
const ROOTS_FROM_PACKAGE_JSON = new Set<ManifestFormat>(['yarn-lock', 'package-lock']);

/** Workspace package.json files read, at most, for one lockfile's roots (each an API call). */
export const MAX_WORKSPACE_MANIFESTS = 100;

function folderOf(path: string): string {
  const folder = posix.dirname(path.replace(/\\/g, '/'));
  return folder === '.' ? '' : folder;
}

/**
 * The workspace folders a package.json's patterns name, as repository paths. Literal folders are
 * taken as written; globs (`packages/*`) are matched against the repository's files (the base
 * listing, with the PR's added and removed files applied), so without a listing only the literal
 * ones are known. `!` patterns exclude, as npm reads them.
 */
async function workspaceFolders(
  patterns: readonly string[],
  folder: string,
  baseListing: BaseListing | undefined,
  changed: readonly ChangedPath[],
): Promise<string[]> {
  const clean = (pattern: string) => pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  const excluded = patterns.filter((p) => p.startsWith('!')).map((p) => clean(p.slice(1)));
  const included = patterns.filter((p) => !p.startsWith('!')).map(clean);
  const isExcluded = excluded.length > 0 ? picomatch(excluded) : () => false;
  const globs = included.filter((p) => picomatch.scan(p).isGlob);
  const found = new Set(included.filter((p) => !picomatch.scan(p).isGlob && p !== '' && p !== '.'));
  if (globs.length > 0 && baseListing) {
    let listing: readonly string[] | undefined;
    try {
      listing = await baseListing();
    } catch {
      listing = undefined; // `via` is left out for these workspaces, nothing else depends on it
    }
    if (listing) {
      const paths = new Set(listing);
      for (const c of changed) {
        if (c.status === 'removed' || c.previousPath !== undefined) {
          paths.delete(c.previousPath ?? c.path);
        }
        if (c.status !== 'removed') paths.add(c.path);
      }
      const matches = picomatch(globs);
      const prefix = folder === '' ? '' : `${folder}/`;
      for (const path of paths) {
        if (!path.startsWith(prefix) || !path.endsWith('/package.json')) continue;
        const relative = path.slice(prefix.length, -'/package.json'.length);
        if (relative.split('/').includes('node_modules')) continue;
        if (matches(relative)) found.add(relative);
      }
    }
  }
  return [...found]
    .filter((relative) => !isExcluded(relative))
    .sort()
    .map((relative) => (folder === '' ? relative : `${folder}/${relative}`));
}

/**
 * The direct dependencies that the package.json beside a lockfile declares on the head side,
 * with those of its workspaces' package.json files (a Yarn 1 lockfile covers them all). None
 * when it is missing or not JSON: `via` is then left out, and a package.json of the change that
 * does not parse is reported where it is scanned.
 */
async function packageJsonRoots(
  reader: SideReader,
  lockfilePath: string,
  baseListing: BaseListing | undefined,
  changed: readonly ChangedPath[],
): Promise<string[]> {
  const folder = folderOf(lockfilePath);
  const declared = async (manifestFolder: string) => {
    const path = manifestFolder === '' ? 'package.json' : `${manifestFolder}/package.json`;
    const content = await reader.readFile(path, 'head').catch(() => undefined);
    if (content === undefined) return undefined;
    try {
      return { content, names: packageJsonDirectDependencies(content) };
    } catch {
      return undefined;
    }
  };
  const root = await declared(folder);
  if (!root) return [];
  const names = new Set(root.names);
  const folders = await workspaceFolders(
    packageJsonWorkspaces(root.content),
    folder,
    baseListing,
    changed,
  );
  const limit = pLimit(READ_CONCURRENCY);
  const workspaces = await Promise.all(
    folders.slice(0, MAX_WORKSPACE_MANIFESTS).map((ws) => limit(() => declared(ws))),
  );
  for (const workspace of workspaces) workspace?.names.forEach((name) => names.add(name));
  return [...names];
}

/**
 * Discover → parse → diff for every dependency file of a change, with the findings that live in
 * the files themselves: where each changed package comes from, new package indexes, remote
 * includes, lockfile-only additions, and (for transitive packages) which direct dependency brought
 * each one in. Never throws for bad content: unreadable files become problems.
 */
export async function collectDependencyChanges(
  reader: SideReader,
  discovered: readonly DependencyFileRef[],
  options: CollectOptions,
): Promise<CollectedDependencyChanges> {
  const problems: ManifestProblem[] = [];
  let changedFiles = options.changedFiles ?? [];
  if (!options.changedFiles && reader.listChangedFiles) {
    try {
      changedFiles = await reader.listChangedFiles();
    } catch (error) {
      problems.push({
        path: discovered[0]?.path ?? '',
        message: `the changed files could not be listed to look for requirements files included under other names: ${reasonOf(error)}`,
      });
    }
  }
  const baseListing = memoBaseListing(reader);
  const files = [
    ...discovered,
    ...(await findIncludedRequirements(reader, discovered, changedFiles, problems, baseListing)),
  ];
  const fileFindings: Finding[] = [];
  const raw: PackageChange[] = [];
  const parsed: ParsedManifest[] = [];
  const formatOf = new Map<string, ManifestFormat>();
  const rawCountByFile = new Map<string, number>();
  const graphs = new Map<string, DependencyGraph>();
  const includedSeen: string[] = [];

  for (const file of files) {
    formatOf.set(file.path, file.format);
    const [base, head] = await Promise.all([
      loadSide(reader, file, 'base', problems),
      loadSide(reader, file, 'head', problems),
    ]);
    const headUnreadable = !head && file.status !== 'removed';
    // An unreadable head leaves nothing to scan (the problem fails the gate); an unreadable base
    // makes every head package count as added, so more is scanned rather than less.
    if (headUnreadable) continue;
    const changes = diffManifests(base?.manifest, head?.manifest);
    raw.push(...changes);
    rawCountByFile.set(file.path, changes.length);
    const side = head ?? base;
    if (side) parsed.push(side.manifest);

    for (const included of head?.includedFiles ?? []) {
      formatOf.set(included, 'requirements');
      if (!includedSeen.includes(included)) includedSeen.push(included);
    }
    if (head) {
      for (const [path, settings] of head.settings) {
        const before = base?.settings.get(path) ?? [];
        fileFindings.push(
          ...newPackageIndexes(
            path,
            formatOf.get(path) ?? file.format,
            before,
            settings,
            options.registries,
          ),
        );
      }
      const remoteBefore = new Set(base?.remoteIncludes.map((r) => `${r.file}\u0000${r.target}`));
      for (const remote of head.remoteIncludes) {
        if (remoteBefore.has(`${remote.file}\u0000${remote.target}`)) continue;
        fileFindings.push({
          rule: REQUIREMENTS_REMOTE_INCLUDE,
          severity: 'high',
          file: remote.file,
          line: remote.line,
          message: `This PR makes pip read requirements from ${remote.target}, outside the repository: what it installs from there is decided at install time and cannot be reviewed or inspected here.`,
          evidence: remote.target,
        });
      }
      if (isLockfileFormat(file.format)) {
        const graph = dependencyGraph(file.format, head.content);
        if (graph && ROOTS_FROM_PYPROJECT.has(file.format)) {
          addDirectDependencies(graph, await pyprojectRoots(reader, file.path));
        }
        if (graph && graph.direct.size === 0 && ROOTS_FROM_PACKAGE_JSON.has(file.format)) {
          addDirectDependencies(
            graph,
            await packageJsonRoots(reader, file.path, baseListing, changedFiles),
          );
        }
        if (graph) graphs.set(file.path, graph);
      }
    }
  }

  // A lockfile changed in the same PR decides the versions of the manifest beside it.
  const decided = dropChangesDecidedByLockfiles(raw, parsed);
  const seen = new Set<string>();
  const unique = decided.filter((change) => {
    const key = changeKey(change);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });

  const extraFindings = new Map<PackageChange, Finding[]>();
  for (const file of files) {
    if (!isLockfileFormat(file.format)) continue;
    const declaring = DECLARING_FORMAT_FOR_LOCKFILE[file.format];
    const manifestChanged = files.some(
      (other) =>
        other.format === declaring &&
        governs(file.path, other.path) &&
        (rawCountByFile.get(other.path) ?? 0) > 0,
    );
    const graph = graphs.get(file.path);
    const own = unique.filter((c) => c.manifest.path === file.path);
    for (const [change, finding] of lockfileOnlyAdditions({
      changes: own,
      manifestChanged,
      graph,
    })) {
      extraFindings.set(change, [...(extraFindings.get(change) ?? []), finding]);
    }
    if (graph) {
      for (const change of own) {
        if (change.change === 'removed') continue;
        const via = broughtInBy(graph, change.name);
        if (via.length > 0) change.via = via;
      }
    }
  }

  const collected = unique.map((change): CollectedChange => {
    const format = formatOf.get(change.manifest.path) ?? 'requirements';
    const source = checkChangeSource(change, format, options.registries);
    return {
      change,
      findings: [...source.findings, ...(extraFindings.get(change) ?? [])],
      fromRegistry: source.fromRegistry,
    };
  });

  const manifests: Report['manifests'] = [...files.map((f) => f.path), ...includedSeen]
    .filter((path, index, all) => all.indexOf(path) === index)
    .map((path) => ({
      path,
      format: formatOf.get(path)!,
      changes: unique.filter((c) => c.manifest.path === path).length,
    }));

  return {
    changes: collected,
    manifests,
    problems,
    fileFindings: dedupeFindings(fileFindings),
  };
}

function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}\u0000${f.file}\u0000${f.line}\u0000${f.evidence}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
