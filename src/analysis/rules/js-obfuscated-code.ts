import type { Finding, Severity } from '../../types.js';
import type { Rule } from '../rule.js';
import { jsFiles, jsWhenItRuns } from './shared/javascript.js';

/** obfuscator.io-style code; high when it runs at install time or can execute, spawn or send. */
export const jsObfuscatedCode: Rule = {
  meta: {
    id: 'js-obfuscated-code',
    severity: 'high',
    ecosystems: ['npm'],
    title: 'Obfuscated JavaScript',
    description:
      'A file carries obfuscator.io fingerprints (runs of _0x identifiers, string-array rotation). High when it runs at install time or also evaluates code, spawns processes, uses the network or loads modules by computed names; medium otherwise (some vendors ship protected code).',
    references: [
      'https://github.com/NodeSecure/js-x-ray (obfuscated-code)',
      'https://obfuscator.io/',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of jsFiles(ctx)) {
      const signal = file.facts.find((f) => f.kind === 'obfuscation');
      if (!signal) continue;
      // modules loaded by computed names (`require(_0x4d74('0x1'))`) hide which capability it uses
      const computedRequire = /\brequire\s*\(\s*(?!['"`)])/.test(ctx.text(file.path) ?? '');
      const capable =
        computedRequire ||
        file.facts.some((f) => f.kind === 'exec' || f.kind === 'process' || f.kind === 'network');
      const install = file.facts.some((f) => f.position === 'install');
      const severity: Severity = install || capable ? 'high' : 'medium';
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: signal.line,
        message: `This file is obfuscated (${signal.name}) and ${jsWhenItRuns(install ? 'install' : 'import')}; what it does cannot be reviewed.`,
        evidence: signal.value ?? signal.evidence,
      });
    }
    return findings;
  },
};
