import type { Finding, Severity } from '../../types.js';
import { expectedBinaryReason } from '../content/expected.js';
import { formatBytes, displayPath } from '../content/findings.js';
import { installContext, referencedAtInstall } from '../content/install.js';
import { sniff, sniffXorExecutable } from '../content/magic.js';
import { basename, isHidden, misnamed } from '../content/names.js';
import { snippet } from '../context.js';
import type { Rule } from '../rule.js';

/**
 * Native executables (ELF, PE, Mach-O including universal binaries), recognised by magic bytes.
 * A binary cannot be reviewed in a PR and runs with the user's rights, so where it sits and who
 * runs it decide the severity.
 */
export const contentNativeBinary: Rule = {
  meta: {
    id: 'content-native-binary',
    severity: 'medium',
    ecosystems: ['npm', 'pypi'],
    title: 'Native executable in the package',
    description:
      'An ELF, PE (Windows) or Mach-O binary, recognised by its magic bytes rather than its name. High when it is XOR-encrypted, disguised (an extension that says image, text or source code, or a hidden file) or when an install script or setup.py names it; info when the package exists to ship binaries (npm os/cpu fields, prebuilds/ folders and .node addons, wheels with a platform tag, CPython extension modules); medium otherwise.',
    references: [
      'https://github.com/DataDog/guarddog (npm-/pypi- dll-hijacking, silent process execution)',
      'https://attack.mitre.org/techniques/T1036/008/ (masquerade file type)',
      'https://attack.mitre.org/techniques/T1027/009/ (embedded payloads)',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    const install = installContext(ctx);
    for (const file of ctx.files) {
      const name = displayPath(ctx, file.path);
      const type = sniff(file.data);
      if (!type) {
        const hidden = sniffXorExecutable(file.data);
        if (hidden) {
          const key = `0x${hidden.key.toString(16).padStart(2, '0')}`;
          findings.push({
            rule: this.meta.id,
            severity: 'high',
            file: file.path,
            line: 0,
            message: `${name} is a ${hidden.type.label} encrypted with the single-byte XOR key ${key} (${formatBytes(file.size)}); an executable is only hidden this way to get past scanners and reviewers.`,
            evidence: `XOR ${key} → ${hidden.type.label}`,
          });
        }
        continue;
      }
      if (type.family !== 'executable') continue;
      const expected = expectedBinaryReason(ctx, file.path);
      const disguised = misnamed(file.path, type);
      const hidden = isHidden(name);
      const reference = referencedAtInstall(ctx, install, file.path);
      let severity: Severity;
      let why: string;
      if (disguised) {
        severity = 'high';
        why = `its name (${basename(file.path)}) claims another file type: a binary disguised from review`;
      } else if (hidden) {
        severity = 'high';
        why = 'it is a hidden file, out of sight of a reviewer';
      } else if (reference && !expected) {
        severity = 'high';
        why = `${reference.where} names it, so it is used at install time`;
      } else if (reference) {
        severity = 'medium';
        why = `${reference.where} names it at install time, although ${expected}`;
      } else if (expected) {
        severity = 'info';
        why = `this is expected: ${expected}`;
      } else {
        severity = 'medium';
        why = 'nothing in the package says it ships binaries, and a binary cannot be reviewed';
      }
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: 0,
        message: `${name} is a ${type.label} (${formatBytes(file.size)}); ${why}.`,
        evidence: reference ? snippet(reference.text) : `${type.label}, ${formatBytes(file.size)}`,
      });
    }
    return findings;
  },
};
