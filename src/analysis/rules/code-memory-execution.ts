import type { Finding, Severity } from '../../types.js';
import type { Rule } from '../rule.js';
import { codeFiles, isAutomatic, leading, runsWhen } from './shared/code.js';

/**
 * Shellcode loaders: executable memory allocated (VirtualAlloc, mmap PROT_EXEC), bytes copied
 * into it (RtlMoveMemory, memmove, WriteProcessMemory) and a thread or function pointer started
 * on it. Machine code run this way never touches disk, so file scanners never see it.
 */
export const codeMemoryExecution: Rule = {
  meta: {
    id: 'code-memory-execution',
    severity: 'high',
    ecosystems: ['pypi'],
    title: 'Runs machine code from memory (shellcode loader)',
    description:
      'A file allocates executable memory, copies bytes into it and starts a thread or function pointer on it (ctypes VirtualAlloc/RtlMoveMemory/CreateThread, CreateRemoteThread injection, mmap PROT_EXEC + CFUNCTYPE). High with two of the three steps, critical with all three or when it runs at install/import time; one step alone is low.',
    references: [
      'https://attack.mitre.org/techniques/T1055/',
      'https://attack.mitre.org/techniques/T1620/',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of codeFiles(ctx)) {
      const steps = file.facts.filter((f) => f.kind === 'memory-exec');
      if (steps.length === 0) continue;
      const labels = [...new Set(steps.map((f) => f.name))];
      const lead = leading(steps)!;
      let severity: Severity = 'low';
      if (labels.length >= 2)
        severity = labels.length >= 3 || steps.some(isAutomatic) ? 'critical' : 'high';
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: lead.line,
        message: `This code ${labels.join(', ')}: ${labels.length >= 2 ? 'the steps of a shellcode loader, which runs machine code that never touches disk' : 'one step of running code from memory'}; it ${runsWhen(ctx, lead.position)}.`,
        evidence: steps
          .slice(0, 3)
          .map((f) => f.evidence)
          .join(' | ')
          .slice(0, 240),
      });
    }
    return findings;
  },
};
