import type { Finding } from '../../types.js';
import type { Rule } from '../rule.js';
import { codeFiles, isAutomatic, leading, runsWhen, sends } from './shared/code.js';

/**
 * Protestware: code that checks the user's country (locale, time zone, IP geolocation) and then
 * deletes or overwrites files (node-ipc, peacenotwar). The gate alone is low.
 */
export const codeProtestware: Rule = {
  meta: {
    id: 'code-protestware',
    severity: 'high',
    ecosystems: ['npm', 'pypi'],
    title: 'Deletes or overwrites files depending on the user’s country',
    description:
      'A file reads the locale, time zone or IP geolocation, compares it with particular countries, languages or time zones, and deletes or writes files. High; critical at install/import time. A country check without a destructive action is low.',
    references: [
      'https://snyk.io/blog/peacenotwar-malicious-npm-node-ipc-package-vulnerability/',
      'https://github.com/NodeSecure/js-x-ray',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of codeFiles(ctx)) {
      const countries = file.facts.filter(
        (f) => f.kind === 'locale' && f.name.startsWith('compares'),
      );
      if (countries.length === 0) continue;
      const sources = file.facts.filter(
        (f) =>
          (f.kind === 'locale' && !f.name.startsWith('compares')) ||
          (f.kind === 'endpoint' && f.name === 'IP lookup service'),
      );
      const geo = sources.length > 0 || sends(file).length > 0;
      if (!geo) continue;
      const harm = file.facts.filter((f) => f.kind === 'destroy' || f.kind === 'file-write');
      const lead = leading(countries)!;
      const act = leading(harm);
      findings.push({
        rule: this.meta.id,
        severity: act ? (isAutomatic(act) ? 'critical' : 'high') : 'low',
        file: file.path,
        line: lead.line,
        message: act
          ? `Checks the user's country or time zone (${lead.value ?? lead.evidence}) and ${act.kind === 'destroy' ? 'deletes' : 'writes'} files (line ${act.line}); it ${runsWhen(ctx, act.position)}.`
          : `Checks the user's country or time zone (${lead.value ?? lead.evidence}).`,
        evidence: lead.value ?? lead.evidence,
      });
    }
    return findings;
  },
};
