import type { Finding, Severity } from '../../types.js';
import type { Rule } from '../rule.js';
import { codeFiles, isAutomatic, leading, runsWhen } from './shared/code.js';

/**
 * Code that makes other programs load attacker code: a library preloaded into every process
 * (LD_PRELOAD, /etc/ld.so.preload, DYLD_INSERT_LIBRARIES) or a DLL planted under a name Windows
 * programs search for (DLL search-order hijacking).
 */
export const codeLibraryHijack: Rule = {
  meta: {
    id: 'code-library-hijack',
    severity: 'high',
    ecosystems: ['npm', 'pypi'],
    title: 'Preloads a library or plants a DLL for other programs',
    description:
      'Code writes /etc/ld.so.preload, sets LD_PRELOAD/DYLD_INSERT_LIBRARIES for processes it starts, or writes a DLL named like one Windows programs load from their own folder (version.dll, winmm.dll, dbghelp.dll…). High when the file also writes the library or does so at install/import time; a mention alone is low.',
    references: [
      'https://attack.mitre.org/techniques/T1574/006/',
      'https://attack.mitre.org/techniques/T1574/001/',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of codeFiles(ctx)) {
      const hijacks = file.facts.filter(
        (f) => f.kind === 'hijack' && f.name !== 'sets an environment variable',
      );
      if (hijacks.length === 0) continue;
      const writes = file.facts.filter((f) => f.kind === 'file-write' || f.kind === 'chmod');
      const processes = file.facts.filter((f) => f.kind === 'process');
      const lead = leading(hijacks)!;
      const text = hijacks.map((f) => f.value ?? f.evidence).join(' ');
      const preloadFile = /ld\.so\.preload/.test(text);
      const dll = hijacks.some((f) => /DLL/.test(f.name));
      const writesLibrary = writes.some((f) => /\.(?:so|dylib|dll)\b/i.test(f.value ?? f.evidence));
      // what runs by itself is the write or the process start; a string naming LD_PRELOAD in a
      // class body (a help message) is evaluated on import but does nothing
      const automatic = writes.some(isAutomatic) || processes.some(isAutomatic);
      let severity: Severity = 'low';
      if ((preloadFile || dll) && writes.length) severity = automatic ? 'critical' : 'high';
      else if (writes.length || processes.length)
        severity = automatic || writesLibrary ? 'high' : 'medium';
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: lead.line,
        message: `This code ${lead.name}${writes.length ? ` and writes files (line ${writes[0].line})` : processes.length ? ` and starts processes (line ${processes[0].line})` : ''}: every program that loads it runs the injected code; it ${runsWhen(ctx, lead.position)}.`,
        evidence: lead.value ?? lead.evidence,
      });
    }
    return findings;
  },
};
