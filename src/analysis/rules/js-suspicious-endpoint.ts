import { endpointIsStrong } from './shared/indicators.js';
import type { Finding, Severity } from '../../types.js';
import type { Rule } from '../rule.js';
import { earliestJs, jsFiles, jsWhenItRuns } from './shared/javascript.js';

const WEAK = new Set(['IP lookup service', 'URL shortener']);

/** JavaScript that talks to webhooks, paste sites, tunnels, request catchers or raw IPs. */
export const jsSuspiciousEndpoint: Rule = {
  meta: {
    id: 'js-suspicious-endpoint',
    severity: 'high',
    ecosystems: ['npm'],
    title: 'Network code talks to a webhook, paste site, tunnel or raw IP',
    description:
      'A file that makes network requests or runs commands references a Discord/Telegram/Slack webhook, a paste site, a tunnel or request catcher, an anonymous file host or a raw public IP. Critical when it runs at install time.',
    references: [
      'https://github.com/DataDog/guarddog (npm-shady-links)',
      'https://github.com/NodeSecure/js-x-ray (shady-link)',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of jsFiles(ctx)) {
      const endpoints = file.facts.filter(
        (f) => f.kind === 'endpoint' && !WEAK.has(f.name) && endpointIsStrong(f),
      );
      if (endpoints.length === 0) continue;
      const capability = file.facts.filter(
        (f) => f.kind === 'network' || f.kind === 'process' || f.kind === 'exec',
      );
      if (capability.length === 0) continue;
      const cap = earliestJs(capability)!;
      const lead = endpoints[0];
      const severity: Severity = cap.position === 'install' ? 'critical' : 'high';
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: lead.line,
        message: `References a ${lead.name} (${lead.value ?? ''}) in a file that uses \`${cap.name}\` (line ${cap.line}); it ${jsWhenItRuns(cap.position)}.`,
        evidence: lead.value ?? lead.evidence,
      });
    }
    return findings;
  },
};
