import type { Finding, Severity } from '../../types.js';
import type { Rule } from '../rule.js';
import { decodedEvidence, whenItRuns } from './shared/findings.js';
import { ofKind, pyFiles } from './shared/python.js';

/** Commands a build legitimately runs from setup.py. */
const BUILD_TOOL =
  /^\s*(?:\S*[/\\])?(?:git|make|cmake|gcc|g\+\+|cc|clang|pkg-config|swig|cython|protoc|pandoc|uname|which|nvcc|ninja|meson|cargo|rustc|go|npm|yarn|node|autoreconf|\.\/configure|sh\s+\.\/configure|bash\s+\.\/configure|ldconfig|xcrun|sw_vers|lsb_release|pg_config|mysql_config|sdl2-config|llvm-config|gfortran|f2py|qmake|moc|uic|rcc)\b/;

/**
 * Process creation while pip installs the package (setup.py top level, a cmdclass command, or
 * code they call; .pth start-up lines): installing should not run commands, and loaders use this
 * to start their payload.
 */
export const pyInstallProcess: Rule = {
  meta: {
    id: 'py-install-process',
    severity: 'high',
    ecosystems: ['pypi'],
    title: 'Starts a process at install time',
    description:
      'setup.py (top level or a cmdclass command) or a .pth file starts a process (subprocess, os.system, os.popen, os.exec*/spawn*, startfile). Critical when the command downloads, decodes or hides; medium for recognised build tools (git, make, compilers).',
    references: ['https://github.com/DataDog/guarddog (code-execution, cmd-overwrite)'],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of pyFiles(ctx)) {
      const installFacts = file.facts.filter(
        (f) => f.position === 'install' || f.position === 'startup',
      );
      const processes = installFacts.filter(
        (f) =>
          f.kind === 'process' ||
          (f.kind === 'dynamic-import' &&
            f.value === 'code loaded from a bundled archive or bytecode file'),
      );
      if (processes.length === 0) continue;
      const threat = installFacts.find(
        (f) =>
          f.kind === 'shell-download' ||
          f.kind === 'hidden' ||
          f.kind === 'download' ||
          f.kind === 'endpoint' ||
          f.kind === 'network' ||
          (f.kind === 'exec' && (f.origins?.length ?? 0) > 0) ||
          (f.kind === 'process' && (f.origins ?? []).some((o) => o !== 'file')),
      );
      for (const fact of processes) {
        const command = fact.value;
        let severity: Severity = 'high';
        let why = '';
        if (threat) {
          severity = 'critical';
          why = ` together with ${threatPhrase(threat.kind)} (line ${threat.line})`;
        } else if (command !== undefined && BUILD_TOOL.test(command)) {
          severity = 'medium';
        }
        findings.push({
          rule: this.meta.id,
          severity,
          file: file.path,
          line: fact.line,
          message: `\`${fact.name}\` starts a process that ${whenItRuns(fact.position)}${why}${fact.payloadDepth ? ', from inside a decoded payload' : ''}.`,
          evidence: command !== undefined ? `command: ${decodedEvidence(command)}` : fact.evidence,
        });
      }
      void ofKind;
    }
    return findings;
  },
};

function threatPhrase(kind: string): string {
  switch (kind) {
    case 'shell-download':
      return 'a download-and-run command';
    case 'hidden':
      return 'a hidden/detached process';
    case 'download':
    case 'network':
      return 'network access';
    case 'endpoint':
      return 'a suspicious endpoint';
    default:
      return 'decoded or downloaded content';
  }
}
