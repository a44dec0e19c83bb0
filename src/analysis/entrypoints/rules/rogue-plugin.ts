import type { Finding, Severity } from '../../../types.js';
import { snippet } from '../../context.js';
import type { Rule } from '../../rule.js';
import { entryPointsOf } from '../cache.js';
import { declarationEvidence, where } from '../explain.js';
import { followPythonEntryPoint, type Behaviour, type BehaviourKind } from '../follow.js';
import { normalizePypiName } from '../names.js';
import { autoloadedBy, packageNameOf } from '../ownership.js';

const LABEL: Partial<Record<BehaviourKind, string>> = {
  network: 'network access',
  credentials: 'credential reads',
  environment: 'environment/host reads',
  'file-write': 'writes outside the package',
  background: 'hidden/background processes',
  process: 'process creation',
  'exec-decoded': 'execution of decoded or downloaded code',
  persistence: 'persistence',
};

/**
 * Severity of a plugin's behaviours: it runs inside the developer's tools (pytest, flake8,
 * setuptools, Sphinx, Jupyter…) with their access, so a loader or an exfiltration is critical and
 * a single capability that plugins rarely need is high; network or a process alone stay medium,
 * since documentation and test plugins legitimately fetch or spawn.
 */
export function pluginSeverity(kinds: Set<BehaviourKind>): Severity | undefined {
  const leaks = kinds.has('credentials') || kinds.has('environment');
  if (kinds.has('exec-decoded') || kinds.has('persistence')) return 'critical';
  if (kinds.has('network') && (leaks || kinds.has('background'))) return 'critical';
  if (kinds.has('credentials') || kinds.has('background')) return 'high';
  if (kinds.has('network') && (kinds.has('process') || kinds.has('file-write'))) return 'high';
  if (kinds.has('network') || kinds.has('process') || kinds.has('file-write')) return 'medium';
  return undefined;
}

/** The tool a group belongs to by naming convention: `virtualenv.seed` → virtualenv. */
function groupTool(group: string): string {
  return normalizePypiName(group.split(/[._]/)[0] ?? group);
}

export const roguePluginRule: Rule = {
  meta: {
    id: 'entrypoint-rogue-plugin',
    severity: 'high',
    ecosystems: ['pypi'],
    title: 'Auto-loaded plugin entry point runs suspicious code',
    description:
      'The package registers an entry point in a group that tools load by themselves (pytest11, flake8.extension, setuptools hooks, sphinx.*, jupyter_*, mkdocs.plugins…; list in data/commands/autoload-groups.json) and the target module does network, process, credential or decoded-code things. Installing the package is enough for the tool to run it.',
    references: [
      'https://docs.pytest.org/en/stable/how-to/writing_plugins.html#setuptools-entry-points',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    const done = new Set<string>();
    const own = packageNameOf(ctx);
    for (const ep of entryPointsOf(ctx)) {
      if (ep.kind !== 'plugin') continue;
      const loadedBy = autoloadedBy(ep.group);
      // A tool registering its own built-ins in its own group (virtualenv in virtualenv.seed) loads
      // nothing foreign into itself.
      if (!loadedBy || (own && groupTool(ep.group) === normalizePypiName(own))) continue;
      const key = `${ep.group}\u0000${ep.target}`;
      if (done.has(key)) continue;
      done.add(key);
      const target = followPythonEntryPoint(ctx, ep, true);
      if (!target) continue;
      const relevant = target.behaviours.filter((b) => LABEL[b.kind]);
      const kinds = new Set(relevant.map((b) => b.kind));
      const severity = pluginSeverity(kinds);
      if (!severity) continue;
      const first = (k: BehaviourKind) => relevant.find((b) => b.kind === k) as Behaviour;
      const cites = [...kinds].map(
        (k) =>
          `${LABEL[k]} at ${first(k).file}:${first(k).line} (\`${snippet(first(k).evidence, 80)}\`)`,
      );
      findings.push({
        rule: this.meta.id,
        severity,
        file: ep.file,
        line: ep.line,
        message: `Plugin \`${ep.name}\` in group \`${ep.group}\` (declared at ${where(ep)} → \`${ep.target}\`) is loaded automatically by ${loadedBy}; its module ${target.file} has ${cites.join('; ')}. Installing the package is enough: the tool imports the plugin inside the developer's or CI's session, with its files and tokens.`,
        evidence: snippet(`${declarationEvidence(ctx, ep)} → ${relevant[0].evidence}`),
      });
    }
    return findings;
  },
};
