import type { Finding, Severity } from '../../types.js';
import type { AnalysisContext } from '../context.js';
import { analyzeJavaScriptSource } from '../javascript/facts.js';
import { jsPackageFacts, type LifecycleScript } from '../javascript/package.js';
import type { Rule } from '../rule.js';
import { snippet } from '../context.js';
import {
  DOWNLOAD_AND_RUN_SHELL,
  HIDDEN_SHELL,
  matchIndicator,
  REVERSE_SHELL,
  SUSPICIOUS_ENDPOINTS,
} from './shared/indicators.js';

/** Install scripts that build or fetch a native addon the usual way. */
const ROUTINE =
  /^\s*(?:node-gyp(?:-build)?\s+rebuild|node-gyp-build(?:-optional)?|prebuild-install(?:\s+\|\|\s+node-gyp\s+rebuild)?|node-pre-gyp\s+install\b.*|husky(?:\s+install)?|patch-package|opencollective(?:-postinstall)?|npx\s+only-allow\s+\S+|is-ci\s*\|\|\s*husky.*|echo\b[^|;&]*|exit\s+0|true)\s*$/;

const SHELL_NETWORK = /\b(?:curl|wget|nslookup|dig|ping|nc|ncat|telnet|Invoke-WebRequest|iwr)\b/;
const SHELL_IDENTITY =
  /\$\((?:whoami|hostname|id|pwd|uname[^)]*)\)|`(?:whoami|hostname|id|pwd|uname[^`]*)`|\$(?:USER|HOME|HOSTNAME|PWD)\b|\$\{(?:USER|HOME|HOSTNAME|PWD)\}|%USERNAME%|%COMPUTERNAME%/;

/**
 * npm lifecycle scripts (`preinstall`, `install`, `postinstall`) run on every `npm install` of the
 * package. Severity follows what they do: routine native builds are low; shell download-and-run,
 * reverse shells, inline encoded payloads and probes that send host data are critical; a script
 * file that reaches the network or spawns processes is reported with what it does (its code is
 * also checked by the js-* rules as install-time code).
 */
export const npmInstallScript: Rule = {
  meta: {
    id: 'npm-install-script',
    severity: 'high',
    ecosystems: ['npm'],
    title: 'npm install-time script',
    description:
      'package.json declares a preinstall/install/postinstall script. Low for routine native builds (node-gyp, prebuild-install); medium for scripts that download or whose file is missing; high/critical for curl|sh, piping output into an interpreter, /dev/tcp, inline node -e payloads, shell probes sending host data, or script files that combine process spawning, network access and secrets.',
    references: [
      'https://docs.npmjs.com/cli/using-npm/scripts#life-cycle-scripts',
      'https://github.com/DataDog/guarddog (npm-install-script)',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    const pkg = jsPackageFacts(ctx);
    const byPath = new Map(pkg.files.map((f) => [f.path, f]));
    for (const script of pkg.scripts) {
      const verdict = judge(ctx, script, byPath);
      findings.push({
        rule: this.meta.id,
        severity: verdict.severity,
        file: script.manifest,
        line: script.line,
        message: `The \`${script.hook}\` script runs on every install: ${verdict.why}.`,
        evidence: snippet(
          `"${script.hook}": ${JSON.stringify(script.command)}${verdict.evidence ? ` → ${verdict.evidence}` : ''}`,
          240,
        ),
      });
    }
    return findings;
  },
};

interface Verdict {
  severity: Severity;
  why: string;
  evidence?: string;
}

function judge(
  ctx: AnalysisContext,
  script: LifecycleScript,
  byPath: Map<
    string,
    {
      facts: { kind: string; name: string; value?: string; evidence: string; origins?: string[] }[];
    }
  >,
): Verdict {
  const command = script.command;
  if (REVERSE_SHELL.test(command) || /\/dev\/(?:tcp|udp)\//.test(command)) {
    return {
      severity: 'critical',
      why: 'it opens a raw network connection from the shell (/dev/tcp or a reverse shell)',
    };
  }
  if (DOWNLOAD_AND_RUN_SHELL.test(command))
    return { severity: 'critical', why: 'it downloads code and runs it' };
  if (/\|\s*(?:node|sh|bash|zsh|python[\d.]*|perl)\b\s*(?:$|[;&|])/.test(command)) {
    return {
      severity: 'critical',
      why: 'it pipes generated output into an interpreter, so what runs is not visible in the package',
    };
  }
  const endpoint = matchIndicator(command, SUSPICIOUS_ENDPOINTS);
  if (endpoint)
    return {
      severity: 'critical',
      why: `it contacts a ${endpoint.label}`,
      evidence: endpoint.match,
    };
  if (SHELL_NETWORK.test(command) && SHELL_IDENTITY.test(command)) {
    return {
      severity: 'critical',
      why: 'it sends the user, host name or working directory over the network (a dependency-confusion probe)',
    };
  }
  const inline = /\b(?:node|nodejs)\s+(?:-e|--eval|-p|--print)\s+(['"])([\s\S]*)\1/.exec(command);
  if (inline) {
    const facts = analyzeJavaScriptSource(script.manifest, inline[2], () => 'install').facts;
    const threat = facts.find(
      (f) =>
        (f.kind === 'exec' && (f.origins?.length ?? 0) > 0) ||
        f.kind === 'env-dump' ||
        f.kind === 'shell-download' ||
        f.kind === 'endpoint' ||
        f.kind === 'sensitive',
    );
    if (threat)
      return {
        severity: 'critical',
        why: `its inline code ${describe(threat.kind)}`,
        evidence: threat.value ?? threat.evidence,
      };
    if (facts.some((f) => f.kind === 'network' || f.kind === 'process' || f.kind === 'exec')) {
      return {
        severity: 'high',
        why: 'its inline code reaches the network, spawns processes or evaluates code',
      };
    }
    return { severity: 'medium', why: 'it runs inline JavaScript' };
  }
  if (HIDDEN_SHELL.test(command) || /&\s*$/.test(command.trim())) {
    return {
      severity: 'high',
      why: 'it starts a background or hidden process that outlives the install',
    };
  }
  if (SHELL_NETWORK.test(command))
    return { severity: 'medium', why: 'it makes network requests from the shell' };
  // script files: what do they do at install time?
  // the files the script runs and everything they require: the whole install-time closure
  const closure = new Set([...script.files, ...jsPackageFacts(ctx).installFiles]);
  const facts = [...closure].flatMap((f) => byPath.get(f)?.facts ?? []);
  const threat = facts.find(
    (f) =>
      (f.kind === 'exec' && (f.origins?.length ?? 0) > 0) ||
      f.kind === 'env-dump' ||
      f.kind === 'shell-download' ||
      (f.kind === 'endpoint' && !/IP lookup|shortener/.test(f.name)) ||
      f.kind === 'hidden' ||
      f.kind === 'persistence' ||
      f.kind === 'obfuscation',
  );
  if (threat)
    return {
      severity: 'high',
      why: `the file it runs ${describe(threat.kind)}`,
      evidence: threat.value ?? threat.evidence,
    };
  const network = facts.some((f) => f.kind === 'network');
  const process = facts.some((f) => f.kind === 'process');
  const identity = facts.some(
    (f) => f.kind === 'host-info' && /hostname|userInfo|USER|COMPUTERNAME/.test(f.name),
  );
  const sensitive = facts.some((f) => f.kind === 'sensitive');
  if (sensitive && facts.filter((f) => f.kind === 'sensitive').length >= 2) {
    return { severity: 'high', why: 'the code it runs reads credential or token stores' };
  }
  if (network && (identity || sensitive)) {
    return {
      severity: 'high',
      why: 'the file it runs collects host or credential data and reaches the network',
    };
  }
  if (script.missing.length && script.files.length === 0) {
    return {
      severity: 'medium',
      why: `it runs ${script.missing.join(', ')}, which is not in the package (generated or fetched at install)`,
    };
  }
  if (network && process)
    return {
      severity: 'medium',
      why: 'the file it runs reaches the network and spawns processes (typically downloading a platform binary)',
    };
  if (network) return { severity: 'medium', why: 'the file it runs downloads content' };
  if (process) return { severity: 'low', why: 'the file it runs spawns processes' };
  if (ROUTINE.test(command))
    return { severity: 'low', why: 'it runs a routine native-addon build step' };
  void ctx;
  return { severity: 'low', why: 'it runs code at install time' };
}

function describe(kind: string): string {
  switch (kind) {
    case 'exec':
      return 'evaluates decoded or downloaded code';
    case 'env-dump':
      return 'serialises the environment';
    case 'shell-download':
      return 'runs a download-and-run command';
    case 'endpoint':
      return 'talks to a webhook, paste site, tunnel or raw IP';
    case 'sensitive':
      return 'reads credential stores';
    case 'hidden':
      return 'starts a hidden or detached process';
    case 'persistence':
      return 'writes to a start-up location (persistence)';
    case 'obfuscation':
      return 'is obfuscated';
    default:
      return 'does something suspicious';
  }
}
