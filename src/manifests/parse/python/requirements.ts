import { posix } from 'node:path';
import {
  parsePipRequirementsLine,
  type ProjectNameRequirementWithLocation,
  type RequirementWithLocation,
} from 'pip-requirements-js';
import type { DeclaredPackage } from '../../../types.js';
import { normalizePythonName } from '../../names.js';
import { ManifestParseError } from '../errors.js';
import { stripBom } from '../lines.js';

export { normalizePythonName };

/** A `-r`/`--requirement` or `-c`/`--constraint` line: another file pip reads with this one. */
export interface RequirementsInclude {
  kind: 'requirements' | 'constraints';
  /** The path as written, relative to the including file (or a URL, which pip also accepts). */
  path: string;
  line: number;
}

/** A file-level option that changes where pip looks for packages (dependency confusion lives here). */
export interface IndexOption {
  option: 'index-url' | 'extra-index-url' | 'find-links' | 'no-index' | 'trusted-host';
  value: string;
  line: number;
}

export interface RequirementsFile {
  packages: DeclaredPackage[];
  includes: RequirementsInclude[];
  indexOptions: IndexOption[];
}

/** One logical line: physical lines joined at trailing backslashes, comments removed. */
interface LogicalLine {
  line: number;
  text: string;
}

// pip's own definition: `#` starts a comment at the line start or after whitespace only, so
// `https://host/x#egg=name` keeps its fragment.
const COMMENT = /(^|\s+)#.*$/;

/**
 * Joins continuation lines the way pip's `join_lines` does: a line ending in `\` continues on the
 * next one, unless it is a comment; the logical line is numbered by its first physical line.
 */
function logicalLines(content: string): LogicalLine[] {
  const physical = stripBom(content).split(/\r\n|\r|\n/);
  const result: LogicalLine[] = [];
  let pending: string[] = [];
  let pendingLine = 0;
  physical.forEach((raw, index) => {
    const isComment = /^\s*#/.test(raw);
    if (raw.endsWith('\\') && !isComment) {
      if (pending.length === 0) pendingLine = index + 1;
      pending.push(raw.replace(/^\\+|\\+$/g, ''));
      return;
    }
    if (pending.length > 0) {
      pending.push(isComment ? '' : raw);
      result.push({ line: pendingLine, text: pending.join('') });
      pending = [];
    } else {
      result.push({ line: index + 1, text: raw });
    }
  });
  if (pending.length > 0) result.push({ line: pendingLine, text: pending.join('') });
  return result
    .map(({ line, text }) => ({ line, text: text.replace(COMMENT, '').trim() }))
    .filter(({ text }) => text !== '');
}

interface ParsedOption {
  name: string;
  value?: string;
}

// Options pip accepts in a requirements file, with whether they take a value. Anything else is an
// error in pip too, so it is one here rather than a silently ignored line.
const OPTIONS: Record<string, { canonical: string; takesValue: boolean }> = {
  '-r': { canonical: 'requirement', takesValue: true },
  '--requirement': { canonical: 'requirement', takesValue: true },
  '-c': { canonical: 'constraint', takesValue: true },
  '--constraint': { canonical: 'constraint', takesValue: true },
  '-e': { canonical: 'editable', takesValue: true },
  '--editable': { canonical: 'editable', takesValue: true },
  '-i': { canonical: 'index-url', takesValue: true },
  '--index-url': { canonical: 'index-url', takesValue: true },
  '--extra-index-url': { canonical: 'extra-index-url', takesValue: true },
  '--no-index': { canonical: 'no-index', takesValue: false },
  '-f': { canonical: 'find-links', takesValue: true },
  '--find-links': { canonical: 'find-links', takesValue: true },
  '--trusted-host': { canonical: 'trusted-host', takesValue: true },
  '--no-binary': { canonical: 'no-binary', takesValue: true },
  '--only-binary': { canonical: 'only-binary', takesValue: true },
  '--prefer-binary': { canonical: 'prefer-binary', takesValue: false },
  '--require-hashes': { canonical: 'require-hashes', takesValue: false },
  '--pre': { canonical: 'pre', takesValue: false },
  '--use-feature': { canonical: 'use-feature', takesValue: true },
  '--hash': { canonical: 'hash', takesValue: true },
  '--global-option': { canonical: 'global-option', takesValue: true },
  '--config-settings': { canonical: 'config-settings', takesValue: true },
  '-C': { canonical: 'config-settings', takesValue: true },
};

/** Splits on whitespace, honouring simple quotes as pip's shlex-based option parsing does. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) tokens.push(match[1] ?? match[2] ?? match[3]);
  return tokens;
}

function parseOptions(text: string, line: number): ParsedOption[] {
  const tokens = tokenize(text);
  const options: ParsedOption[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    let flag = token;
    let inline: string | undefined;
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      if (eq !== -1) {
        flag = token.slice(0, eq);
        inline = token.slice(eq + 1);
      }
    } else if (token.startsWith('-') && token.length > 2) {
      // Short options may carry their value attached: `-rbase.txt`.
      flag = token.slice(0, 2);
      inline = token.slice(2);
    }
    const known = OPTIONS[flag];
    if (!known) throw new ManifestParseError(`unknown option ${flag}`, line);
    if (!known.takesValue) {
      if (inline !== undefined) throw new ManifestParseError(`option ${flag} takes no value`, line);
      options.push({ name: known.canonical });
      continue;
    }
    const value = inline ?? tokens[++i];
    if (value === undefined || value === '') {
      throw new ManifestParseError(`option ${flag} needs a value`, line);
    }
    options.push({ name: known.canonical, value });
  }
  return options;
}

/** pip's `break_args_options`: the requirement is everything before the first `-` token. */
function splitRequirementAndOptions(text: string): [string, string] {
  const tokens = text.split(' ');
  const firstOption = tokens.findIndex((token) => token.startsWith('-'));
  if (firstOption === -1) return [text, ''];
  return [tokens.slice(0, firstOption).join(' '), tokens.slice(firstOption).join(' ')];
}

const ARCHIVE = /\.(whl|tar\.gz|tgz|tar\.bz2|tar\.xz|tar|zip)$/i;
// `name @ url` (PEP 508) as opposed to a bare URL or path, which pip also accepts.
const NAMED_URL = /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@/;

function looksLikeUrlOrPath(requirement: string): boolean {
  if (NAMED_URL.test(requirement)) return false;
  return (
    /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(requirement) ||
    requirement.startsWith('.') ||
    requirement.startsWith('/') ||
    requirement.includes('/') ||
    requirement.includes('\\') ||
    ARCHIVE.test(requirement.split(/[;\s]/)[0])
  );
}

/**
 * The project name pip would use for a bare URL or path: the `#egg=` fragment, else the archive
 * file name (`name-1.0.tar.gz`, `name-1.0-py3-none-any.whl`), else the last path segment.
 */
export function nameFromUrlOrPath(location: string): string {
  const egg = /[#&]egg=([^&\s[]+)/.exec(location);
  if (egg) return egg[1];
  const withoutFragment = location.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const file = withoutFragment.split(/[/\\]/).pop() ?? withoutFragment;
  if (/\.whl$/i.test(file)) return file.split('-')[0];
  if (ARCHIVE.test(file)) {
    const stem = file.replace(ARCHIVE, '');
    const versionStart = /-\d/.exec(stem);
    return versionStart ? stem.slice(0, versionStart.index) : stem;
  }
  return file.replace(/\.git$/i, '') || location;
}

function syntaxReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(
    /^Failed to parse requirements (?:file|line)\.\s*Line \d+, col \d+:\s*/,
    '',
  );
}

function exactPin(
  spec: ProjectNameRequirementWithLocation['data']['versionSpec'],
): string | undefined {
  if (!spec || spec.length !== 1) return undefined;
  const operator = spec[0].data.operator.data;
  const version = spec[0].data.version.data;
  if (operator === '===') return version;
  if (operator === '==' && !version.includes('*')) return version;
  return undefined;
}

const OPERATOR = '(?:~=|===|==|!=|<=|>=|<|>)';
const VERSION = '[A-Za-z0-9.*+!_-]+';
const IDENTIFIER = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
// `name[extras]op version, …` without markers or URLs: most lines of a real requirements file.
const SIMPLE_REQUIREMENT = new RegExp(
  `^(${IDENTIFIER})\\s*(?:\\[\\s*${IDENTIFIER}(?:\\s*,\\s*${IDENTIFIER})*\\s*\\])?\\s*` +
    `(${OPERATOR}\\s*${VERSION}(?:\\s*,\\s*${OPERATOR}\\s*${VERSION})*)?$`,
);

/**
 * The common requirement shapes, read without the full PEP 508 grammar (which costs a fraction
 * of a millisecond per line: seconds on a 5,000-line pip-compile file). Anything else (markers,
 * URLs, parentheses) returns undefined and goes to pip-requirements-js.
 */
function simpleRequirement(text: string, line: number): DeclaredPackage | undefined {
  const match = SIMPLE_REQUIREMENT.exec(text);
  if (!match) return undefined;
  const specs = (match[2] ?? '')
    .split(',')
    .map((part) => part.replace(/\s+/g, ''))
    .filter(Boolean)
    .map((part) => {
      const [, operator, version] = /^(~=|===|==|!=|<=|>=|<|>)(.*)$/.exec(part)!;
      return { operator, version };
    });
  const declared: DeclaredPackage = { ecosystem: 'pypi', name: match[1], line };
  const only = specs.length === 1 ? specs[0] : undefined;
  if (
    only &&
    (only.operator === '===' || (only.operator === '==' && !only.version.includes('*')))
  ) {
    declared.version = only.version;
  } else {
    declared.spec = specs.map((spec) => `${spec.operator}${spec.version}`).join(',');
  }
  return declared;
}

/**
 * One PEP 508 requirement string (as in pyproject.toml `dependencies`), or a bare URL or path as
 * pip accepts it, at `line`. Throws ManifestParseError for text that is neither.
 */
export function parsePep508Requirement(text: string, line: number): DeclaredPackage {
  return declaredFromRequirement(text.trim(), line, []);
}

function declaredFromRequirement(text: string, line: number, hashes: string[]): DeclaredPackage {
  if (looksLikeUrlOrPath(text)) {
    const location = text.split(/\s*;\s*/)[0].trim();
    return withHashes(
      { ecosystem: 'pypi', name: nameFromUrlOrPath(location), spec: '', line, resolved: location },
      hashes,
    );
  }
  const simple = simpleRequirement(text, line);
  if (simple) return withHashes(simple, hashes);
  let parsed: RequirementWithLocation | null;
  // pip-requirements-js 1.0.3 tries `==` before `===` and so rejects arbitrary equality; parse it
  // as `==` and restore the operator afterwards.
  const arbitraryEquality = /===/.test(text);
  try {
    parsed = parsePipRequirementsLine(arbitraryEquality ? text.replace(/===/g, '==') : text, {
      includeLocations: true,
    });
  } catch (error) {
    throw new ManifestParseError(`invalid requirement "${text}": ${syntaxReason(error)}`, line);
  }
  if (!parsed) throw new ManifestParseError(`invalid requirement "${text}"`, line);
  const data = parsed.data;
  if (data.type === 'ProjectURL') {
    return withHashes(
      { ecosystem: 'pypi', name: data.name.data, spec: '', line, resolved: data.url.data },
      hashes,
    );
  }
  if (data.type !== 'ProjectName') {
    throw new ManifestParseError(`unexpected requirement "${text}"`, line);
  }
  if (arbitraryEquality) {
    for (const one of data.versionSpec ?? []) {
      if (one.data.operator.data === '==')
        one.data.operator.data = '===' as typeof one.data.operator.data;
    }
  }
  const version = exactPin(data.versionSpec);
  const declared: DeclaredPackage = { ecosystem: 'pypi', name: data.name.data, line };
  if (version !== undefined) declared.version = version;
  else {
    declared.spec = (data.versionSpec ?? [])
      .map((one) => `${one.data.operator.data}${one.data.version.data}`)
      .join(',');
  }
  return withHashes(declared, hashes);
}

function withHashes(declared: DeclaredPackage, hashes: string[]): DeclaredPackage {
  if (hashes.length > 0) declared.hashes = hashes;
  return declared;
}

function normalizeHash(value: string, line: number): string {
  const match = /^([A-Za-z0-9]+):([0-9A-Fa-f]+)$/.exec(value);
  if (!match) throw new ManifestParseError(`invalid --hash value "${value}"`, line);
  return `${match[1].toLowerCase()}:${match[2].toLowerCase()}`;
}

/**
 * Parses a pip requirements (or constraints, or pip-tools `.in`) file: requirements with their
 * first line, exact pins as `version`, other specifiers as `spec`, `--hash` values, the files it
 * includes and the index options it sets.
 */
export function parseRequirementsFile(content: string): RequirementsFile {
  const file: RequirementsFile = { packages: [], includes: [], indexOptions: [] };
  for (const { line, text } of logicalLines(content)) {
    const [requirement, optionText] = text.startsWith('-')
      ? ['', text]
      : splitRequirementAndOptions(text);
    const options = parseOptions(optionText, line);
    const hashes: string[] = [];
    for (const option of options) {
      const value = option.value ?? '';
      switch (option.name) {
        case 'requirement':
          file.includes.push({ kind: 'requirements', path: value, line });
          break;
        case 'constraint':
          file.includes.push({ kind: 'constraints', path: value, line });
          break;
        case 'editable':
          file.packages.push({
            ecosystem: 'pypi',
            name: nameFromUrlOrPath(value),
            spec: '',
            line,
            resolved: value,
          });
          break;
        case 'index-url':
        case 'extra-index-url':
        case 'find-links':
        case 'trusted-host':
        case 'no-index':
          file.indexOptions.push({ option: option.name, value, line });
          break;
        case 'hash':
          hashes.push(normalizeHash(value, line));
          break;
        default:
          break;
      }
    }
    if (requirement !== '') {
      file.packages.push(declaredFromRequirement(requirement.trim(), line, hashes));
    } else if (hashes.length > 0) {
      throw new ManifestParseError('--hash without a requirement on the same line', line);
    }
  }
  return file;
}

export function parseRequirements(content: string): DeclaredPackage[] {
  return parseRequirementsFile(content).packages;
}

/**
 * The files a requirements file pulls in with `-r`/`-c`, as repository paths resolved against
 * the including file's folder. `path` is undefined when the include cannot come from the same
 * repository (a URL, an absolute path, or a path that climbs above the repository root); the
 * caller reports those instead of skipping them.
 */
export function requirementIncludes(
  includingPath: string,
  content: string,
): (RequirementsInclude & { repoPath?: string })[] {
  return parseRequirementsFile(content).includes.map((include) => {
    const repoPath = resolveIncludePath(includingPath, include.path);
    return repoPath === undefined ? { ...include } : { ...include, repoPath };
  });
}

export function resolveIncludePath(includingPath: string, includePath: string): string | undefined {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(includePath) || includePath.startsWith('/')) {
    return undefined;
  }
  const joined = posix.normalize(
    posix.join(posix.dirname(includingPath.replace(/\\/g, '/')), includePath.replace(/\\/g, '/')),
  );
  if (joined === '..' || joined.startsWith('../')) return undefined;
  return joined;
}
