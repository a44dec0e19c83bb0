import type { Finding, Severity } from '../../types.js';
import type { Rule } from '../rule.js';
import { decodedEvidence, whenItRuns } from './shared/findings.js';
import { pyFiles } from './shared/python.js';

/**
 * A process started at import time (module top level or code it calls) or hidden anywhere:
 * importing a library should not run commands, and hiding the window or detaching the child is
 * what loaders do so the user does not notice.
 */
export const pyImportProcess: Rule = {
  meta: {
    id: 'py-import-process',
    severity: 'medium',
    ecosystems: ['pypi'],
    title: 'Starts a process on import, or a hidden/detached process',
    description:
      'A module starts a process as soon as it is imported, or starts one with its output discarded, its window hidden or detached from the parent (DEVNULL, creationflags, start_new_session, pythonw, nohup/&). High when hidden at import or when the command downloads and runs code; critical for a download-and-run command that runs automatically.',
    references: ['https://github.com/DataDog/guarddog (silent-process-execution)'],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of pyFiles(ctx)) {
      for (const fact of file.facts) {
        if (fact.kind !== 'process') continue;
        if (fact.position === 'install' || fact.position === 'startup') continue; // py-install-process
        const related = file.facts.filter((f) => f.line === fact.line);
        const hidden = related.find((f) => f.kind === 'hidden');
        const shell = related.find((f) => f.kind === 'shell-download');
        const auto = fact.position === 'import';
        if (!auto && !hidden && !shell) continue;
        let severity: Severity = 'medium';
        if (shell) severity = auto ? 'critical' : 'high';
        else if (hidden && auto) severity = 'high';
        else if (hidden) severity = 'medium';
        else if (auto) severity = 'medium';
        findings.push({
          rule: this.meta.id,
          severity,
          file: file.path,
          line: fact.line,
          message: `\`${fact.name}\` starts ${hidden ? `a hidden process (${hidden.name})` : 'a process'}${shell ? ' that downloads and runs code' : ''}; it ${whenItRuns(fact.position)}.`,
          evidence: fact.value ? `command: ${decodedEvidence(fact.value)}` : fact.evidence,
        });
      }
    }
    return findings;
  },
};
