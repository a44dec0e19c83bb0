import type { Finding } from '../../types.js';
import type { Rule } from '../rule.js';
import { whenItRuns } from './shared/findings.js';
import { earliest, pyFiles } from './shared/python.js';

/**
 * Hands a remote host an interactive shell: a socket duplicated onto stdin/stdout, `/bin/sh -i`
 * or `cmd.exe` wired to a connection, `bash -i >& /dev/tcp/…`, `nc -e`.
 */
export const pyReverseShell: Rule = {
  meta: {
    id: 'py-reverse-shell',
    severity: 'critical',
    ecosystems: ['pypi'],
    title: 'Reverse shell',
    description:
      'Code connects to a remote host and gives it an interactive shell (os.dup2 of a socket onto stdio with a shell, /bin/sh -i over a socket, bash -i >& /dev/tcp, nc -e).',
    references: ['https://attack.mitre.org/techniques/T1059/'],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of pyFiles(ctx)) {
      const shells = file.facts.filter((f) => f.kind === 'reverse-shell');
      if (shells.length === 0) continue;
      const socket = file.facts.some((f) => f.kind === 'network' && /socket/.test(f.name));
      const process = file.facts.some((f) => f.kind === 'process');
      const command = shells.find(
        (f) =>
          f.name !== 'os.dup2 of a socket onto stdio' &&
          f.name !== 'interactive shell' &&
          f.name !== 'runs commands received from the network',
      );
      const remote = shells.find((f) => f.name === 'runs commands received from the network');
      if (!command && remote && socket) {
        findings.push({
          rule: this.meta.id,
          severity: 'critical',
          file: file.path,
          line: remote.line,
          message: `Runs commands received over a socket (a backdoor); it ${whenItRuns(remote.position)}.`,
          evidence: remote.evidence,
        });
        continue;
      }
      // dup2 or an interactive shell alone is normal in terminal tools; with a socket it is a backdoor
      if (!command && !(socket && (process || shells.some((f) => f.name.startsWith('os.dup2')))))
        continue;
      const lead = command ?? earliest(shells)!;
      findings.push({
        rule: this.meta.id,
        severity: 'critical',
        file: file.path,
        line: lead.line,
        message: `Gives a remote host an interactive shell (${lead.name}); it ${whenItRuns(lead.position)}.`,
        evidence: lead.value ?? lead.evidence,
      });
    }
    return findings;
  },
};
