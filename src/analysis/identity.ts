import type { Ecosystem, PackageFile } from '../types.js';

export interface PackageIdentity {
  ecosystem: Ecosystem;
  name?: string;
  version?: string;
}

const decoder = new TextDecoder();

function shallowest(files: readonly PackageFile[], basenames: string[]): PackageFile | undefined {
  let best: PackageFile | undefined;
  for (const file of files) {
    const base = file.path.split('/').pop() ?? '';
    if (!basenames.includes(base)) continue;
    if (!best || file.path.split('/').length < best.path.split('/').length) best = file;
  }
  return best;
}

/** Reads `Name:`/`Version:` headers of PKG-INFO or METADATA (RFC 822 style). */
function readCoreMetadata(text: string): { name?: string; version?: string } {
  const header = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const name = /^Name:\s*(.+?)\s*$/im.exec(header)?.[1];
  const version = /^Version:\s*(.+?)\s*$/im.exec(header)?.[1];
  return { name, version };
}

/**
 * Tells an npm package from a Python one by its metadata files, and reads its name and version
 * from them. Used when a local archive or folder is inspected without a registry to ask.
 */
export function identifyPackage(
  files: readonly PackageFile[],
  hint?: { ecosystem?: Ecosystem; filename?: string },
): PackageIdentity {
  const packageJson = shallowest(files, ['package.json']);
  const pythonMeta = shallowest(files, ['METADATA', 'PKG-INFO']);
  const pythonMarker = shallowest(files, ['setup.py', 'pyproject.toml', 'setup.cfg']);
  const wheelish = hint?.filename ? /\.(whl|egg)$/i.test(hint.filename) : false;

  let ecosystem = hint?.ecosystem;
  if (!ecosystem) {
    const npmDepth = packageJson ? packageJson.path.split('/').length : Infinity;
    const pyDepth = Math.min(
      pythonMeta ? pythonMeta.path.split('/').length : Infinity,
      pythonMarker ? pythonMarker.path.split('/').length : Infinity,
    );
    if (wheelish || pyDepth < npmDepth) ecosystem = 'pypi';
    else if (npmDepth < Infinity) ecosystem = 'npm';
    else if (files.some((f) => f.path.endsWith('.py'))) ecosystem = 'pypi';
    else ecosystem = 'npm';
  }

  if (ecosystem === 'npm' && packageJson) {
    try {
      const manifest = JSON.parse(decoder.decode(packageJson.data)) as Record<string, unknown>;
      return {
        ecosystem,
        name: typeof manifest.name === 'string' ? manifest.name : undefined,
        version: typeof manifest.version === 'string' ? manifest.version : undefined,
      };
    } catch {
      return { ecosystem };
    }
  }
  if (ecosystem === 'pypi' && pythonMeta) {
    return { ecosystem, ...readCoreMetadata(decoder.decode(pythonMeta.data)) };
  }
  return { ecosystem };
}
