import { describe, expect, it } from '@jest/globals';
import type { DependencyGraph } from '../../../src/manifests/findings/graph.js';
import { lockfileOnlyAdditions } from '../../../src/manifests/findings/lockfile-only-addition.js';
import type { ChangeKind, PackageChange } from '../../../src/types.js';

function change(name: string, kind: ChangeKind, line: number): PackageChange {
  return {
    ecosystem: 'npm',
    name,
    version: '1.0.0',
    change: kind,
    manifest: { path: 'package-lock.json', line },
  };
}

function graph(direct: string[], edges: [string, string][]): DependencyGraph {
  const dependents = new Map<string, Set<string>>();
  for (const [parent, child] of edges) {
    if (!dependents.has(child)) dependents.set(child, new Set());
    dependents.get(child)!.add(parent);
  }
  return { ecosystem: 'npm', direct: new Set(direct), dependents };
}

describe('lockfileOnlyAdditions', () => {
  it('is quiet when the manifest beside the lockfile changed', () => {
    const changes = [change('evil', 'added', 10)];
    expect(lockfileOnlyAdditions({ changes, manifestChanged: true }).size).toBe(0);
  });

  it('flags an added package no changed package depends on, at its lockfile line', () => {
    const changes = [change('evil', 'added', 10), change('left-pad', 'bumped', 20)];
    const flagged = lockfileOnlyAdditions({
      changes,
      manifestChanged: false,
      graph: graph(['left-pad', 'express'], [['express', 'evil']]),
    });
    expect([...flagged.values()]).toEqual([
      expect.objectContaining({
        rule: 'lockfile-only-addition',
        severity: 'medium',
        file: 'package-lock.json',
        line: 10,
        evidence: 'evil@1.0.0',
      }),
    ]);
    expect(flagged.get(changes[0])?.message).toContain('express');
  });

  it('accepts a new transitive package of a bumped dependency (lockfile maintenance)', () => {
    const changes = [change('debug', 'bumped', 5), change('ms', 'added', 9)];
    const flagged = lockfileOnlyAdditions({
      changes,
      manifestChanged: false,
      graph: graph(['debug'], [['debug', 'ms']]),
    });
    expect(flagged.size).toBe(0);
  });

  it('flags every addition when the format records no graph', () => {
    const changes = [change('a', 'added', 1), change('b', 'added', 2), change('c', 'bumped', 3)];
    const flagged = lockfileOnlyAdditions({ changes, manifestChanged: false });
    expect([...flagged.keys()].map((c) => c.name)).toEqual(['a', 'b']);
    expect(flagged.get(changes[0])?.message).toContain('does not record');
  });

  it('does not let a package explain itself', () => {
    const changes = [change('loop', 'added', 1)];
    const flagged = lockfileOnlyAdditions({
      changes,
      manifestChanged: false,
      graph: graph([], [['loop', 'loop']]),
    });
    expect(flagged.size).toBe(1);
  });
});
