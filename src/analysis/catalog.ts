import type { Severity } from '../types.js';
import { allRules } from './index.js';
import type { RuleMeta } from './rule.js';

/**
 * Findings the pipeline itself raises (not a content rule): a package that could not be
 * fetched or read fails closed, because a gate that passes what it could not inspect is worthless.
 */
export const pipelineRules: readonly RuleMeta[] = [
  {
    id: 'package-unavailable',
    severity: 'high',
    ecosystems: ['npm', 'pypi'],
    title: 'Package could not be fetched',
    description:
      'The registry did not serve this version (missing, removed, or unreachable after retries), so its contents could not be inspected. Packages are often removed from registries because they were malicious.',
    references: [],
  },
  {
    id: 'integrity-mismatch',
    severity: 'critical',
    ecosystems: ['npm', 'pypi'],
    title: 'Downloaded file does not match its recorded hash',
    description:
      'The bytes served do not match the integrity or sha256 recorded in the lockfile or registry metadata: the artifact was altered or the lockfile was tampered with.',
    references: ['https://docs.npmjs.com/cli/configuring-npm/package-lock-json#packages'],
  },
  {
    id: 'archive-unreadable',
    severity: 'high',
    ecosystems: ['npm', 'pypi'],
    title: 'Package archive is corrupt, truncated or over the limits',
    description:
      'Part of the package could not be read (corrupt or truncated archive, or size limits reached), so the inspection is incomplete.',
    references: [],
  },
  {
    id: 'archive-unsafe-path',
    severity: 'high',
    ecosystems: ['npm', 'pypi'],
    title: 'Archive entry points outside the package',
    description:
      'An entry uses `..`, an absolute path or a drive letter (path traversal, "zip slip"): a naive unpacker would write outside its folder. pkg-gate skips the entry.',
    references: ['https://security.snyk.io/research/zip-slip-vulnerability'],
  },
  {
    id: 'archive-link',
    severity: 'info',
    ecosystems: ['npm', 'pypi'],
    title: 'Archive contains a link',
    description: 'A symbolic or hard link in the archive; pkg-gate does not follow it.',
    references: [],
  },
  {
    id: 'analyzer-error',
    severity: 'medium',
    ecosystems: ['npm', 'pypi'],
    title: 'A rule failed on this package',
    description: 'An analyzer crashed on this package; its part of the inspection is incomplete.',
    references: [],
  },
];

export function ruleCatalog(): RuleMeta[] {
  return [...allRules.map((r) => r.meta), ...pipelineRules];
}

export function defaultSeverity(ruleId: string): Severity | undefined {
  return ruleCatalog().find((r) => r.id === ruleId)?.severity;
}
