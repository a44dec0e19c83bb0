import { analyzePackage, dedupeFindings, sortFindings } from './analysis/index.js';
import { AnalysisContext } from './analysis/context.js';
import { extractEntryPoints, type DeclaredEntryPoint } from './analysis/entrypoints/index.js';
import { identifyPackage, type PackageIdentity } from './analysis/identity.js';
import { unpackArchive } from './archive/unpack.js';
import type { Ecosystem, Finding, UnpackLimits, UnpackProblem, UnpackResult } from './types.js';

export interface ArtifactBytes {
  filename: string;
  data: Uint8Array;
}

export interface ReleaseInspection {
  identity: PackageIdentity;
  findings: Finding[];
  /** Commands and hooks the release declares, for comparing a bump with its previous version. */
  entryPoints: DeclaredEntryPoint[];
  files: number;
  unpackedBytes: number;
}

export class UnreadablePackageError extends Error {}

/** Unpack problems become findings: what could not be read must not pass quietly. */
export function problemFindings(artifact: string, problems: readonly UnpackProblem[]): Finding[] {
  const findings: Finding[] = [];
  for (const problem of problems) {
    const file = problem.path ?? artifact;
    switch (problem.kind) {
      case 'truncated':
      case 'corrupt':
      case 'limit':
      case 'unsupported':
        findings.push({
          rule: 'archive-unreadable',
          severity: 'high',
          file,
          line: 0,
          message: `Part of ${artifact} could not be read (${problem.kind}): the inspection is incomplete, so the package cannot be cleared.`,
          evidence: problem.message,
        });
        break;
      case 'unsafe-path':
        findings.push({
          rule: 'archive-unsafe-path',
          severity: 'high',
          file,
          line: 0,
          message: `${artifact} contains an entry that points outside the package (path traversal); unpacking it with a naive tool would overwrite files elsewhere.`,
          evidence: problem.message,
        });
        break;
      case 'link':
        findings.push({
          rule: 'archive-link',
          severity: 'info',
          file,
          line: 0,
          message: `${artifact} contains a symbolic or hard link; it was not followed.`,
          evidence: problem.message,
        });
        break;
    }
  }
  return findings;
}

/**
 * Inspects one release from its unpacked contents. Several artifacts (a PyPI sdist and wheel) are
 * analyzed one by one, since each installs on its own, and their findings merged.
 */
export async function inspectUnpacked(
  unpacked: readonly { filename: string; result: UnpackResult }[],
  hint: { ecosystem?: Ecosystem; name?: string; version?: string } = {},
): Promise<ReleaseInspection> {
  const findings: Finding[] = [];
  const entryPoints: DeclaredEntryPoint[] = [];
  let identity: PackageIdentity | undefined;
  let files = 0;
  let unpackedBytes = 0;
  for (const { filename, result } of unpacked) {
    const found = identifyPackage(result.files, { ecosystem: hint.ecosystem, filename });
    identity ??= found;
    files += result.files.length;
    for (const file of result.files) unpackedBytes += file.size;
    findings.push(...problemFindings(filename, result.problems));
    const pkg = {
      ecosystem: hint.ecosystem ?? found.ecosystem,
      name: hint.name ?? found.name,
      version: hint.version ?? found.version,
      files: result.files,
    };
    findings.push(...(await analyzePackage(pkg)));
    entryPoints.push(...extractEntryPoints(new AnalysisContext(pkg)));
  }
  return {
    identity: {
      ecosystem: hint.ecosystem ?? identity?.ecosystem ?? 'npm',
      name: hint.name ?? identity?.name,
      version: hint.version ?? identity?.version,
    },
    findings: sortFindings(dedupeFindings(findings)),
    entryPoints,
    files,
    unpackedBytes,
  };
}

/** Unpacks artifacts in memory and inspects them; throws only when none of them is readable. */
export async function inspectArtifacts(
  artifacts: readonly ArtifactBytes[],
  hint: { ecosystem?: Ecosystem; name?: string; version?: string } = {},
  limits?: Partial<UnpackLimits>,
): Promise<ReleaseInspection> {
  const unpacked: { filename: string; result: UnpackResult }[] = [];
  const failures: string[] = [];
  for (const artifact of artifacts) {
    try {
      unpacked.push({
        filename: artifact.filename,
        result: await unpackArchive(artifact.data, artifact.filename, limits),
      });
    } catch (error) {
      // unpackArchive's messages already start with the file name.
      failures.push(error instanceof Error ? error.message : `${artifact.filename}: ${error}`);
    }
  }
  if (unpacked.length === 0) {
    throw new UnreadablePackageError(
      failures.length ? `could not be read: ${failures.join('; ')}` : 'no artifact to inspect',
    );
  }
  const inspection = await inspectUnpacked(unpacked, hint);
  for (const failure of failures) {
    inspection.findings.unshift({
      rule: 'archive-unreadable',
      severity: 'high',
      file: failure.split(':')[0] ?? '',
      line: 0,
      message: 'One of the release files could not be read, so the inspection is incomplete.',
      evidence: failure,
    });
  }
  return inspection;
}
