import type { Finding, Severity } from '../../types.js';
import { formatBytes, displayPath } from '../content/findings.js';
import { installContext, referencedAtInstall } from '../content/install.js';
import { sniff } from '../content/magic.js';
import { archiveMemberNames, RUNNABLE_MEMBER } from '../content/members.js';
import { basename, isHidden, misnamed } from '../content/names.js';
import { snippet } from '../context.js';
import type { Rule } from '../rule.js';

/**
 * Archives inside a package (zip/jar/whl, tar, gzip, 7z, RAR, bzip2, xz, zstd, cab, msi), by
 * magic bytes. Test data and fonts come compressed all the time; an archive that install code
 * opens, that hides its type, or that carries executables is how droppers smuggle a second stage
 * past a reviewer who only reads the source.
 */
export const contentNestedArchive: Rule = {
  meta: {
    id: 'content-nested-archive',
    severity: 'medium',
    ecosystems: ['npm', 'pypi'],
    title: 'Archive inside the package',
    description:
      'A zip/jar/wheel, tar, gzip, 7z, RAR, bzip2, xz, zstd, cab or msi file, recognised by its magic bytes. High when its name claims another type (a .pyc or .png that is a zip) or when install code names an archive that holds code or executables; medium when it is hidden or holds executables; low when it holds code, or install code names a data archive; data archives (test fixtures, compressed tables) are not reported.',
    references: [
      'https://attack.mitre.org/techniques/T1036/008/ (masquerade file type)',
      'https://attack.mitre.org/techniques/T1027/009/ (embedded payloads)',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    const install = installContext(ctx);
    for (const file of ctx.files) {
      const type = sniff(file.data);
      if (!type || type.family !== 'archive') continue;
      const name = displayPath(ctx, file.path);
      const members = archiveMemberNames(file.data, type);
      const runnable = members.filter((m) => RUNNABLE_MEMBER.test(m));
      const executables = runnable.filter((m) =>
        /\.(?:exe|dll|scr|sys|so|dylib|node|pyd|msi|lnk)$/i.test(m),
      );
      const reference = referencedAtInstall(ctx, install, file.path);
      const contents = runnable.length
        ? ` It holds ${runnable.length} runnable file(s), e.g. ${runnable.slice(0, 3).join(', ')}.`
        : members.length
          ? ` It holds ${members.length} file(s), e.g. ${members.slice(0, 3).join(', ')}.`
          : '';
      let severity: Severity | undefined;
      let why: string;
      if (misnamed(file.path, type)) {
        severity = 'high';
        why = `its name (${basename(file.path)}) claims another file type, hiding what it is`;
      } else if (reference && runnable.length) {
        severity = 'high';
        why = `${reference.where} names it at install time and it carries code`;
      } else if (reference) {
        severity = 'low';
        why = `${reference.where} names it at install time (its member names show no code)`;
      } else if (isHidden(name) || executables.length) {
        severity = 'medium';
        why = executables.length
          ? 'it carries native executables that cannot be reviewed'
          : 'it is a hidden file';
      } else if (runnable.length) {
        severity = 'low';
        why = 'it carries code that a source review of the package does not see';
      } else continue;
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: 0,
        message: `${name} is a ${type.label} (${formatBytes(file.size)}); ${why}.${contents}`,
        evidence: reference ? snippet(reference.text) : `${type.label}, ${formatBytes(file.size)}`,
      });
    }
    return findings;
  },
};
