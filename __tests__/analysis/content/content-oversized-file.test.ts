import { describe, expect, it } from '@jest/globals';
import { contentOversizedFile } from '../../../src/analysis/rules/content-oversized-file.js';
import { npmManifest, runRule } from './fixtures.js';

describe('content-oversized-file', () => {
  it('names source files that were only partly read (low) and other files (info)', async () => {
    const head = new TextEncoder().encode('console.log(1);\n');
    const findings = await runRule(contentOversizedFile, 'npm', {
      'package/package.json': npmManifest(),
      'package/index.js': { data: head, size: 64 * 1024 * 1024, truncated: true },
      'package/data.bin': { data: new Uint8Array(16), size: 40 * 1024 * 1024, truncated: true },
    });
    expect(findings.map((f) => [f.file, f.severity])).toEqual([
      ['package/index.js', 'low'],
      ['package/data.bin', 'info'],
    ]);
    expect(findings[0].message).toMatch(/64\.0 MB; only the first 16 bytes/);
  });

  it('says nothing about files read in full', async () => {
    const findings = await runRule(contentOversizedFile, 'npm', {
      'package/package.json': npmManifest(),
      'package/index.js': 'x'.repeat(1000),
    });
    expect(findings).toEqual([]);
  });
});
