import {
  satisfies as pep440Satisfies,
  valid as pep440Valid,
  validRange as pep440ValidRange,
} from '@renovatebot/pep440';
import semver from 'semver';
import type { Ecosystem } from '../types.js';

/** An allowlist `package:` value, split: `npm:@scope/name@^1.3`, `pypi:requests==2.31.0`. */
export interface PackageSpec {
  ecosystem: Ecosystem;
  name: string;
  versions?: string;
}

const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9._~-][a-z0-9._~-]*$/i;
const PYPI_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
// A PEP 440 specifier starts with one of its operators (`==`, `>=`, `~=`, `!=`, `<`, `>`, `===`).
const PYPI_OPERATOR = /[=<>!~]/;

/** PEP 503: names compare case-insensitively with runs of `-`, `_`, `.` as one `-`. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * Parses `ecosystem:name[@versions]`. For PyPI the version part may also follow the name
 * directly as a PEP 440 specifier (`pypi:requests>=2,<3`), the way requirements files write it.
 * Throws an Error whose message says what is wrong and what is expected.
 */
export function parsePackageSpec(text: string): PackageSpec {
  const match = /^\s*(npm|pypi)\s*:\s*(.*?)\s*$/.exec(text);
  if (!match) {
    throw new Error(
      `must start with "npm:" or "pypi:" followed by the package name, e.g. "npm:left-pad@1.3.0" or "pypi:requests@2.31.0" (got ${JSON.stringify(text)})`,
    );
  }
  const ecosystem = match[1] as Ecosystem;
  const rest = match[2] ?? '';
  return ecosystem === 'npm' ? parseNpm(rest) : parsePypi(rest);
}

function parseNpm(rest: string): PackageSpec {
  // A scope's leading @ is part of the name; the version follows the next @.
  const at = rest.indexOf('@', rest.startsWith('@') ? 1 : 0);
  const name = at < 0 ? rest : rest.slice(0, at);
  const versions = at < 0 ? undefined : rest.slice(at + 1).trim();
  if (!NPM_NAME.test(name)) {
    throw new Error(`${JSON.stringify(name)} is not a valid npm package name`);
  }
  if (versions === undefined) return { ecosystem: 'npm', name };
  if (!versions || semver.validRange(versions) === null) {
    throw new Error(
      `${JSON.stringify(versions)} is not a semver version or range (use e.g. "1.3.0", "^1.3" or ">=1.2 <2"; leave out "@…" for every version)`,
    );
  }
  return { ecosystem: 'npm', name, versions };
}

function parsePypi(rest: string): PackageSpec {
  const at = rest.indexOf('@');
  const operator = rest.search(PYPI_OPERATOR);
  let name: string;
  let versions: string | undefined;
  if (at >= 0 && (operator < 0 || at < operator)) {
    name = rest.slice(0, at).trim();
    versions = rest.slice(at + 1).trim();
    // A bare version means exactly that version.
    if (versions && pep440Valid(versions) !== null && !PYPI_OPERATOR.test(versions[0] ?? '')) {
      versions = `==${versions}`;
    }
  } else if (operator >= 0) {
    name = rest.slice(0, operator).trim();
    versions = rest.slice(operator).trim();
  } else {
    name = rest.trim();
  }
  if (!PYPI_NAME.test(name)) {
    throw new Error(`${JSON.stringify(name)} is not a valid PyPI project name`);
  }
  if (versions === undefined) return { ecosystem: 'pypi', name: normalizePypiName(name) };
  if (!versions || !pep440ValidRange(versions)) {
    throw new Error(
      `${JSON.stringify(versions)} is not a PEP 440 version or specifier (use e.g. "2.31.0", "==2.31.*" or ">=2,<3"; leave out the version for every version)`,
    );
  }
  return { ecosystem: 'pypi', name: normalizePypiName(name), versions };
}

/**
 * True when the package is the one the spec names and its version is covered. A package whose
 * version is unknown (it could not be resolved) is covered only by a spec without versions.
 */
export function specCovers(
  spec: PackageSpec,
  pkg: { ecosystem: Ecosystem; name: string; version: string },
): boolean {
  if (spec.ecosystem !== pkg.ecosystem) return false;
  const name = pkg.ecosystem === 'pypi' ? normalizePypiName(pkg.name) : pkg.name;
  if (name !== spec.name) return false;
  if (spec.versions === undefined) return true;
  if (!pkg.version) return false;
  if (spec.ecosystem === 'npm') {
    return semver.valid(pkg.version) !== null && semver.satisfies(pkg.version, spec.versions);
  }
  return pep440Valid(pkg.version) !== null && pep440Satisfies(pkg.version, spec.versions);
}
