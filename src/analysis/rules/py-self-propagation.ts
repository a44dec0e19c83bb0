import type { Finding, Severity } from '../../types.js';
import type { Rule } from '../rule.js';
import { whenItRuns } from './shared/findings.js';
import { earliest, pyFiles } from './shared/python.js';

const PUBLISH =
  /\btwine(?:\.exe)?\s+upload\b|-m\s+twine\s+upload\b|\bsetup\.py\b[^\n]*\bupload\b|\b(?:uv|poetry|flit|hatch|pdm)\s+publish\b|\bnpm\s+publish\b/;
const UPLOAD_ENDPOINT =
  /upload\.pypi\.org\/legacy|test\.pypi\.org\/legacy|registry\.npmjs\.org\/-\/npm\/v1\/tokens/;
const TOKEN =
  /\.pypirc|PYPI_(?:API_)?TOKEN|TWINE_(?:PASSWORD|USERNAME)|\bpypi-AgE|NPM_TOKEN|\.npmrc|_authToken/;

/**
 * The PyPI side of worm behaviour: code that uploads packages (twine upload, `uv publish`,
 * a POST to upload.pypi.org) with the tokens it finds in ~/.pypirc or the environment. Release
 * scripts do this when a maintainer asks; a dependency that does it on install or import is
 * spreading itself.
 */
export const pySelfPropagation: Rule = {
  meta: {
    id: 'py-self-propagation',
    severity: 'critical',
    ecosystems: ['pypi'],
    title: 'Publishes packages (self-propagation with stolen tokens)',
    description:
      'Python code runs `twine upload` / `uv|poetry|flit|hatch publish` / `npm publish`, or posts to the PyPI upload API, at install, start-up or import time: the worm pattern that republishes a victim’s packages with a payload. Critical when automatic; when only called, medium if the file also reads publishing tokens (~/.pypirc, PYPI_TOKEN, TWINE_PASSWORD, .npmrc) and low otherwise.',
    references: [
      'https://www.cisa.gov/news-events/alerts/2025/09/23/widespread-supply-chain-compromise-impacting-npm-ecosystem',
      'https://twine.readthedocs.io/en/stable/#twine-upload',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of pyFiles(ctx)) {
      const publish = file.facts.filter(
        (f) =>
          (f.kind === 'process' && PUBLISH.test(f.value ?? f.evidence)) ||
          (f.kind === 'network' && UPLOAD_ENDPOINT.test(f.value ?? '')),
      );
      if (publish.length === 0) continue;
      const lead = earliest(publish)!;
      const tokens = TOKEN.test(ctx.text(file.path) ?? '');
      const severity: Severity = lead.position !== 'call' ? 'critical' : tokens ? 'medium' : 'low';
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: lead.line,
        message: `This code publishes packages (\`${lead.value ?? lead.name}\`)${tokens ? ' and reads publishing tokens' : ''}; it ${whenItRuns(lead.position)}.`,
        evidence: lead.value ?? lead.evidence,
      });
    }
    return findings;
  },
};
