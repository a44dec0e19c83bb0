import type { Finding, Severity } from '../../types.js';
import type { Rule } from '../rule.js';
import { decodedEvidence } from './shared/findings.js';
import { earliestJs, jsFiles, jsWhenItRuns } from './shared/javascript.js';

/**
 * child_process running a download-and-run command (`curl … | sh`, `wget … && chmod +x`, PowerShell
 * cradles, `rundll32` of a fetched file), a reverse shell, or a file written and then executed.
 */
export const jsDownloadExecute: Rule = {
  meta: {
    id: 'js-download-execute',
    severity: 'high',
    ecosystems: ['npm'],
    title: 'Runs a download-and-run command or a dropped file',
    description:
      'child_process runs a command that downloads and executes code (curl|sh, wget && chmod +x, PowerShell download cradles, certutil, rundll32), opens a reverse shell (/dev/tcp), or executes a script/binary the same file has just written. Critical when it runs at install time or on load.',
    references: ['https://github.com/DataDog/guarddog (npm-install-script, download-executable)'],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of jsFiles(ctx)) {
      const processes = file.facts.filter((f) => f.kind === 'process');
      if (processes.length === 0) continue;
      // only commands actually handed to child_process (a help text that mentions curl|bash is not)
      const shell = file.facts.find(
        (f) =>
          (f.kind === 'shell-download' && f.name === 'download and run') ||
          (f.kind === 'network' && f.name === '/dev/tcp'),
      );
      // a script the file writes for itself to run; binaries written by installers (esbuild,
      // prisma) are not, since they come from the project's own release and are only verified
      const write = file.facts.find(
        (f) =>
          f.kind === 'file-write' &&
          /\.(?:bat|cmd|ps1|vbs|vbe|wsf|hta|sh|command)\b/i.test(f.value ?? ''),
      );
      if (!shell && !write) continue;
      const proc = earliestJs(processes)!;
      const lead = shell ?? write!;
      const auto = proc.position !== 'call';
      const severity: Severity = auto ? 'critical' : 'high';
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: lead.line,
        message: shell
          ? `Runs a command that downloads and executes code (or opens a remote shell) with \`${proc.name}\`; it ${jsWhenItRuns(proc.position)}.`
          : `Writes ${write?.value ?? 'a file'} (line ${write?.line}) and executes with \`${proc.name}\` (line ${proc.line}); it ${jsWhenItRuns(proc.position)}.`,
        evidence: decodedEvidence(lead.value ?? lead.evidence),
      });
    }
    return findings;
  },
};
