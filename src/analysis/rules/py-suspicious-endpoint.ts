import type { Finding, Severity } from '../../types.js';
import type { Rule } from '../rule.js';
import { whenItRuns } from './shared/findings.js';
import { endpointIsStrong } from './shared/indicators.js';
import { earliest, pyFiles } from './shared/python.js';

/** Labels that are only a lead (recon), not a destination for stolen data. */
const WEAK = new Set(['IP lookup service', 'URL shortener']);

/**
 * Network code that talks to places legitimate libraries do not: Discord/Telegram/Slack
 * webhooks, paste sites, tunnels and request catchers, anonymous file hosts, raw IP addresses.
 */
export const pySuspiciousEndpoint: Rule = {
  meta: {
    id: 'py-suspicious-endpoint',
    severity: 'high',
    ecosystems: ['pypi'],
    title: 'Network code talks to a webhook, paste site, tunnel or raw IP',
    description:
      'A file that makes network requests (or runs commands) references a Discord/Telegram/Slack webhook, a paste site, a tunnel or request catcher (ngrok, pipedream, interactsh, burpcollaborator), an anonymous file host or a raw public IP address. These are where stolen data goes and where second stages come from. Critical when it runs automatically.',
    references: [
      'https://github.com/DataDog/guarddog (shady-links)',
      'https://github.com/NodeSecure/js-x-ray',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of pyFiles(ctx)) {
      const endpoints = file.facts.filter((f) => f.kind === 'endpoint');
      if (endpoints.length === 0) continue;
      const capability = file.facts.filter(
        (f) =>
          f.kind === 'network' ||
          f.kind === 'process' ||
          f.kind === 'download' ||
          (f.kind === 'exec' && f.origins?.includes('network')),
      );
      if (capability.length === 0) continue;
      const strong = endpoints.filter((e) => !WEAK.has(e.name) && endpointIsStrong(e));
      const lead = strong[0] ?? endpoints[0];
      const cap = earliest(capability)!;
      let severity: Severity = strong.length ? 'high' : 'medium';
      if (strong.length && cap.position !== 'call') severity = 'critical';
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: lead.line,
        message: `References a ${lead.name} (${lead.value ?? ''}) in a file that uses \`${cap.name}\` (line ${cap.line}); the network code ${whenItRuns(cap.position)}.`,
        evidence: lead.value ?? lead.evidence,
      });
    }
    return findings;
  },
};
