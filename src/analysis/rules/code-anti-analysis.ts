import type { Finding, Severity } from '../../types.js';
import type { Rule } from '../rule.js';
import { codeFiles, isAutomatic, leading, runs, runsWhen, sends } from './shared/code.js';

/**
 * Malware that checks whether it is watched (virtual machines, sandboxes, debuggers, analysis
 * tools) or waits long before acting, so that dynamic scanners see nothing. Alone it is a lead;
 * with a payload capability in the same file it is high.
 */
export const codeAntiAnalysis: Rule = {
  meta: {
    id: 'code-anti-analysis',
    severity: 'high',
    ecosystems: ['npm', 'pypi'],
    title: 'Checks for sandboxes, VMs or debuggers, or delays its payload',
    description:
      'Code looks for signs of analysis (VirtualBox/VMware/QEMU artefacts and MAC prefixes, Sandboxie, Windows Sandbox user, debuggers, Wireshark/procmon/x64dbg processes) or sleeps a minute or more before its network or process code. With network, process or exec capability in the same file it is high (critical at install/import time); alone it is low, and a long sleep before a payload is medium.',
    references: [
      'https://attack.mitre.org/techniques/T1497/',
      'https://github.com/DataDog/guarddog',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of codeFiles(ctx)) {
      const checks = file.facts.filter((f) => f.kind === 'evasion');
      const distinct = new Set(checks.map((f) => (f.value ?? f.evidence).toLowerCase()));
      const payload = [...runs(file), ...sends(file)];
      if (distinct.size >= 2) {
        const lead = leading(checks)!;
        const cap = leading(payload);
        let severity: Severity = 'low';
        if (cap) severity = isAutomatic(cap) ? 'critical' : 'high';
        findings.push({
          rule: this.meta.id,
          severity,
          file: file.path,
          line: lead.line,
          message: `Checks for analysis environments (${[...distinct].slice(0, 4).join(', ')})${cap ? ` in a file that uses \`${cap.name}\` (line ${cap.line}); it ${runsWhen(ctx, cap.position)}` : ''}. Malware does this to stay quiet in sandboxes and scanners.`,
          evidence: lead.value ?? lead.evidence,
        });
        continue;
      }
      // self-deletion next to something that runs code (a process, exec, a native library
      // loaded from the package, the network): legitimate modules never remove their own file
      const selfDelete = checks.find((f) => f.value === 'self-deletion');
      const nativeLoad = /\bctypes\.(?:CDLL|WinDLL|OleDLL|cdll|windll)\b|\bLoadLibrary\w*\(/.test(
        ctx.text(file.path) ?? '',
      );
      if (selfDelete && (payload.length > 0 || nativeLoad)) {
        const cap = leading(payload);
        findings.push({
          rule: this.meta.id,
          severity: isAutomatic(selfDelete) || (cap && isAutomatic(cap)) ? 'critical' : 'high',
          file: file.path,
          line: selfDelete.line,
          message: `Deletes its own source file${cap ? ` after using \`${cap.name}\` (line ${cap.line})` : ' after loading a native library'}: code that erases itself once it has run; it ${runsWhen(ctx, selfDelete.position)}.`,
          evidence: selfDelete.evidence,
        });
        continue;
      }
      const sleeps = file.facts.filter((f) => f.kind === 'sleep' && isAutomatic(f));
      const after = sleeps
        .map((s) => ({ s, p: payload.find((p) => isAutomatic(p) && p.line > s.line) }))
        .find((x) => x.p !== undefined);
      if (after?.p) {
        findings.push({
          rule: this.meta.id,
          severity: 'medium',
          file: file.path,
          line: after.s.line,
          message: `Waits (${after.s.name}) before \`${after.p.name}\` (line ${after.p.line}) in code that ${runsWhen(ctx, after.s.position)}: a delay that outlasts sandbox runs.`,
          evidence: after.s.evidence,
        });
      }
    }
    return findings;
  },
};
