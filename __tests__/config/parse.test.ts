import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../src/config/parse.js';
import { ConfigError, type ConfigIssue } from '../../src/config/types.js';

const PATH = '.github/pkg-gate.yml';
const known = new Set([
  'npm-install-script',
  'py-network-at-import',
  'py-exec-decoded',
  'package-unavailable',
]);

/** The example of issue 7, which external checks rely on. */
const ISSUE_EXAMPLE = `fail-on: high                 # critical|high|medium|low|none
rules:                        # per-rule overrides
  npm-install-script: { severity: low }
  py-network-at-import: { enabled: false }
allow:
  - package: npm:left-pad@1.3.0     # ecosystem:name@version; a range like @^1.3 or no version = any
    rules: [npm-install-script]      # optional: only these rules; omitted = every rule
    reason: vendored fork, reviewed  # required
    expires: 2027-03-31              # optional
ignore-paths: [examples/**]          # dependency files to skip
registries:
  npm: https://npm.example.com/      # auth comes from environment variables, never from this file
  pypi: https://pypi.example.com/
limits: { max-package-mb: 200, timeout-seconds: 300 }
`;

function issuesOf(text: string): ConfigIssue[] {
  try {
    parseConfig(text, PATH, { knownRules: known });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('reads every key of the documented example', () => {
    const { config, warnings } = parseConfig(ISSUE_EXAMPLE, PATH, { knownRules: known });
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      failOn: 'high',
      rules: {
        'npm-install-script': { severity: 'low' },
        'py-network-at-import': { enabled: false },
      },
      allow: [
        {
          package: 'npm:left-pad@1.3.0',
          ecosystem: 'npm',
          name: 'left-pad',
          versions: '1.3.0',
          rules: ['npm-install-script'],
          reason: 'vendored fork, reviewed',
          expires: '2027-03-31',
          line: 6,
        },
      ],
      ignorePaths: ['examples/**'],
      registries: { npm: 'https://npm.example.com', pypi: 'https://pypi.example.com' },
      limits: { maxPackageMb: 200, timeoutSeconds: 300 },
    });
  });

  it('treats an empty file or a file of comments as all defaults', () => {
    for (const text of ['', '# nothing yet\n', '---\n']) {
      expect(parseConfig(text, PATH).config).toEqual({
        rules: {},
        allow: [],
        ignorePaths: [],
        registries: {},
        limits: {},
      });
    }
  });

  it('also reads comment-mode and review-event', () => {
    const { config } = parseConfig('comment-mode: summary\nreview-event: request-changes\n', PATH);
    expect(config.commentMode).toBe('summary');
    expect(config.reviewEvent).toBe('REQUEST_CHANGES');
  });

  it('points at the bad key, with its line and the allowed values', () => {
    const issues = issuesOf('fail-on: high\nrules:\n  npm-install-script:\n    severity: hgih\n');
    expect(issues).toEqual([
      {
        key: 'rules.npm-install-script.severity',
        message: 'must be one of critical, high, medium, low, info (got "hgih")',
        line: 4,
      },
    ]);
  });

  it('formats the error as path:line: key: message', () => {
    expect(() => parseConfig('rules:\n  npm-install-script: { severity: hgih }\n', PATH)).toThrow(
      '.github/pkg-gate.yml:2: rules.npm-install-script.severity: must be one of critical, high, medium, low, info (got "hgih")',
    );
  });

  it('reports every problem at once, not only the first', () => {
    const issues = issuesOf(
      [
        'fail-on: sometimes',
        'allow:',
        '  - package: left-pad@1.3.0',
        '    reason: ok',
        '  - package: npm:left-pad@latest',
        '    reason: ok',
        '  - package: pypi:requests',
        '  - package: npm:x',
        '    reason: "  "',
        '    expires: 2027-02-30',
        'limits: { max-package-mb: 0, timeout-seconds: "300" }',
      ].join('\n'),
    );
    expect(issues.map((i) => [i.key, i.line])).toEqual([
      ['fail-on', 1],
      ['allow[0].package', 3],
      ['allow[1].package', 5],
      ['allow[2]', 7],
      ['allow[3].reason', 9],
      ['allow[3].expires', 10],
      ['limits.max-package-mb', 11],
      ['limits.timeout-seconds', 11],
    ]);
    expect(issues[1]?.message).toMatch(/must start with "npm:" or "pypi:"/);
    expect(issues[2]?.message).toMatch(/"latest" is not a semver version or range/);
    expect(issues[3]?.message).toMatch(/reason is required/);
    expect(issues[5]?.message).toMatch(/"2027-02-30" is not a calendar date/);
    expect(issues[6]?.message).toBe('must be a number from 1 to 4096 (got 0)');
  });

  it('rejects unknown keys with a suggestion, at the key line', () => {
    const issues = issuesOf(
      'fail_on: high\nallow:\n  - package: npm:a\n    reason: r\n    expire: 2027-01-01\n',
    );
    expect(issues).toEqual([
      expect.objectContaining({
        key: 'fail_on',
        line: 1,
        message: expect.stringContaining('did you mean "fail-on"?'),
      }),
      expect.objectContaining({
        key: 'allow[0].expire',
        line: 5,
        message: expect.stringContaining('did you mean "expires"?'),
      }),
    ]);
  });

  it('names YAML syntax errors with their line', () => {
    const issues = issuesOf('fail-on: high\nrules: [\n');
    expect(issues[0]?.message).toMatch(/^YAML syntax/);
    expect(issues[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('rejects duplicate keys rather than silently taking one', () => {
    expect(issuesOf('fail-on: high\nfail-on: none\n')[0]?.message).toMatch(
      /YAML syntax.*[Uu]nique|duplicate/i,
    );
  });

  it('rejects a document that is not a mapping', () => {
    expect(issuesOf('- npm:left-pad\n')[0]).toMatchObject({
      key: '',
      message: expect.stringMatching(/must be a mapping/),
    });
  });

  it('rejects registry URLs with credentials or another scheme', () => {
    const issues = issuesOf(
      'registries:\n  npm: https://user:secret@npm.example.com\n  pypi: ftp://pypi.example.com\n',
    );
    expect(issues.map((i) => i.key)).toEqual(['registries.npm', 'registries.pypi']);
    expect(issues[0]?.message).toMatch(/must not contain credentials/);
    expect(issues[0]?.message).not.toContain('secret');
  });

  it('warns on unknown rule ids (the override would match nothing) without failing', () => {
    const { config, warnings } = parseConfig(
      'rules:\n  npm-instal-script: { severity: low }\nallow:\n  - package: npm:a\n    rules: [py-exec-decode]\n    reason: r\n',
      PATH,
      { knownRules: known },
    );
    expect(config.rules).toEqual({ 'npm-instal-script': { severity: 'low' } });
    expect(warnings).toEqual([
      expect.objectContaining({
        key: 'rules.npm-instal-script',
        line: 2,
        message: expect.stringContaining('did you mean "npm-install-script"?'),
      }),
      expect.objectContaining({
        key: 'allow[0].rules[0]',
        line: 5,
        message: expect.stringContaining('did you mean "py-exec-decoded"?'),
      }),
    ]);
  });

  it('requires rules of an allow entry to be a non-empty list of ids', () => {
    expect(issuesOf('allow:\n  - { package: npm:a, reason: r, rules: [] }\n')[0]).toMatchObject({
      key: 'allow[0].rules',
    });
    expect(
      issuesOf('allow:\n  - { package: npm:a, reason: r, rules: npm-install-script }\n')[0],
    ).toMatchObject({ key: 'allow[0].rules' });
  });

  it('checks types of enabled and ignore-paths', () => {
    const issues = issuesOf(
      'rules:\n  py-exec-decoded: { enabled: "no" }\nignore-paths: examples/**\n',
    );
    expect(issues.map((i) => [i.key, i.message])).toEqual([
      ['rules.py-exec-decoded.enabled', 'must be true or false (got "no")'],
      ['ignore-paths', 'must be a list, each item a glob (got "examples/**")'],
    ]);
  });
});
