import { describe, expect, it } from '@jest/globals';
import {
  advisoryLookup,
  applyRunPolicy,
  describeSettings,
  headConfigIssues,
  loadRunConfig,
  registryOptions,
  reputationFromConfig,
} from '../../src/config/run-config.js';
import { parseConfig } from '../../src/config/parse.js';
import type { Report } from '../../src/types.js';

const PATH = '.github/pkg-gate.yml';
const NOW = new Date('2026-01-15T12:00:00Z');

function scanned(): Report {
  return {
    verdict: 'fail',
    failOn: 'high',
    manifestProblems: [],
    manifests: [],
    packages: [
      {
        source: 'pypi:evil-pkg@1.0.0',
        ecosystem: 'pypi',
        name: 'evil-pkg',
        version: '1.0.0',
        verdict: 'fail',
        findings: [
          {
            rule: 'py-exec-decoded',
            severity: 'critical',
            file: 'setup.py',
            line: 8,
            message: 'exec of decoded data',
            evidence: 'exec(b64decode(x))',
          },
        ],
      },
    ],
  };
}

describe('loadRunConfig', () => {
  it('reads the file through the base reader only, inputs over the file', async () => {
    const asked: string[] = [];
    const run = await loadRunConfig({
      path: PATH,
      readBase: async (path) => {
        asked.push(path);
        return 'fail-on: critical\nregistries: { pypi: https://pypi.example.com/ }\n';
      },
      ref: 'b'.repeat(40),
      changedInPr: true,
      inputs: { pypiUrl: 'http://127.0.0.1:9/' },
      inputName: (name) => `--${name}`,
    });
    expect(asked).toEqual([PATH]);
    expect(run.loaded.status).toBe('loaded');
    expect(run.settings.failOn).toEqual({ value: 'critical', source: 'config' });
    expect(run.settings.pypiUrl).toEqual({ value: 'http://127.0.0.1:9', source: 'input' });
    expect(run.settings).toMatchObject({ configRef: 'b'.repeat(40), configChangedInPr: true });
    await expect(
      loadRunConfig({
        path: PATH,
        readBase: async () => undefined,
        changedInPr: false,
        inputs: { failOn: 'severe' },
        inputName: (name) => `--${name}`,
      }),
    ).rejects.toThrow('--fail-on must be one of critical, high, medium, low, info, none');
  });

  it('comes back invalid, with the lines, for a bad file and for one that cannot be read', async () => {
    const bad = await loadRunConfig({
      path: PATH,
      readBase: async () => 'fail-on: high\nrules:\n  py-exec-decoded: { severity: hgih }\n',
      changedInPr: false,
      inputs: {},
    });
    expect(bad.loaded.status).toBe('invalid');
    expect(bad.loaded.issues[0]).toMatchObject({ line: 3 });
    const unreadable = await loadRunConfig({
      path: PATH,
      readBase: async () => {
        throw new Error('is a directory, not a file');
      },
      changedInPr: false,
      inputs: {},
    });
    expect(unreadable.loaded).toMatchObject({ status: 'invalid', defaultsAreSafe: false });
  });
});

describe('applyRunPolicy', () => {
  it('applies the allowlist and fail-on the run decided on', async () => {
    const run = await loadRunConfig({
      path: PATH,
      readBase: async () => 'allow:\n  - package: pypi:evil-pkg@1.0.0\n    reason: our fixture\n',
      changedInPr: false,
      inputs: {},
    });
    const report = applyRunPolicy(scanned(), { ...run, headLabel: 'x' }, NOW);
    expect(report.verdict).toBe('pass');
    expect(report.packages[0]?.findings[0]?.allowed).toEqual({
      reason: 'our fixture',
      entry: 'pypi:evil-pkg@1.0.0',
    });
  });

  it('fails on an invalid base file and on an invalid version in the change, with lines', async () => {
    const invalid = await loadRunConfig({
      path: PATH,
      readBase: async () => 'fail-on: hgih\n',
      changedInPr: false,
      inputs: { failOn: 'none' },
    });
    const report = applyRunPolicy(scanned(), { ...invalid, headLabel: 'x' }, NOW);
    expect(report.verdict).toBe('fail');
    expect(report.configProblems).toEqual([
      { path: PATH, line: 1, message: expect.stringMatching(/^fail-on: must be one of/) },
    ]);

    const valid = await loadRunConfig({
      path: PATH,
      readBase: async () => 'fail-on: none\n',
      changedInPr: true,
      inputs: {},
    });
    const issues = headConfigIssues('fail-on: none\nallow:\n  - package: npm:left-pad\n', PATH);
    expect(headConfigIssues('fail-on: low\n', PATH)).toBeUndefined();
    expect(headConfigIssues(undefined, PATH)).toBeUndefined();
    const withHead = applyRunPolicy(
      scanned(),
      { ...valid, headConfigIssues: issues, headLabel: "the head's version" },
      NOW,
    );
    expect(withHead.verdict).toBe('fail');
    expect(withHead.configProblems).toEqual([
      {
        path: PATH,
        line: 3,
        message: expect.stringMatching(/^the head's version: allow\[0\]: reason is required/),
      },
    ]);
  });
});

describe('scan options from the settings', () => {
  it('turns registries and limits into registry options', async () => {
    const run = await loadRunConfig({
      path: PATH,
      readBase: async () => 'limits: { max-package-mb: 2, timeout-seconds: 5 }\n',
      changedInPr: false,
      inputs: { npmRegistry: 'http://127.0.0.1:1/' },
    });
    expect(registryOptions(run.settings, '')).toEqual({
      npmRegistry: 'http://127.0.0.1:1',
      pypiUrl: 'https://pypi.org',
      npmToken: undefined,
      maxDownloadBytes: 2 * 1024 * 1024,
      timeoutMs: 5000,
    });
  });

  it('asks OSV unless turned off, GitHub only with a token, and names the setting', () => {
    expect(advisoryLookup('', false, '--osv-url')).toEqual({
      osvUrl: 'https://api.osv.dev',
      github: false,
    });
    expect(advisoryLookup('off', false, '--osv-url')).toBe(false);
    expect(() => advisoryLookup('ftp://x', false, '--osv-url')).toThrow(/^--osv-url must be/);
    const { config } = parseConfig('advisories: off\nosv-url: https://osv.example.com\n', PATH);
    expect(reputationFromConfig(config, undefined, false, 'x').advisories).toBe(false);
    expect(reputationFromConfig(config, 'http://127.0.0.1:2', false, 'x').advisories).toEqual({
      osvUrl: 'http://127.0.0.1:2',
      github: false,
    });
    const { config: withUrl } = parseConfig('osv-url: https://osv.example.com/\n', PATH);
    expect(reputationFromConfig(withUrl, '', false, 'x').advisories).toEqual({
      osvUrl: 'https://osv.example.com',
      github: false,
    });
  });

  it('describes the settings it was asked about, and expired allow entries', async () => {
    const run = await loadRunConfig({
      path: PATH,
      readBase: async () =>
        'fail-on: medium\nignore-paths: [examples/**]\nrules:\n  py-exec-decoded: { severity: low }\n' +
        'allow:\n  - package: npm:a\n    reason: r\n    expires: 2025-01-01\n',
      changedInPr: false,
      inputs: {},
    });
    expect(describeSettings(run.settings, NOW, ['fail-on', 'pypi-url'])).toEqual([
      '  fail-on: medium (config)',
      '  pypi-url: https://pypi.org (default)',
      '  ignore-paths: examples/**',
      '  rule overrides: 1',
      '  allow entries: 1 (1 expired: npm:a)',
    ]);
  });
});
