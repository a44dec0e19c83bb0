import { describe, expect, it } from '@jest/globals';
import { AnalysisContext } from '../../../../src/analysis/context.js';
import {
  extractEntryPoints,
  newCommandFindings,
  newCommands,
} from '../../../../src/analysis/entrypoints/index.js';
import { entrypointFindings, inMemoryPackage } from '../helpers.js';

function commandsOf(files: Record<string, string>) {
  return extractEntryPoints(new AnalysisContext(inMemoryPackage('npm', files)));
}

describe('entrypoint-new-command', () => {
  it('lists other commands at info, never gating', async () => {
    const findings = (await entrypointFindings('sources/egg-info', 'pypi')).filter(
      (f) => f.rule === 'entrypoint-new-command',
    );
    expect(findings.map((f) => [f.severity, f.evidence])).toEqual([
      ['info', 'evil-helper = evilpkg.cli:helper'],
    ]);
  });

  it('newCommands finds commands added by a bump; newCommandFindings rates them medium', () => {
    const before = commandsOf({
      'package/package.json': JSON.stringify({ name: 'tool', bin: { tool: 'a.js' } }),
    });
    const after = commandsOf({
      'package/package.json': JSON.stringify({
        name: 'tool',
        bin: { tool: 'a.js', 'tool-sync': 'b.js', git: 'c.js' },
      }),
    });
    expect(newCommands(before, after).map((e) => e.name)).toEqual(['tool-sync', 'git']);
    const findings = newCommandFindings('npm', 'tool', before, after, '1.0.0');
    // `git` is left to the hijack rule (critical); the other new command is medium.
    expect(findings.map((f) => [f.severity, f.evidence])).toEqual([['medium', 'tool-sync = b.js']]);
    expect(findings[0].message).toContain('not in 1.0.0');
    expect(newCommands(after, after)).toEqual([]);
  });
});
