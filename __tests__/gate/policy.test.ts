import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../src/config/parse.js';
import {
  applyPolicy,
  expiredEntries,
  isExpired,
  withConfigProblems,
} from '../../src/gate/policy.js';
import type { Finding, PackageReport } from '../../src/types.js';
import {
  bumpedNpm,
  cleanNpm,
  evilPython,
  installScriptFinding,
  lowFinding,
  report,
  unavailable,
} from '../report/fixtures/reports.js';

const NOW = new Date('2026-11-23T12:00:00Z');

function policy(yaml: string) {
  const { config } = parseConfig(yaml, '.github/pkg-gate.yml');
  return { failOn: config.failOn ?? ('high' as const), rules: config.rules, allow: config.allow };
}

const pkgNamed = (r: { packages: PackageReport[] }, name: string) =>
  r.packages.find((p) => p.name === name)!;

describe('applyPolicy: rule overrides', () => {
  it('lowers a rule severity so it no longer gates', () => {
    const out = applyPolicy(
      report([bumpedNpm()]),
      policy('rules:\n  npm-install-script: { severity: low }\n'),
      NOW,
    );
    expect(out.packages[0]?.findings[0]).toMatchObject({
      rule: 'npm-install-script',
      severity: 'low',
    });
    expect(out.packages[0]?.verdict).toBe('pass');
    expect(out.verdict).toBe('pass');
  });

  it('raises a rule severity so it gates', () => {
    const pkg = cleanNpm({ findings: [lowFinding] });
    const out = applyPolicy(
      report([pkg]),
      policy('rules:\n  npm-bin-shadow: { severity: critical }\n'),
      NOW,
    );
    expect(out.packages[0]?.verdict).toBe('fail');
    expect(out.verdict).toBe('fail');
  });

  it('removes the findings of a disabled rule', () => {
    const out = applyPolicy(
      report([bumpedNpm()]),
      policy('rules:\n  npm-install-script: { enabled: false }\n'),
      NOW,
    );
    expect(out.packages[0]?.findings).toEqual([]);
    expect(out.verdict).toBe('pass');
  });

  it('applies overrides to dependency-file findings too', () => {
    const fileFinding: Finding = {
      rule: 'new-package-index',
      severity: 'high',
      file: 'requirements.txt',
      line: 1,
      message: 'm',
      evidence: '--extra-index-url x',
    };
    const base = report([cleanNpm()], { fileFindings: [fileFinding], verdict: 'fail' });
    expect(applyPolicy(base, policy(''), NOW).verdict).toBe('fail');
    const out = applyPolicy(
      base,
      policy('rules:\n  new-package-index: { severity: medium }\n'),
      NOW,
    );
    expect(out.fileFindings?.[0]?.severity).toBe('medium');
    expect(out.verdict).toBe('pass');
  });

  it('recomputes at the configured fail-on', () => {
    const pkg = cleanNpm({ findings: [lowFinding] });
    expect(applyPolicy(report([pkg]), { failOn: 'low' }, NOW).verdict).toBe('fail');
    expect(applyPolicy(report([bumpedNpm()]), { failOn: 'none' }, NOW)).toMatchObject({
      verdict: 'pass',
      failOn: 'none',
    });
  });
});

describe('applyPolicy: allowlist', () => {
  it('keeps an allowed finding in the report, marked with the reason, and passes the package', () => {
    const out = applyPolicy(
      report([bumpedNpm(), evilPython()]),
      policy('allow:\n  - package: npm:left-pad@1.1.0\n    reason: vendored fork, reviewed\n'),
      NOW,
    );
    const leftPad = pkgNamed(out, 'left-pad');
    expect(leftPad.verdict).toBe('pass');
    expect(leftPad.findings).toEqual([
      {
        ...installScriptFinding,
        allowed: { reason: 'vendored fork, reviewed', entry: 'npm:left-pad@1.1.0' },
      },
    ]);
    expect(pkgNamed(out, 'evil-pkg').verdict).toBe('fail'); // others untouched
    expect(out.verdict).toBe('fail');
  });

  it('matches versions by range and leaves other versions gated', () => {
    const yaml = 'allow:\n  - package: npm:left-pad@^1.2\n    reason: r\n';
    expect(applyPolicy(report([bumpedNpm()]), policy(yaml), NOW).verdict).toBe('fail'); // 1.1.0 is outside ^1.2
    const newer = bumpedNpm({ version: '1.2.5' });
    expect(applyPolicy(report([newer]), policy(yaml), NOW).verdict).toBe('pass');
  });

  it('matches PyPI packages by PEP 440 and normalised name', () => {
    const out = applyPolicy(
      report([evilPython()]),
      policy('allow:\n  - package: pypi:Evil_Pkg>=1.0,<2\n    reason: r\n'),
      NOW,
    );
    expect(out.verdict).toBe('pass');
    expect(out.packages[0]?.findings[0]?.allowed?.reason).toBe('r');
  });

  it('allows only the listed rules when rules is given', () => {
    const pkg = bumpedNpm({
      findings: [
        installScriptFinding,
        { ...installScriptFinding, rule: 'js-exfiltration', line: 30 },
      ],
    });
    const out = applyPolicy(
      report([pkg]),
      policy('allow:\n  - package: npm:left-pad\n    rules: [npm-install-script]\n    reason: r\n'),
      NOW,
    );
    expect(out.packages[0]?.findings.map((f) => [f.rule, f.allowed !== undefined])).toEqual([
      ['npm-install-script', true],
      ['js-exfiltration', false],
    ]);
    expect(out.packages[0]?.verdict).toBe('fail');
  });

  it('stops applying an entry after its expiry day (UTC) and says which ones expired', () => {
    const yaml = 'allow:\n  - package: npm:left-pad\n    reason: r\n    expires: 2026-11-23\n';
    expect(applyPolicy(report([bumpedNpm()]), policy(yaml), NOW).verdict).toBe('pass'); // the last day still counts
    const nextDay = new Date('2026-11-24T00:00:00Z');
    const out = applyPolicy(report([bumpedNpm()]), policy(yaml), nextDay);
    expect(out.verdict).toBe('fail');
    expect(out.packages[0]?.findings[0]?.allowed).toBeUndefined();
    expect(expiredEntries(policy(yaml).allow, nextDay).map((e) => e.package)).toEqual([
      'npm:left-pad',
    ]);
    expect(isExpired({ expires: '2026-11-23' }, NOW)).toBe(false);
    expect(isExpired({}, nextDay)).toBe(false);
  });

  it('waives a package that could not be inspected only for an entry without rules or naming package-unavailable', () => {
    expect(
      applyPolicy(
        report([unavailable()]),
        policy('allow:\n  - package: pypi:ghost\n    rules: [py-exec-decoded]\n    reason: r\n'),
        NOW,
      ).verdict,
    ).toBe('fail');
    const out = applyPolicy(
      report([unavailable()]),
      policy('allow:\n  - package: pypi:ghost@9.9.9\n    reason: internal mirror only\n'),
      NOW,
    );
    expect(out.packages[0]).toMatchObject({
      verdict: 'pass',
      error: expect.any(String),
      allowed: { reason: 'internal mirror only' },
    });
    expect(out.verdict).toBe('pass');
    // Re-applied after the entry expired, the package fails closed again.
    const expired = policy(
      'allow:\n  - package: pypi:ghost\n    reason: r\n    expires: 2020-01-01\n',
    );
    const again = applyPolicy(out, expired, NOW);
    expect(again.packages[0]).toMatchObject({ verdict: 'error' });
    expect(again.packages[0]?.allowed).toBeUndefined();
    expect(again.verdict).toBe('fail');
  });

  it('is idempotent and does not mutate its input', () => {
    const input = report([bumpedNpm(), evilPython()]);
    const frozen = JSON.stringify(input);
    const config = policy(
      'allow:\n  - package: npm:left-pad\n    reason: r\nrules:\n  py-exec-decoded: { severity: high }\n',
    );
    const once = applyPolicy(input, config, NOW);
    expect(applyPolicy(once, config, NOW)).toEqual(once);
    expect(JSON.stringify(input)).toBe(frozen);
  });

  it('keeps an integrity mismatch gating unless allowed, even though the package also has an error', () => {
    const tampered = bumpedNpm({
      verdict: 'fail',
      error: 'integrity check failed: sha512 mismatch',
      findings: [
        {
          rule: 'integrity-mismatch',
          severity: 'critical',
          file: 'package-lock.json',
          line: 19,
          message: 'm',
          evidence: 'e',
        },
      ],
    });
    expect(applyPolicy(report([tampered]), policy(''), NOW).packages[0]?.verdict).toBe('fail');
  });
});

describe('withConfigProblems', () => {
  it('fails the report whatever fail-on says', () => {
    const out = withConfigProblems(report([cleanNpm()], { failOn: 'none' }), [
      { path: '.github/pkg-gate.yml', line: 2, message: 'bad' },
    ]);
    expect(out.verdict).toBe('fail');
    expect(out.configProblems).toHaveLength(1);
    // And applying a policy afterwards keeps it failed.
    expect(applyPolicy(out, { failOn: 'none' }, NOW).verdict).toBe('fail');
  });
});

describe('applyPolicy: findings an earlier release already had', () => {
  it('keeps them out of the gate for an established package and in it when the registry history does not vouch', () => {
    const existing: Finding = { ...installScriptFinding, alreadyIn: '1.0.0' };
    const established = applyPolicy(report([bumpedNpm({ findings: [existing] })]), policy(''), NOW);
    expect(established.packages[0]?.verdict).toBe('pass');
    const young = applyPolicy(
      report([
        bumpedNpm({
          findings: [
            {
              ...existing,
              notVouched: 'first published 4 days ago: earlier releases do not vouch for it',
            },
          ],
        }),
      ]),
      policy(''),
      NOW,
    );
    expect(young.packages[0]?.findings[0]?.notVouched).toMatch(/^first published 4 days ago/);
    expect(young.packages[0]?.verdict).toBe('fail');
    expect(young.verdict).toBe('fail');
  });
});
