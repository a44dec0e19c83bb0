import type { Finding, Severity } from '../../types.js';
import type { Rule } from '../rule.js';
import { whenItRuns } from './shared/findings.js';
import { pyFiles } from './shared/python.js';

/** Capabilities that make obfuscated code dangerous rather than merely opaque. */
const CAPABILITY = new Set([
  'exec',
  'process',
  'network',
  'download',
  'file-write',
  'dynamic-import',
  'marshal',
]);

/**
 * Code written to be unreadable: PyArmor-protected modules, identifier soups, builtins spelled
 * from repr() slices, marshalled bytecode decoded from a string. Reviewers (and scanners)
 * cannot see what it does, which is the point.
 */
export const pyObfuscatedCode: Rule = {
  meta: {
    id: 'py-obfuscated-code',
    severity: 'high',
    ecosystems: ['pypi'],
    title: 'Obfuscated Python code',
    description:
      'A module is obfuscated (PyArmor, identifier soups of CJK/mathematical or _0x/IlIl names, builtins looked up by computed names, builtin names spelled from repr() slices, marshalled bytecode decoded from a string). High when it runs at install time or can execute, spawn, write files or reach the network; medium otherwise.',
    references: [
      'https://github.com/DataDog/guarddog (obfuscation)',
      'https://github.com/NodeSecure/js-x-ray (obfuscated-code)',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of pyFiles(ctx)) {
      const signals = file.facts.filter((f) => f.kind === 'obfuscation');
      const hiddenBytecode = file.facts.filter(
        (f) => f.kind === 'marshal' && f.value === 'embedded bytecode',
      );
      const all = [...signals, ...hiddenBytecode];
      if (all.length === 0) continue;
      const first = all[0];
      const capable = file.facts.some((f) => CAPABILITY.has(f.kind) && f.kind !== 'marshal');
      const install =
        all.some((f) => f.position === 'install' || f.position === 'startup') ||
        file.facts.some((f) => f.position === 'install');
      const pyarmor = signals.some((s) => s.name === 'PyArmor-protected code');
      const severity: Severity =
        install || capable || pyarmor || hiddenBytecode.length > 0 ? 'high' : 'medium';
      const labels = [
        ...new Set(
          all.map((f) =>
            f.kind === 'marshal' ? 'marshalled bytecode decoded from a string' : f.name,
          ),
        ),
      ];
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: first.line,
        message: `This module is obfuscated (${labels.join(', ')}); its code cannot be reviewed and ${whenItRuns(install ? 'install' : first.position)}.`,
        evidence: first.value ?? first.evidence,
      });
    }
    return findings;
  },
};
