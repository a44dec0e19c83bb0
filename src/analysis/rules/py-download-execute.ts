import type { Finding, Severity } from '../../types.js';
import type { Rule } from '../rule.js';
import { whenItRuns } from './shared/findings.js';
import { LOOPBACK_TARGET } from './shared/indicators.js';
import { earliest, type PyFact, pyFiles } from './shared/python.js';

/** Windows programs and scripts: written out, they are meant to be started. */
const DROPPED_PROGRAM = /\.(?:exe|scr|dll|msi|bat|cmd|ps1|vbs|hta|lnk)\b/i;

const EXECUTABLE_NAME = /\.(?:exe|scr|bat|cmd|ps1|vbs|msi|dll|sh|bin|elf|apk|jar|py|pyw|pyc)\b/i;

/**
 * Fetches something, writes it to disk and runs it (process, startfile, chmod +x, import): a
 * dropper. Judged per function chain when the code sits in functions, per file otherwise.
 */
export const pyDownloadExecute: Rule = {
  meta: {
    id: 'py-download-execute',
    severity: 'critical',
    ecosystems: ['pypi'],
    title: 'Downloads a file and runs it',
    description:
      'Code downloads content (urlretrieve, requests + write), writes it to disk and executes it (subprocess/os.system/startfile/chmod +x). Critical when it runs automatically (install, start-up, import); high when only called, unless what it runs is not an executable.',
    references: ['https://github.com/DataDog/guarddog (download-executable)'],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of pyFiles(ctx)) {
      const byScope = new Map<number, PyFact[]>();
      for (const fact of file.facts)
        byScope.set(fact.scope, [...(byScope.get(fact.scope) ?? []), fact]);
      // one chain per function (top-level code is one chain): co-occurrence across unrelated
      // functions of a big module says nothing
      const chains = [...byScope.values()];
      // a function with its local helpers: download in `fetch_payload()`, run in its caller
      const byFunction = new Map<string, PyFact[]>();
      for (const fact of file.facts)
        if (fact.fn) byFunction.set(fact.fn, [...(byFunction.get(fact.fn) ?? []), fact]);
      for (const [name, own] of byFunction) {
        const helpers = [...(file.edges.get(name) ?? [])].filter(
          (callee) => callee !== name && byFunction.has(callee),
        );
        if (helpers.length === 0) continue;
        const merged = [...own, ...helpers.flatMap((callee) => byFunction.get(callee) ?? [])];
        // only worth judging when neither part could be a dropper alone
        if (merged.length > own.length) chains.push(merged);
      }
      // everything that runs on load is one sequence (download at top level, run in a function
      // the module calls); only for fetched content, not for payloads embedded in the file
      const onLoad = file.facts.filter((f) => f.position !== 'call');
      // an executable decoded from the source itself is unambiguous wherever it is written and run
      if (
        byScope.size > 1 &&
        file.facts.some((f) => f.kind === 'decode' && f.name.startsWith('embedded '))
      )
        chains.push(file.facts);
      if (byScope.size > 1 && onLoad.some((f) => f.kind === 'network' || f.kind === 'download'))
        chains.push(onLoad);
      let reported = false;
      for (const facts of chains) {
        if (reported) break;
        const download = facts.find((f) => f.kind === 'download');
        // opening a socket is not fetching anything (free-port probes, health checks); bytes
        // received on one and written out show up as a write of network data below
        const network =
          facts.find(
            (f) =>
              f.kind === 'network' &&
              !/(?:Session|Client|PoolManager)$/.test(f.name) &&
              !/^socket\.(?:socket|create_connection|gethostbyname|getaddrinfo)$/.test(f.name) &&
              // a local server's answer (a renderer it started) is not a download
              !LOOPBACK_TARGET.test(f.value ?? '') &&
              !/localhost|127\.0\.0\.1/.test(f.evidence),
          ) ?? facts.find((f) => f.kind === 'file-write' && f.origins?.includes('network'));
        // opening os.devnull to silence a child is not writing anything
        const write = facts.find(
          (f) => f.kind === 'file-write' && !/devnull/i.test(`${f.value ?? ''} ${f.evidence}`),
        );
        // an embedded payload decoded and dropped counts like a download
        const decoded =
          facts.find((f) => f.kind === 'decode' && f.name.startsWith('embedded ')) ??
          facts.find((f) => f.kind === 'decode');
        const fetched =
          download ??
          (network && write ? network : undefined) ??
          (decoded && write ? decoded : undefined);
        if (!fetched) continue;
        const run = facts.find(
          (f) =>
            // the command that downloads is not also the one that runs the download
            f.line !== fetched.line &&
            (f.kind === 'process' ||
              f.kind === 'chmod' ||
              (f.kind === 'exec' && f.origins?.includes('file'))),
        );
        if (!run) {
          // written out as a Windows program without a visible run: a dropper whose launch is
          // elsewhere (a start-up folder, a scheduled task, a later call)
          const dropped = facts.find(
            (f) => f.kind === 'file-write' && DROPPED_PROGRAM.test(f.value ?? ''),
          );
          if (!dropped || !write) continue;
          const position = earliest([fetched, dropped])?.position ?? dropped.position;
          findings.push({
            rule: this.meta.id,
            severity: position === 'call' ? 'high' : 'critical',
            file: file.path,
            line: dropped.line,
            message: `${fetched.kind === 'decode' ? 'Decodes an embedded payload' : 'Downloads content'} (line ${fetched.line}) and writes it out as a program (\`${dropped.value}\`, line ${dropped.line}); this ${whenItRuns(position)}.`,
            evidence: [
              fetched.value ? `fetch ${fetched.value}` : fetched.evidence,
              `write ${dropped.value}`,
            ]
              .join(' → ')
              .slice(0, 240),
          });
          reported = true;
          continue;
        }
        const target = [fetched.value, run.value, write?.value].filter(Boolean).join(' ');
        const executable =
          EXECUTABLE_NAME.test(target) ||
          /chmod|\.\/|start\s|&\s*$/.test(run.value ?? '') ||
          run.kind === 'chmod';
        const position = earliest([fetched, run])?.position ?? run.position;
        let severity: Severity = position === 'call' ? 'high' : 'critical';
        if (position === 'call' && !executable && fetched.kind === 'decode') severity = 'medium';
        // a tool fetched in the open when the user asks for it (a profiler's helper script
        // downloaded from its project and run) is worth a look but not a verdict; hiding the
        // run, a shady source or obfuscation around it make it a dropper
        const stealthy =
          facts.some((f) => f.kind === 'hidden') ||
          file.facts.some(
            (f) =>
              (f.kind === 'endpoint' && !/IP lookup|URL shortener/.test(f.name)) ||
              f.kind === 'obfuscation',
          );
        // …when it comes from a source-code host (the tool's own project), is not a Windows
        // program, and nothing hides it; a random host or a dropped .exe stays high
        const fromCodeHost =
          /^https?:\/\/(?:raw\.githubusercontent\.com|github\.com|objects\.githubusercontent\.com|codeload\.github\.com|gitlab\.com|bitbucket\.org)\//.test(
            /\bhttps?:\/\/\S+/.exec(fetched.value ?? '')?.[0] ?? '',
          );
        if (
          position === 'call' &&
          fetched.kind !== 'decode' &&
          !stealthy &&
          fromCodeHost &&
          !DROPPED_PROGRAM.test(target)
        )
          severity = 'medium';
        findings.push({
          rule: this.meta.id,
          severity,
          file: file.path,
          line: run.line,
          message: `${fetched.kind === 'decode' ? 'Decodes an embedded payload' : 'Downloads content'} (line ${fetched.line}), writes it and runs it with \`${run.name}\` (line ${run.line}); this ${whenItRuns(position)}.`,
          evidence: [
            fetched.value ? `fetch ${fetched.value}` : fetched.evidence,
            run.value ? `run ${run.value}` : run.evidence,
          ]
            .join(' → ')
            .slice(0, 240),
        });
        reported = true;
      }
    }
    return findings;
  },
};
