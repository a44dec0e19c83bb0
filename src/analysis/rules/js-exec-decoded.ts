import type { Finding } from '../../types.js';
import type { Rule } from '../rule.js';
import { decodedEvidence } from './shared/findings.js';
import { jsFiles, jsWhenItRuns } from './shared/javascript.js';

/**
 * eval/Function/vm of content that was decoded (base64, hex, char codes) or received over the
 * network: a loader. Bundlers and template engines compile code they generate, never code they
 * decode from a blob or download.
 */
export const jsExecDecoded: Rule = {
  meta: {
    id: 'js-exec-decoded',
    severity: 'critical',
    ecosystems: ['npm'],
    title: 'Executes decoded or downloaded JavaScript',
    description:
      'eval, Function, vm.runIn*Context or module._compile runs a string decoded from base64/hex/char codes (Buffer.from, atob, String.fromCharCode) or received from the network (http(s).get callbacks, fetch, axios, socket and WebSocket messages, DNS answers); or child_process runs a command received from the network (a remote shell).',
    references: [
      'https://github.com/NodeSecure/js-x-ray (encoded-literal, unsafe-stmt)',
      'https://github.com/DataDog/guarddog (npm-exec-base64)',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of jsFiles(ctx)) {
      for (const fact of file.facts) {
        const origins = fact.origins ?? [];
        // a shell command that arrived over the network (socket message, DNS TXT record, HTTP
        // body) is remote control of the machine, like eval of downloaded code
        const remoteCommand = fact.kind === 'process' && origins.includes('network');
        if (fact.kind !== 'exec' && !remoteCommand) continue;
        if (origins.length === 0) continue;
        const network = origins.includes('network');
        findings.push({
          rule: this.meta.id,
          severity: 'critical',
          file: file.path,
          line: fact.line,
          message: `\`${fact.name}\` ${remoteCommand ? 'runs a command' : 'executes code'} ${network ? 'received from the network' : 'that was decoded'}; it ${jsWhenItRuns(fact.position)}${fact.payloadDepth ? ' (inside a decoded payload)' : ''}.`,
          evidence:
            fact.value !== undefined ? `decoded: ${decodedEvidence(fact.value)}` : fact.evidence,
        });
      }
    }
    return findings;
  },
};
