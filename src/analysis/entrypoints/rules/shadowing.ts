import type { Finding } from '../../../types.js';
import type { Rule } from '../../rule.js';
import { entryPointsOf } from '../cache.js';
import {
  commandDeclarations,
  declarationEvidence,
  describeDeclaration,
  pathDanger,
} from '../explain.js';
import {
  commandStatus,
  describeOwners,
  MAX_OWNERS_FOR_SHADOWING,
  packageNameOf,
} from '../ownership.js';

/** Python packages that install a command another popular package provides. */
export const shadowingRule: Rule = {
  meta: {
    id: 'entrypoint-shadowing',
    severity: 'high',
    ecosystems: ['pypi'],
    title: "Console script shadows another popular package's command",
    description:
      'The package installs a command that a popular PyPI distribution provides (per the generated owner map) without being one of its owners. Whichever is installed last wins the name, so the real tool silently stops running.',
    references: [],
  },
  check(ctx) {
    const name = packageNameOf(ctx);
    const findings: Finding[] = [];
    for (const decl of commandDeclarations(entryPointsOf(ctx))) {
      const ep = decl.primary;
      const status = commandStatus(ctx.ecosystem, ep.name, name);
      if (status.protectedAs || status.ownedByPackage) continue;
      if (status.owners.length === 0 || status.owners.length > MAX_OWNERS_FOR_SHADOWING) continue;
      findings.push({
        rule: this.meta.id,
        severity: 'high',
        file: ep.file,
        line: ep.line,
        message: `${describeDeclaration(decl)}, a command that another popular package provides (${describeOwners(status, ctx.ecosystem)}). ${pathDanger(ctx.ecosystem, ep.name)}`,
        evidence: declarationEvidence(ctx, ep),
      });
    }
    return findings;
  },
};
