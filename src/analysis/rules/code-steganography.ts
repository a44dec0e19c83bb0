import type { Finding } from '../../types.js';
import type { Rule } from '../rule.js';
import { codeFiles, isAutomatic, leading, runs, runsWhen } from './shared/code.js';

/** Code pulled out of an image (pixel data, LSB steganography) and run. */
export const codeSteganography: Rule = {
  meta: {
    id: 'code-steganography',
    severity: 'high',
    ecosystems: ['npm', 'pypi'],
    title: 'Runs code hidden in an image',
    description:
      'A file reads data hidden in an image (stegano/stepic reveal, PIL pixel data, pngjs/jimp/get-pixels) and executes code or starts a process: the payload never appears as text. High; critical at install/import time. Reading pixels alone is not reported.',
    references: ['https://attack.mitre.org/techniques/T1027/003/'],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of codeFiles(ctx)) {
      const reads = file.facts.filter((f) => f.kind === 'stego');
      if (reads.length === 0) continue;
      const lead = leading(reads)!;
      // the pixels and the code runner in one function (or both run by themselves): two
      // unrelated functions of a big module (a test that reads an image, another that
      // unpickles) say nothing together
      const run = leading(
        runs(file).filter((r) => r.fn === lead.fn || (isAutomatic(r) && isAutomatic(lead))),
      );
      if (!run) continue;
      findings.push({
        rule: this.meta.id,
        severity: isAutomatic(run) || isAutomatic(lead) ? 'critical' : 'high',
        file: file.path,
        line: lead.line,
        message: `This file ${lead.name} and runs code with \`${run.name}\` (line ${run.line}); it ${runsWhen(ctx, run.position)}.`,
        evidence: lead.evidence,
      });
    }
    return findings;
  },
};
