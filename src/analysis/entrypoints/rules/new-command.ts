import type { Ecosystem, Finding } from '../../../types.js';
import type { Rule } from '../../rule.js';
import { entryPointsOf } from '../cache.js';
import {
  COMMAND_KINDS,
  commandDeclarations,
  describeDeclaration,
  pathDanger,
  type CommandDeclaration,
} from '../explain.js';
import type { DeclaredEntryPoint } from '../extract.js';
import {
  commandKey,
  commandStatus,
  MAX_OWNERS_FOR_SHADOWING,
  packageNameOf,
} from '../ownership.js';

const RULE_ID = 'entrypoint-new-command';

/** Commands (console/gui/script/bin) in `current` whose name `previous` did not declare. */
export function newCommands(
  previous: DeclaredEntryPoint[],
  current: DeclaredEntryPoint[],
): DeclaredEntryPoint[] {
  const before = new Set(
    previous
      .filter((ep) => COMMAND_KINDS.has(ep.kind))
      .map((ep) => commandKey(ep.name).toLowerCase()),
  );
  const seen = new Set<string>();
  return current.filter((ep) => {
    const key = commandKey(ep.name).toLowerCase();
    if (!COMMAND_KINDS.has(ep.kind) || before.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * For a version bump: each command the new version adds, at medium. Commands that the
 * jacking/shadowing rules already flag are left to them.
 */
export function newCommandFindings(
  ecosystem: Ecosystem,
  packageName: string | undefined,
  previous: DeclaredEntryPoint[],
  current: DeclaredEntryPoint[],
  fromVersion?: string,
): Finding[] {
  return newCommands(previous, current)
    .filter((ep) => !flaggedElsewhere(ecosystem, ep.name, packageName))
    .map((ep) => ({
      rule: RULE_ID,
      severity: 'medium' as const,
      file: ep.file,
      line: ep.line,
      message: `${describeDeclaration({ primary: ep, others: [] })}, new in this version${fromVersion ? ` (not in ${fromVersion})` : ''}. A bump that starts installing a command deserves a look at what it runs: ${pathDanger(ecosystem, ep.name)}`,
      evidence: `${ep.name} = ${ep.target}`,
    }));
}

function flaggedElsewhere(
  ecosystem: Ecosystem,
  command: string,
  packageName: string | undefined,
): boolean {
  const status = commandStatus(ecosystem, command, packageName);
  if (status.ownedByPackage) return true;
  return (
    !!status.protectedAs ||
    (status.owners.length > 0 && status.owners.length <= MAX_OWNERS_FOR_SHADOWING)
  );
}

/** Every other command the package installs, shown as info so reviewers see it; never gating. */
export const newCommandRule: Rule = {
  meta: {
    id: RULE_ID,
    severity: 'medium',
    ecosystems: ['npm', 'pypi'],
    title: 'Package installs a command (new in a bump: medium; otherwise info)',
    description:
      'Lists the commands a package puts on PATH that no other rule flags. Commands added by a version bump are medium (the run stage compares the two versions with newCommands()); commands of a newly added package are info.',
    references: [],
  },
  check(ctx) {
    const name = packageNameOf(ctx);
    return commandDeclarations(entryPointsOf(ctx))
      .filter(
        (decl: CommandDeclaration) => !flaggedElsewhere(ctx.ecosystem, decl.primary.name, name),
      )
      .map((decl) => ({
        rule: RULE_ID,
        severity: 'info' as const,
        file: decl.primary.file,
        line: decl.primary.line,
        message: `${describeDeclaration(decl)}. The name belongs to no known popular package; shown for review only.`,
        evidence: `${decl.primary.name} = ${decl.primary.target}`,
      }));
  },
};
