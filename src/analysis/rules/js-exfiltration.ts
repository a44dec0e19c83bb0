import type { Finding, Severity } from '../../types.js';
import type { Rule } from '../rule.js';
import { LOOPBACK_TARGET, STEALER_ONLY_STORES } from './shared/indicators.js';
import { envSecretHarvest } from './shared/secrets.js';
import { earliestJs, jsFiles, jsWhenItRuns } from './shared/javascript.js';

const IDENTITY =
  /^os\.(?:hostname|userInfo)$|^process\.env\.(?:USER|USERNAME|COMPUTERNAME|USERDOMAIN|HOSTNAME|LOGNAME)$/;

/**
 * Secrets or host identity read and sent in the same file: `JSON.stringify(process.env)` posted
 * to a server, browser/Discord/wallet stores read and uploaded, dependency-confusion probes that
 * report hostname and user from an install script.
 */
export const jsExfiltration: Rule = {
  meta: {
    id: 'js-exfiltration',
    severity: 'high',
    ecosystems: ['npm'],
    title: 'Sends environment, credentials or host data over the network',
    description:
      'A file serialises process.env, reads credential stores (browser profiles, Discord tokens, wallets, ~/.ssh, ~/.aws, ~/.npmrc) or collects host identity, and sends data over the network (http/https/net/dns, fetch, axios, curl). Critical at install time; host identity alone counts at install time only.',
    references: [
      'https://github.com/DataDog/guarddog (npm-exfiltrate-sensitive-data)',
      'https://github.com/NodeSecure/js-x-ray',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of jsFiles(ctx)) {
      const sends = file.facts.filter(
        (f) => f.kind === 'network' && !LOOPBACK_TARGET.test(f.value ?? ''),
      );
      if (sends.length === 0) continue;
      const send = earliestJs(sends)!;
      const envDump = file.facts.filter((f) => f.kind === 'env-dump');
      const sensitive = file.facts.filter((f) => f.kind === 'sensitive');
      const labels = [...new Set(sensitive.map((f) => f.name))];
      const identity = file.facts.filter((f) => f.kind === 'host-info' && IDENTITY.test(f.name));
      const automatic = send.position !== 'call';
      let what: string | undefined;
      let evidence = '';
      let severity: Severity = 'high';
      if (envDump.length) {
        what = 'serialises the whole environment (tokens and keys live there)';
        evidence = envDump[0].evidence;
        severity = automatic ? 'critical' : 'high';
      } else if (
        labels.length >= 2 ||
        (labels.length === 1 && (automatic || STEALER_ONLY_STORES.has(labels[0])))
      ) {
        what = `reads ${labels.join(', ')}`;
        evidence = sensitive
          .slice(0, 3)
          .map((f) => f.value ?? f.evidence)
          .join(' | ');
        severity = send.position === 'install' ? 'critical' : 'high';
      } else if (identity.length && send.position === 'install') {
        what = `collects host identity (${[...new Set(identity.map((f) => f.name))].join(', ')})`;
        evidence = identity[0].evidence;
      }
      if (!what) {
        // CI secret harvesting: credentials from the environment put into a request payload
        const harvest = envSecretHarvest(this.meta.id, file.path, file.facts, (p) =>
          jsWhenItRuns(p as Parameters<typeof jsWhenItRuns>[0]),
        );
        if (harvest) findings.push(harvest);
        continue;
      }
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: send.line,
        message: `This file ${what} and sends data with \`${send.name}\`${send.value ? ` to ${send.value}` : ''}; it ${jsWhenItRuns(send.position)}.`,
        evidence: evidence.slice(0, 240),
      });
    }
    return findings;
  },
};
