import type { Finding } from '../../../types.js';
import type { Rule } from '../../rule.js';
import {
  commandDeclarations,
  declarationEvidence,
  describeDeclaration,
  pathDanger,
} from '../explain.js';
import { entryPointsOf } from '../cache.js';
import { commandStatus, describeOwners, packageNameOf } from '../ownership.js';

/** Python packages that install a system command or a top developer CLI they do not own. */
export const commandJackingRule: Rule = {
  meta: {
    id: 'entrypoint-command-jacking',
    severity: 'critical',
    ecosystems: ['pypi'],
    title: 'Console script takes the name of a system command or popular developer CLI',
    description:
      'The package installs a command (console_scripts, gui_scripts, [project.scripts], setup.py scripts, wheel data scripts) named like a system command or a top developer CLI (aws, docker, git, pip, kubectl, ls…) that it does not own. Environment bin directories come first on PATH, so the fake runs instead of the real tool.',
    references: ['https://packaging.python.org/en/latest/specifications/entry-points/'],
  },
  check(ctx) {
    const name = packageNameOf(ctx);
    const findings: Finding[] = [];
    for (const decl of commandDeclarations(entryPointsOf(ctx))) {
      const ep = decl.primary;
      const status = commandStatus(ctx.ecosystem, ep.name, name);
      if (!status.protectedAs || status.ownedByPackage) continue;
      const what = status.protectedAs === 'system' ? 'a system command' : 'a popular developer CLI';
      findings.push({
        rule: this.meta.id,
        severity: 'critical',
        file: ep.file,
        line: ep.line,
        message: `${describeDeclaration(decl)}: \`${ep.name}\` is ${what} and ${name ? `\`${name}\` is not among its owners` : 'the package name is unknown, so ownership cannot be granted'} (${describeOwners(status, ctx.ecosystem)}). ${pathDanger(ctx.ecosystem, ep.name)}`,
        evidence: declarationEvidence(ctx, ep),
      });
    }
    return findings;
  },
};
