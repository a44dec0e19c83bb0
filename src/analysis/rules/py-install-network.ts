import type { Finding } from '../../types.js';
import type { Rule } from '../rule.js';
import { whenItRuns } from './shared/findings.js';
import { pyFiles } from './shared/python.js';

/**
 * Network access while pip installs the package. Installing should only copy files; a request
 * from setup.py is a beacon or a second-stage fetch unless it is a documented build download.
 */
export const pyInstallNetwork: Rule = {
  meta: {
    id: 'py-install-network',
    severity: 'medium',
    ecosystems: ['pypi'],
    title: 'Network access at install time',
    description:
      'setup.py (top level or a cmdclass command) or a .pth file makes a network request. Medium alone (some builds download sources); other rules raise it when the request carries host data, fetches code to run, or targets a suspicious endpoint.',
    references: ['https://github.com/DataDog/guarddog (code-execution)'],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of pyFiles(ctx)) {
      const net = file.facts.find(
        (f) => f.kind === 'network' && (f.position === 'install' || f.position === 'startup'),
      );
      if (!net) continue;
      findings.push({
        rule: this.meta.id,
        severity: 'medium',
        file: file.path,
        line: net.line,
        message: `\`${net.name}\` makes a network request that ${whenItRuns(net.position)}.`,
        evidence: net.value ? `URL: ${net.value}` : net.evidence,
      });
    }
    return findings;
  },
};
