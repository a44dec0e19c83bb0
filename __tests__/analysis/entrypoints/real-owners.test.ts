import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AnalysisContext } from '../../../src/analysis/context.js';
import { extractEntryPoints } from '../../../src/analysis/entrypoints/index.js';
import type { Ecosystem } from '../../../src/types.js';
import { entrypointFindings, FIXTURES, fixturePackage } from './helpers.js';

/**
 * The command metadata of packages that really own protected names (generated from the npm
 * registry and Debian's builds by scripts/gen-owner-fixtures.ts). The package name is not given:
 * the rules must read it from package.json / METADATA as they do for an unnamed archive.
 */
const owners: [Ecosystem, string][] = (['npm', 'pypi'] as const).flatMap((eco) =>
  readdirSync(join(FIXTURES, 'real-owners', eco)).map((dir): [Ecosystem, string] => [eco, dir]),
);

describe('real legitimate owners', () => {
  it('the fixture set covers the owners named in the issue', () => {
    const names = owners.map(([, d]) => d);
    for (const expected of ['typescript', 'eslint', 'npm', 'yarn', 'esbuild', 'prettier', 'jest']) {
      expect(names).toContain(expected);
    }
    for (const expected of [
      'awscli',
      'python3-pip',
      'python3-pytest',
      'black',
      'tox',
      'docker-compose',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it.each(owners)(
    '%s %s declares commands and gets no finding at high or above',
    async (eco, dir) => {
      const path = join('real-owners', eco, dir);
      const commands = extractEntryPoints(new AnalysisContext(fixturePackage(path, eco))).filter(
        (e) => e.kind !== 'plugin' && e.kind !== 'npm-lifecycle',
      );
      expect(commands.length).toBeGreaterThan(0);
      const findings = await entrypointFindings(path, eco);
      expect(findings.filter((f) => f.severity === 'critical' || f.severity === 'high')).toEqual(
        [],
      );
    },
  );

  it('the same metadata under another package name is flagged (the owner check is what keeps them quiet)', async () => {
    const findings = await entrypointFindings(
      join('real-owners', 'pypi', 'awscli'),
      'pypi',
      'awscli-helper',
    );
    expect(
      findings.some((f) => f.rule === 'entrypoint-command-jacking' && f.severity === 'critical'),
    ).toBe(true);
    const npm = await entrypointFindings(
      join('real-owners', 'npm', 'typescript'),
      'npm',
      'typescript-tools',
    );
    expect(
      npm.some((f) => f.rule === 'entrypoint-npm-bin-hijack' && f.severity === 'critical'),
    ).toBe(true);
  });
});
