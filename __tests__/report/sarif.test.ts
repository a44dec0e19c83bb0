import { describe, expect, it } from '@jest/globals';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ruleCatalog } from '../../src/analysis/catalog.js';
import {
  FINGERPRINT_KEY,
  renderSarif,
  renderSarifJson,
  sarifLevel,
} from '../../src/report/sarif.js';
import type { Finding } from '../../src/types.js';
import {
  bumpedNpm,
  cleanNpm,
  evilPython,
  execFinding,
  lowFinding,
  report,
  unavailable,
} from './fixtures/reports.js';

// The official SARIF 2.1.0 schema, vendored (see fixtures/sarif-schema-2.1.0.README.md).
const schema = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('./fixtures/sarif-schema-2.1.0.json', import.meta.url)),
    'utf8',
  ),
);
// unicodeRegExp off: the schema's run.language pattern has a stray `]` that only the u flag rejects.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function expectValid(log: unknown): void {
  const valid = validate(log);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

const fileFinding: Finding = {
  rule: 'new-package-index',
  severity: 'high',
  file: 'requirements.txt',
  line: 1,
  message: 'The PR adds --extra-index-url https://evil.example/simple.',
  evidence: '--extra-index-url https://evil.example/simple',
};

describe('renderSarif', () => {
  it('is valid against the SARIF 2.1.0 schema for a failing report with every kind of entry', () => {
    const log = renderSarif(
      report(
        [
          evilPython(),
          bumpedNpm(),
          cleanNpm({ findings: [lowFinding] }),
          unavailable(),
          cleanNpm({
            name: '@scope/odd name',
            manifest: { path: 'web app/package-lock.json', line: 0 },
            findings: [
              { ...lowFinding, allowed: { reason: 'reviewed', entry: 'npm:@scope/odd name' } },
            ],
          }),
        ],
        {
          fileFindings: [fileFinding],
          manifestProblems: [{ path: 'yarn.lock', line: 3, message: 'unexpected token' }],
          configProblems: [
            {
              path: '.github/pkg-gate.yml',
              line: 2,
              message: 'rules.x.severity: must be one of …',
            },
          ],
        },
      ),
      { toolVersion: 'v1' },
    );
    expectValid(log);
    expectValid(renderSarif(report([]))); // an empty run is valid too
    expectValid(JSON.parse(renderSarifJson(report([evilPython()]))));
  });

  it('has one result per finding at the manifest line, with the level of its severity', () => {
    const log = renderSarif(
      report([evilPython(), bumpedNpm(), cleanNpm({ findings: [lowFinding] })]),
    );
    const results = log.runs[0]!.results;
    expect(results.map((r) => [r.ruleId, r.level, r.locations[0]?.physicalLocation])).toEqual([
      [
        'py-exec-decoded',
        'error',
        { artifactLocation: { uri: 'requirements.txt' }, region: { startLine: 3 } },
      ],
      [
        'npm-install-script',
        'error',
        { artifactLocation: { uri: 'package-lock.json' }, region: { startLine: 19 } },
      ],
      [
        'npm-bin-shadow',
        'note',
        { artifactLocation: { uri: 'package-lock.json' }, region: { startLine: 40 } },
      ],
    ]);
    expect(results[0]?.message.text).toContain('evil-pkg==1.0.0 (pypi, added 1.0.0)');
    expect(results[0]?.message.text).toContain('[setup.py:12 in the package]');
    expect(results[0]?.properties).toMatchObject({
      package: 'pypi:evil-pkg@1.0.0',
      fileInPackage: 'setup.py',
      lineInPackage: 12,
    });
    expect([
      sarifLevel('critical'),
      sarifLevel('high'),
      sarifLevel('medium'),
      sarifLevel('low'),
      sarifLevel('info'),
    ]).toEqual(['error', 'error', 'warning', 'note', 'note']);
  });

  it('takes rule metadata from the rule catalog, and indexes results into it', () => {
    const log = renderSarif(report([evilPython()]));
    const driver = log.runs[0]!.tool.driver;
    const meta = ruleCatalog().find((r) => r.id === 'py-exec-decoded')!;
    expect(driver.rules).toHaveLength(1);
    expect(driver.rules[0]).toMatchObject({
      id: 'py-exec-decoded',
      name: 'PyExecDecoded',
      shortDescription: { text: meta.title },
      fullDescription: { text: meta.description },
      defaultConfiguration: { level: sarifLevel(meta.severity) },
      properties: { 'security-severity': '9.5', tags: expect.arrayContaining(['security']) },
    });
    expect(log.runs[0]!.results[0]?.ruleIndex).toBe(0);
  });

  it('gives each rule the highest severity its findings have here (config overrides show)', () => {
    const lowered = evilPython({ findings: [{ ...execFinding, severity: 'low' }] });
    const rule = renderSarif(report([lowered])).runs[0]!.tool.driver.rules[0];
    expect(rule?.properties['security-severity']).toBe('3.0');
  });

  it('keeps fingerprints stable across runs and line moves, distinct across findings', () => {
    const first = renderSarif(report([evilPython(), bumpedNpm()])).runs[0]!.results;
    const again = renderSarif(
      report([bumpedNpm(), evilPython({ manifest: { path: 'requirements.txt', line: 7 } })]),
    ).runs[0]!.results;
    const key = (r: (typeof first)[number]) => r.partialFingerprints[FINGERPRINT_KEY];
    expect(new Set(first.map(key)).size).toBe(2);
    expect(again.map(key).sort()).toEqual(first.map(key).sort());
    const bumpedAgain = renderSarif(report([bumpedNpm({ version: '1.2.0' })])).runs[0]!.results;
    expect(first.map(key)).not.toContain(key(bumpedAgain[0]!)); // a new version is a new alert
  });

  it('marks allowed findings as accepted suppressions with the reason', () => {
    const allowed = bumpedNpm({
      verdict: 'pass',
      findings: [
        {
          ...bumpedNpm().findings[0]!,
          allowed: { reason: 'vendored fork', entry: 'npm:left-pad' },
        },
      ],
    });
    const result = renderSarif(report([allowed])).runs[0]!.results[0];
    expect(result?.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'vendored fork' },
    ]);
  });

  it('reports uninspectable packages, dependency-file findings, and unreadable files', () => {
    const log = renderSarif(
      report([unavailable()], {
        fileFindings: [fileFinding],
        manifestProblems: [{ path: 'yarn.lock', line: 3, message: 'unexpected token' }],
      }),
    );
    expect(log.runs[0]!.results.map((r) => [r.ruleId, r.level])).toEqual([
      ['package-unavailable', 'error'],
      ['new-package-index', 'error'],
    ]);
    expect(log.runs[0]!.invocations[0]).toMatchObject({
      executionSuccessful: true,
      toolExecutionNotifications: [
        {
          level: 'error',
          message: { text: 'dependency file could not be read: unexpected token' },
        },
      ],
    });
  });

  it('encodes paths as URI references', () => {
    const pkg = cleanNpm({
      manifest: { path: 'web app/package-lock.json', line: 2 },
      findings: [lowFinding],
    });
    const uri = renderSarif(report([pkg])).runs[0]!.results[0]?.locations[0]?.physicalLocation
      .artifactLocation.uri;
    expect(uri).toBe('web%20app/package-lock.json');
  });
});
