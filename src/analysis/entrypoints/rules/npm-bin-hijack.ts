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

/**
 * npm bins that hijack node_modules/.bin: a dependency shipping `tsc`, `eslint`, `jest`, `node`
 * or `git` replaces the tool in every `npm run` script of the project that installs it.
 */
export const npmBinHijackRule: Rule = {
  meta: {
    id: 'entrypoint-npm-bin-hijack',
    severity: 'critical',
    ecosystems: ['npm'],
    title: 'npm bin takes the name of a system command, developer CLI or another package’s bin',
    description:
      'The package declares a bin (string or map form, or directories.bin) named like a system command or popular developer CLI (critical), or like the bin of another popular npm package (high), without owning it. node_modules/.bin is first on PATH for every npm script.',
    references: ['https://docs.npmjs.com/cli/configuring-npm/package-json#bin'],
  },
  check(ctx) {
    const name = packageNameOf(ctx);
    const findings: Finding[] = [];
    for (const decl of commandDeclarations(entryPointsOf(ctx))) {
      const ep = decl.primary;
      const status = commandStatus(ctx.ecosystem, ep.name, name);
      if (status.ownedByPackage) continue;
      let severity: 'critical' | 'high';
      let what: string;
      if (status.protectedAs) {
        severity = 'critical';
        what = status.protectedAs === 'system' ? 'a system command' : 'a popular developer CLI';
      } else if (status.owners.length > 0 && status.owners.length <= MAX_OWNERS_FOR_SHADOWING) {
        severity = 'high';
        what = "another popular package's bin";
      } else continue;
      findings.push({
        rule: this.meta.id,
        severity,
        file: ep.file,
        line: ep.line,
        message: `${describeDeclaration(decl)}: \`${ep.name}\` is ${what} and ${name ? `\`${name}\` does not own it` : 'the package name is unknown'} (${describeOwners(status, ctx.ecosystem)}). ${pathDanger(ctx.ecosystem, ep.name)}`,
        evidence: declarationEvidence(ctx, ep),
      });
    }
    return findings;
  },
};
