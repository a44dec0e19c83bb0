import { describe, expect, it } from '@jest/globals';
import { renderSummaryComment } from '../../src/report/summary-comment.js';
import type { Report } from '../../src/types.js';

describe('summary comment with findings in dependency files only', () => {
  it('fails visibly instead of saying there is nothing to inspect', () => {
    const report: Report = {
      verdict: 'fail',
      failOn: 'high',
      packages: [],
      manifestProblems: [],
      manifests: [{ path: '.npmrc', format: 'npmrc', changes: 0 }],
      fileFindings: [
        {
          rule: 'new-package-index',
          severity: 'high',
          file: '.npmrc',
          line: 2,
          message: 'The PR adds a registry for @acme packages.',
          evidence: '@acme:registry=https://npm.evil.example/',
        },
      ],
    };
    const body = renderSummaryComment(report);
    expect(body).not.toContain('✅');
    expect(body).toContain('1 finding in dependency files');
    expect(body).toContain('new-package-index');
    expect(body).toContain('.npmrc:2');
  });
});
