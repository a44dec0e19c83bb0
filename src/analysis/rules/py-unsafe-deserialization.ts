import type { Finding, Severity } from '../../types.js';
import type { AnalysisContext } from '../context.js';
import type { Rule } from '../rule.js';
import { whenItRuns } from './shared/findings.js';
import { earliest, pyFiles } from './shared/python.js';

/** Callables a pickle may name that run commands or code when the pickle is loaded. */
const DANGEROUS_CALLABLE =
  /^(?:(?:os|posix|nt)\.(?:system|popen|exec\w*|spawn\w*|startfile)|subprocess\.\w+|(?:builtins|__builtin__)\.(?:exec|eval|compile|__import__|execfile|open)|runpy\.\w+|commands\.\w+|pty\.spawn|webbrowser\.open\w*|(?:socket|requests|urllib\.request|http\.client|httplib|urllib2)\.\w+|ctypes\.\w+|importlib\.import_module|shutil\.rmtree|code\.\w+|timeit\.\w+|pdb\.\w+)$/;

/** Names a pickle refers to (GLOBAL of protocols 0–3, STACK_GLOBAL of protocol 4+). */
function pickleGlobals(data: Uint8Array): string[] {
  const text = Buffer.from(data.subarray(0, 16 * 1024 * 1024)).toString('latin1');
  const out = new Set<string>();
  for (const m of text.matchAll(/c([A-Za-z_][\w.]{0,60})\n([A-Za-z_]\w{0,60})\n/g))
    out.add(`${m[1]}.${m[2]}`);
  // SHORT_BINUNICODE module, (MEMOIZE), SHORT_BINUNICODE name, (MEMOIZE), STACK_GLOBAL
  for (const m of text.matchAll(
    /\x8c[\s\S]([A-Za-z_][\w.]{0,60})\x94?\x8c[\s\S]([A-Za-z_]\w{0,60})\x94?\x93/g,
  ))
    out.add(`${m[1]}.${m[2]}`);
  return [...out];
}

/** Files that are pickles, or zip archives (torch checkpoints) storing one uncompressed. */
function looksLikePickle(path: string, data: Uint8Array): boolean {
  if (data.length < 4) return false;
  if (data[0] === 0x80 && data[1] >= 2 && data[1] <= 5) return true;
  return /\.(?:pkl|pickle|pt|pth|ckpt|bin|joblib|sav|dat|p|npy|model)$/i.test(path);
}

/** Bundled pickles that name a command or code runner: they run it when anyone loads them. */
function armedPickles(ctx: AnalysisContext): { path: string; callable: string }[] {
  const out: { path: string; callable: string }[] = [];
  for (const file of ctx.files) {
    if (!looksLikePickle(file.path, file.data)) continue;
    const callable = pickleGlobals(file.data).find((name) => DANGEROUS_CALLABLE.test(name));
    if (callable) out.push({ path: file.path, callable });
  }
  return out;
}

/**
 * Pickle (torch.load, joblib, dill, numpy allow_pickle, yaml unsafe loaders) runs the callables
 * the data names. Loading a file shipped in the package when it is imported or installed runs
 * code no reviewer can read; a bundled pickle that names os.system or exec is a payload.
 */
export const pyUnsafeDeserialization: Rule = {
  meta: {
    id: 'py-unsafe-deserialization',
    severity: 'high',
    ecosystems: ['pypi'],
    title: 'Loads a pickle that runs code',
    description:
      'A bundled pickle (model file, .pkl, torch checkpoint) names a callable that runs commands or code (os.system, subprocess, exec, eval, __import__) — critical when the package loads it at install or import time, high otherwise. Loading a pickle shipped in the package at install/import time (pickle/dill/joblib, torch.load without weights_only=True, numpy allow_pickle, yaml unsafe loaders) is high even when its content cannot be read; loading decoded data is high, downloaded data critical at install/import time and medium when only called.',
    references: [
      'https://docs.python.org/3/library/pickle.html (warning: never unpickle untrusted data)',
      'https://github.com/trailofbits/fickling',
      'https://www.reversinglabs.com/blog/rl-identifies-malware-ml-model-hosted-on-hugging-face',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    const armed = armedPickles(ctx);
    const loads = pyFiles(ctx).flatMap((file) =>
      file.facts.filter((f) => f.kind === 'deserialize').map((fact) => ({ file, fact })),
    );
    const automaticLoad = earliest(loads.map((l) => l.fact).filter((f) => f.position !== 'call'));
    for (const pickle of armed) {
      const severity: Severity = automaticLoad ? 'critical' : 'high';
      findings.push({
        rule: this.meta.id,
        severity,
        file: pickle.path,
        line: 0,
        message: `${pickle.path} is a pickle that calls \`${pickle.callable}\` when loaded: loading it runs that command or code.${automaticLoad ? ` The package loads a pickle with \`${automaticLoad.name}\` (line ${automaticLoad.line}); that ${whenItRuns(automaticLoad.position)}.` : ''}`,
        evidence: pickle.callable,
      });
    }
    for (const { file, fact } of loads) {
      const origins = fact.origins ?? [];
      const bundled = origins.includes('file');
      const hidden = origins.some((o) => ['network', 'decode', 'compress', 'decrypt'].includes(o));
      // pickle.loads of decoded bytes is already reported as hidden code by py-exec-decoded
      if (hidden && fact.name.endsWith('pickle.loads')) continue;
      let severity: Severity | undefined;
      // data fetched when the user asks (a corpus loader's resource URL) is medium; decoded
      // bytes or anything that runs by itself is not
      const fetchedOnly =
        origins.includes('network') &&
        !origins.some((o) => ['decode', 'compress', 'decrypt'].includes(o));
      if (hidden)
        severity = fact.position !== 'call' ? 'critical' : fetchedOnly ? 'medium' : 'high';
      else if (bundled) severity = fact.position === 'call' ? 'medium' : 'high';
      if (!severity) continue;
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: fact.line,
        message: `\`${fact.name}\` loads ${hidden ? 'decoded or downloaded data' : 'a pickle shipped in the package'} (${fact.value ?? ''}); unpickling runs whatever callables the data names, and this ${whenItRuns(fact.position)}.`,
        evidence: fact.evidence,
      });
    }
    return findings;
  },
};
