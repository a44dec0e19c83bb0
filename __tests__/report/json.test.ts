import { describe, expect, it } from '@jest/globals';
import { renderJson } from '../../src/report/json.js';
import type { PackageReport } from '../../src/types.js';
import { bumpedNpm, cleanNpm, report, unavailable } from './fixtures/reports.js';

describe('renderJson', () => {
  it('writes the public fields in a stable order', () => {
    const withStats: PackageReport = {
      ...bumpedNpm(),
      stats: { downloadedBytes: 1, files: 2, unpackedBytes: 3, millis: 4 },
    };
    const doc = JSON.parse(renderJson(report([withStats])));
    expect(Object.keys(doc)).toEqual([
      'verdict',
      'packages',
      'failOn',
      'manifests',
      'manifestProblems',
    ]);
    expect(Object.keys(doc.packages[0])).toEqual([
      'source',
      'ecosystem',
      'name',
      'version',
      'change',
      'from',
      'manifest',
      'verdict',
      'findings',
    ]);
    expect(Object.keys(doc.packages[0].findings[0])).toEqual([
      'rule',
      'severity',
      'file',
      'line',
      'message',
      'evidence',
    ]);
    expect(doc.packages[0]).toMatchObject({
      source: 'npm:left-pad@1.1.0',
      change: 'bumped',
      from: '1.0.0',
      manifest: { path: 'package-lock.json', line: 19 },
      verdict: 'fail',
    });
    expect(doc.verdict).toBe('fail');
    expect(doc.failOn).toBe('high');
  });

  it('gives null for what an inspect run does not know, and error only when there is one', () => {
    const doc = JSON.parse(
      renderJson(
        report([
          cleanNpm({ change: undefined, manifest: undefined, source: './x.tgz' }),
          unavailable(),
        ]),
      ),
    );
    expect(doc.packages[0]).toMatchObject({
      source: './x.tgz',
      change: null,
      from: null,
      manifest: null,
    });
    expect('error' in doc.packages[0]).toBe(false);
    expect(doc.packages[1]).toMatchObject({
      verdict: 'error',
      error: expect.stringContaining('404'),
    });
  });

  it('keeps manifest problems with a null line when unknown', () => {
    const doc = JSON.parse(
      renderJson(report([], { manifestProblems: [{ path: 'a.txt', message: 'bad' }] })),
    );
    expect(doc.manifestProblems).toEqual([{ path: 'a.txt', line: null, message: 'bad' }]);
  });
});
