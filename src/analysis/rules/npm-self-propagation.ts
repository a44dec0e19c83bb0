import type { Finding, Severity } from '../../types.js';
import type { Rule } from '../rule.js';
import { jsPackageFacts } from '../javascript/package.js';
import { jsFiles, jsWhenItRuns } from './shared/javascript.js';

const TOKEN = /NPM_TOKEN|NODE_AUTH_TOKEN|_authToken|\.npmrc/;
const PUBLISH = /\bnpm\s+publish\b|\byarn\s+(?:npm\s+)?publish\b/;

/**
 * Worm behaviour (Shai-Hulud, 2025): a package that publishes packages with the tokens it finds,
 * spreading into everything its victim maintains. Publishing tools do this when called; a
 * package that does it on install or load, or that reads tokens to do it, does not belong in a
 * dependency tree.
 */
export const npmSelfPropagation: Rule = {
  meta: {
    id: 'npm-self-propagation',
    severity: 'critical',
    ecosystems: ['npm'],
    title: 'Publishes packages (self-propagation with stolen tokens)',
    description:
      'Code runs `npm publish` (or calls the registry token API) at install or load time, or a lifecycle script publishes: the worm pattern that republishes a victim’s packages with a payload. Critical when automatic; when only called, medium with token access (release tools do this) and low otherwise.',
    references: [
      'https://www.cisa.gov/news-events/alerts/2025/09/23/widespread-supply-chain-compromise-impacting-npm-ecosystem',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const script of jsPackageFacts(ctx).scripts) {
      if (!PUBLISH.test(script.command)) continue;
      findings.push({
        rule: this.meta.id,
        severity: 'critical',
        file: script.manifest,
        line: script.line,
        message: `The \`${script.hook}\` script publishes a package while this one is being installed.`,
        evidence: script.command,
      });
    }
    for (const file of jsFiles(ctx)) {
      const publish = file.facts.filter((f) => f.kind === 'publish');
      if (publish.length === 0) continue;
      const text = ctx.text(file.path) ?? '';
      const tokens = TOKEN.test(text);
      const lead = publish.find((f) => f.position !== 'call') ?? publish[0];
      const automatic = lead.position !== 'call';
      const severity: Severity = automatic ? 'critical' : tokens ? 'medium' : 'low';
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: lead.line,
        message: `This code ${lead.name}${tokens ? ' and reads npm tokens' : ''}; it ${jsWhenItRuns(lead.position)}.`,
        evidence: lead.value ?? lead.evidence,
      });
    }
    return findings;
  },
};
