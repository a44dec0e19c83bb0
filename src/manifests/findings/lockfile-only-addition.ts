import type { Finding, PackageChange } from '../../types.js';
import { normalizePythonName } from '../names.js';
import type { DependencyGraph } from './graph.js';
import { LOCKFILE_ONLY_ADDITION } from './rules.js';

export interface LockfileAdditionContext {
  /** The lockfile's changes in this PR. */
  changes: readonly PackageChange[];
  /** A declaring manifest beside the lockfile (package.json, pyproject.toml, Pipfile) changed its dependencies in this PR. */
  manifestChanged: boolean;
  /** The head lockfile's dependency graph, when the format records one. */
  graph?: DependencyGraph;
}

/**
 * Packages added to a lockfile that nothing in the PR asked for: no declaring manifest beside it
 * changed, and no package that the lockfile says depends on it was itself added or changed. A
 * hand-edited lockfile that slips in an extra package looks exactly like this; a regenerated one
 * (lockfile maintenance, a bumped dependency pulling a new transitive one) does not.
 */
export function lockfileOnlyAdditions(
  context: LockfileAdditionContext,
): Map<PackageChange, Finding> {
  const flagged = new Map<PackageChange, Finding>();
  if (context.manifestChanged) return flagged;
  const key = (name: string, change: PackageChange) =>
    change.ecosystem === 'pypi' ? normalizePythonName(name) : name;
  const changedNames = new Set(
    context.changes
      .filter((c) => c.change === 'added' || c.change === 'bumped' || c.change === 'downgraded')
      .map((c) => key(c.name, c)),
  );
  for (const change of context.changes) {
    if (change.change !== 'added') continue;
    const name = key(change.name, change);
    const dependents = context.graph?.dependents.get(name) ?? new Set<string>();
    const explained = [...dependents].some((parent) => parent !== name && changedNames.has(parent));
    if (explained) continue;
    const why = !context.graph
      ? 'this lockfile format does not record which package needs it'
      : dependents.size > 0
        ? `the packages that depend on it (${[...dependents].slice(0, 3).join(', ')}) did not change`
        : context.graph.direct.has(name)
          ? 'it is a direct dependency of the project'
          : 'no package in the lockfile depends on it';
    flagged.set(change, {
      rule: LOCKFILE_ONLY_ADDITION,
      severity: 'medium',
      file: change.manifest.path,
      line: change.manifest.line,
      message: `${change.name} was added to the lockfile without a change to the manifest beside it (${why}): a hand-edited lockfile can slip in a package nobody asked for.`,
      evidence: `${change.name}${change.version ? `@${change.version}` : ''}`,
    });
  }
  return flagged;
}
