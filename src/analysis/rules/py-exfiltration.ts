import type { Finding, Severity } from '../../types.js';
import type { Rule } from '../rule.js';
import { LOOPBACK_TARGET, STEALER_ONLY_STORES } from './shared/indicators.js';
import { envSecretHarvest } from './shared/secrets.js';
import { whenItRuns } from './shared/findings.js';
import { earliest, type PyFact, pyFiles } from './shared/python.js';

/** Host identity that dependency-confusion probes and stealers send home. */
const IDENTITY =
  /^(?:identity variable|socket\.gethostname|socket\.getfqdn|getpass\.getuser|os\.getlogin|platform\.(?:node|uname)|os\.uname|os\.getcwd|uuid\.getnode|psutil\.users)$/;

/**
 * Credentials, the environment or host identity read and sent over the network in the same
 * file: stealers (browser passwords, Discord tokens, wallets, SSH/cloud keys) and the
 * dependency-confusion probes that report which machine installed them.
 */
export const pyExfiltration: Rule = {
  meta: {
    id: 'py-exfiltration',
    severity: 'high',
    ecosystems: ['pypi'],
    title: 'Sends credentials, environment or host data over the network',
    description:
      'A file reads credential stores (browser passwords/cookies, Discord tokens, crypto wallets, ~/.ssh, ~/.aws, .npmrc/.pypirc), walks the home folder and packs files into an archive, dumps the environment, or collects host identity (hostname, user, cwd), and also sends data over the network. Critical when it runs automatically; host identity alone counts only at install time.',
    references: [
      'https://github.com/DataDog/guarddog (exfiltrate-sensitive-data)',
      'https://medium.com/@alex.birsan/dependency-confusion-4a5d60fec610',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of pyFiles(ctx)) {
      const sends = file.facts.filter(
        (f) =>
          f.kind === 'network' &&
          !/(?:Session|Client|PoolManager|ServerProxy)$/.test(f.name) &&
          !LOOPBACK_TARGET.test(f.value ?? ''),
      );
      if (sends.length === 0) continue;
      const send = earliest(sends)!;
      const sensitive = file.facts.filter((f) => f.kind === 'sensitive');
      const envDump = file.facts.filter((f) => f.kind === 'env-dump');
      const installSends = sends.filter(
        (f) => f.position === 'install' || f.position === 'startup',
      );
      const identity = file.facts.filter(
        (f) =>
          f.kind === 'host-info' &&
          (IDENTITY.test(f.name) || f.position === 'install' || f.position === 'startup'),
      );
      let what: string | undefined;
      let evidence = '';
      let severity: Severity = 'high';
      const labels = [...new Set(sensitive.map((f) => f.name))];
      if (
        sensitive.length > 0 &&
        (labels.length >= 2 ||
          sends.some((s) => s.position !== 'call') ||
          labels.some((l) => STEALER_ONLY_STORES.has(l)))
      ) {
        what = `reads ${labels.slice(0, 4).join(', ')}`;
        evidence = sensitive
          .slice(0, 3)
          .map((f) => f.value ?? f.evidence)
          .join(' | ');
        if (send.position !== 'call' || labels.length >= 3) severity = 'critical';
      } else if (
        file.facts.some((f) => f.kind === 'home-walk') &&
        file.facts.some((f) => f.kind === 'archive')
      ) {
        // file harvesting: the home folder walked, files packed and sent
        const walk = file.facts.find((f) => f.kind === 'home-walk') as PyFact;
        what = `walks the home folder (line ${walk.line}), packs files into an archive`;
        evidence = walk.evidence;
        if (send.position !== 'call') severity = 'critical';
      } else if (envDump.length > 0) {
        what = 'serialises the whole environment (tokens and keys live there)';
        evidence = envDump[0].evidence;
        if (send.position !== 'call') severity = 'critical';
      } else if (identity.length > 0) {
        // install time: any host data sent while pip installs; import/run time: the same code
        // path reads who/where and sends it with an HTTP/DNS client (not just opens a socket)
        const atInstall =
          installSends.length > 0 ||
          identity.some((f) => f.position === 'install' || f.position === 'startup');
        const probe = identity
          .filter((i) => i.position === 'import' && IDENTITY.test(i.name))
          .map((i) =>
            sends.find(
              (s) => s.position === 'import' && s.scope === i.scope && !/^socket\./.test(s.name),
            ),
          )
          .find((s) => s !== undefined);
        // or, whenever it runs: the public IP looked up and sent on with host identity to a
        // third host (what dependency-confusion beacons report), not the lookup service itself
        const lookup = file.facts.find(
          (f) => f.kind === 'endpoint' && f.name === 'IP lookup service',
        );
        const beacon = lookup
          ? sends.find(
              (s) =>
                s.value !== undefined &&
                /^(?:https?:)?\/\//.test(s.value) &&
                !s.value.includes(lookup.value ?? '\0') &&
                identity.some((i) => i.scope === s.scope),
            )
          : undefined;
        if (!atInstall && !probe && !beacon) continue;
        const target = atInstall ? (installSends[0] ?? sends[0]) : ((probe ?? beacon) as PyFact);
        const position = atInstall ? 'install' : probe ? 'import' : target.position;
        const names = [...new Set(identity.map((f) => f.name))].slice(0, 4).join(', ');
        findings.push({
          rule: this.meta.id,
          severity: 'high',
          file: file.path,
          line: target.line,
          message: `This code collects host identity (${names}) and sends it with \`${target.name}\`${target.value ? ` to ${target.value}` : ''}; it ${whenItRuns(position)}. This is how dependency-confusion probes report their victims.`,
          evidence: identity[0].evidence,
        });
        continue;
      }
      if (!what) {
        // CI secret harvesting: credentials from the environment put into a request payload
        const harvest = envSecretHarvest(this.meta.id, file.path, file.facts, (p) =>
          whenItRuns(p as Parameters<typeof whenItRuns>[0]),
        );
        if (harvest) findings.push(harvest);
        continue;
      }
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: send.line,
        message: `This file ${what} and sends data with \`${send.name}\`${send.value ? ` to ${send.value}` : ''} (line ${send.line}); it ${whenItRuns(send.position)}.`,
        evidence: evidence.slice(0, 240),
      });
    }
    return findings;
  },
};
