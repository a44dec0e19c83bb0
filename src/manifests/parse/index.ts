import type { DeclaredPackage, ManifestFormat, ParsedManifest } from '../../types.js';
import { ManifestParseError } from './errors.js';
import { parseBunLock } from './npm/bun-lock.js';
import { parsePackageJson } from './npm/package-json.js';
import { parsePackageLock } from './npm/package-lock.js';
import { parsePnpmLock } from './npm/pnpm-lock.js';
import { parseYarnLock } from './npm/yarn-lock.js';
import { parseNpmrcRegistries, parseYarnrcRegistries } from './registry-settings.js';
import { parsePdmLock } from './python/pdm-lock.js';
import { parsePipfile } from './python/pipfile.js';
import { parsePipfileLock } from './python/pipfile-lock.js';
import { parsePoetryLock } from './python/poetry-lock.js';
import { parsePylock } from './python/pylock.js';
import { parsePyproject } from './python/pyproject.js';
import { parseRequirements } from './python/requirements.js';
import { parseUvLock } from './python/uv-lock.js';

export { ManifestParseError };

const PARSERS: Record<ManifestFormat, (content: string) => DeclaredPackage[]> = {
  requirements: parseRequirements,
  'package-lock': parsePackageLock,
  'package-json': parsePackageJson,
  'yarn-lock': parseYarnLock,
  'pnpm-lock': parsePnpmLock,
  'bun-lock': parseBunLock,
  'poetry-lock': parsePoetryLock,
  'uv-lock': parseUvLock,
  'pipfile-lock': parsePipfileLock,
  'pdm-lock': parsePdmLock,
  pylock: parsePylock,
  pyproject: parsePyproject,
  pipfile: parsePipfile,
  // Registry configuration declares no packages; reading it still checks that it parses, and
  // registrySettings() diffs its registry lines.
  npmrc: (content) => (parseNpmrcRegistries(content), []),
  yarnrc: (content) => (parseYarnrcRegistries(content), []),
};

/**
 * Parses one dependency file. Throws ManifestParseError (with the parser's reason and, where
 * known, the line) for content that is not valid in its format; never returns a partial result.
 */
export function parseManifest(
  path: string,
  format: ManifestFormat,
  content: string,
): ParsedManifest {
  const parser = PARSERS[format] as ((content: string) => DeclaredPackage[]) | undefined;
  if (!parser) throw new ManifestParseError(`no parser for dependency file format "${format}"`);
  try {
    return { path, format, packages: parser(content) };
  } catch (error) {
    if (error instanceof ManifestParseError) throw error;
    // A parser bug or an input shape nobody anticipated must still surface as a clear file error.
    const reason = error instanceof Error ? error.message : String(error);
    throw new ManifestParseError(`could not parse ${format}: ${reason}`);
  }
}
