import type { Finding } from '../../../types.js';
import { snippet } from '../../context.js';
import type { Rule } from '../../rule.js';
import { entryPointsOf } from '../cache.js';
import { commandDeclarations, describeDeclaration, pathDanger } from '../explain.js';
import {
  followNpmBin,
  followPythonEntryPoint,
  type Behaviour,
  type BehaviourKind,
} from '../follow.js';
import { commandStatus, describeOwners, packageNameOf } from '../ownership.js';

/** What turns a wrapper into a payload carrier; `process` alone is what a wrapper is for. */
const PAYLOAD: BehaviourKind[] = [
  'network',
  'credentials',
  'environment',
  'file-write',
  'background',
  'persistence',
  'exec-decoded',
];

const LABEL: Record<BehaviourKind, string> = {
  'runs-same-command': 'runs the real command',
  'path-lookup': 'looks the command up on PATH',
  network: 'talks to the network',
  credentials: 'reads credentials',
  environment: 'reads the environment or host identity',
  'file-write': 'writes files outside the package',
  background: 'starts a hidden or background process',
  process: 'starts a process',
  'exec-decoded': 'executes decoded or downloaded code',
  persistence: 'installs persistence',
};

/**
 * A command that runs the real tool of the same name (so the user sees the expected output) and
 * also does something else: the classic wrapper that hides a payload behind working behaviour.
 */
export const commandWrappingRule: Rule = {
  meta: {
    id: 'entrypoint-command-wrapping',
    severity: 'critical',
    ecosystems: ['npm', 'pypi'],
    title: 'Command wraps the real tool of the same name and runs a payload',
    description:
      'The code behind a console script or npm bin runs the command of the same name (subprocess/os.exec*/shutil.which/PATH lookups, child_process/execa) and also reaches the network, reads credentials or the environment, writes outside the package or starts a background process.',
    references: [],
  },
  check(ctx) {
    const name = packageNameOf(ctx);
    const findings: Finding[] = [];
    for (const decl of commandDeclarations(entryPointsOf(ctx))) {
      const ep = decl.primary;
      const target =
        ep.kind === 'npm-bin'
          ? followNpmBin(ctx, ep)
          : ep.kind === 'console' || ep.kind === 'gui'
            ? followPythonEntryPoint(ctx, ep)
            : undefined;
      if (!target) continue;
      const wraps =
        target.behaviours.find((b) => b.kind === 'runs-same-command') ??
        (target.behaviours.some((b) => b.kind === 'process')
          ? target.behaviours.find((b) => b.kind === 'path-lookup')
          : undefined);
      const payload = target.behaviours.filter((b) => PAYLOAD.includes(b.kind));
      if (!wraps || payload.length === 0) continue;
      const status = commandStatus(ctx.ecosystem, ep.name, name);
      // wrapping needs a real tool to impersonate: the owner dispatching its own subcommands
      // (`jupyter` → `jupyter-lab`) or a name nobody else ships is not one
      if (status.ownedByPackage) continue;
      if (!status.protectedAs && status.owners.length === 0 && status.otherOwners.length === 0)
        continue;
      const cite = (b: Behaviour) =>
        `${LABEL[b.kind]} at ${b.file}:${b.line} (\`${snippet(b.evidence, 80)}\`)`;
      const kinds = [...new Set(payload.map((b) => b.kind))];
      const payloadCites = kinds.map((k) => cite(payload.find((b) => b.kind === k) as Behaviour));
      findings.push({
        rule: this.meta.id,
        severity: 'critical',
        file: wraps.file,
        line: wraps.line,
        message: `${describeDeclaration(decl)}; its code ${cite(wraps)} and also ${payloadCites.join('; ')}. A wrapper that passes through to the real \`${ep.name}\` looks normal to its user while the rest runs on every call (${describeOwners(status, ctx.ecosystem)}). ${pathDanger(ctx.ecosystem, ep.name)}`,
        evidence: snippet(`${wraps.evidence} … ${payload[0].evidence}`),
      });
    }
    return findings;
  },
};
