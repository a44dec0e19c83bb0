import { valid as validPep440 } from '@renovatebot/pep440';
import type { DeclaredPackage } from '../../../types.js';
import { normalizePythonName } from '../../names.js';
import { ManifestParseError } from '../errors.js';
import { parsePep508Requirement } from './requirements.js';
import { parseTomlDocument, tomlTable, type TomlTable } from './toml.js';
import { TomlLocator } from './toml-locator.js';

/**
 * A Poetry or Pipfile version constraint: `*` is any version, a bare or `==` version is a pin,
 * anything else (`^1.2`, `~=1.2`, `>=1,<2`) is a range to resolve.
 */
export function poetryStyleVersion(constraint: string): Pick<DeclaredPackage, 'version' | 'spec'> {
  const trimmed = constraint.trim();
  if (trimmed === '*' || trimmed === '') return { spec: '' };
  const pinned = /^={2,3}\s*([^,*\s]+)$/.exec(trimmed)?.[1] ?? trimmed;
  if (validPep440(pinned) && !/[<>~^!=*,]/.test(pinned)) return { version: pinned };
  return { spec: trimmed };
}

/**
 * A Poetry or Pipfile dependency value: a constraint string, a table with `version`, `git`,
 * `url`, `path` or `file`, or (Poetry) a list of such tables. Local paths give nothing.
 */
export function tableStyleDependencies(
  name: string,
  value: unknown,
  line: number,
  where: string,
): DeclaredPackage[] {
  if (typeof value === 'string') {
    return [{ ecosystem: 'pypi', name, line, ...poetryStyleVersion(value) }];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item) => tableStyleDependencies(name, item, line, where));
  }
  if (!value || typeof value !== 'object') {
    throw new ManifestParseError(`${where} "${name}" has an unreadable value`, line);
  }
  const table = value as TomlTable;
  if (typeof table.path === 'string' || table.editable === true) return [];
  const git = typeof table.git === 'string' ? table.git : undefined;
  const url =
    typeof table.url === 'string'
      ? table.url
      : typeof table.file === 'string'
        ? table.file
        : undefined;
  if (git !== undefined) {
    const ref = [table.rev, table.ref, table.tag, table.branch].find((r) => typeof r === 'string');
    return [
      {
        ecosystem: 'pypi',
        name,
        line,
        spec: '',
        resolved: ref ? `git+${git}@${String(ref)}` : git,
      },
    ];
  }
  if (url !== undefined) return [{ ecosystem: 'pypi', name, line, spec: '', resolved: url }];
  const version = typeof table.version === 'string' ? table.version : '*';
  return [{ ecosystem: 'pypi', name, line, ...poetryStyleVersion(version) }];
}

type RequirementReader = (item: string, line: number) => DeclaredPackage | undefined;

function requirementList(
  value: unknown,
  where: string,
  locator: TomlLocator,
  startLine: number,
  read: RequirementReader = parsePep508Requirement,
): DeclaredPackage[] {
  if (!Array.isArray(value)) {
    throw new ManifestParseError(`${where} must be an array of requirement strings`, startLine);
  }
  const declared: DeclaredPackage[] = [];
  let searchFrom = startLine;
  for (const item of value) {
    // PEP 735 groups may include other groups: `{include-group = "test"}`.
    if (typeof item !== 'string') continue;
    const line = locator.stringLine(item, searchFrom) ?? locator.stringLine(item, 1) ?? startLine;
    searchFrom = line;
    const pkg = read(item, line);
    if (pkg) declared.push(pkg);
  }
  return declared;
}

/**
 * An entry of PDM's dev-dependencies: a PEP 508 string, or `-e <target>` for an editable
 * install. An editable folder of the project (`-e file:///${PROJECT_ROOT}/sub`, `-e ./sub`) is
 * its own code and gives nothing, as Poetry's path dependencies do; an editable git or URL
 * target is a package from outside the registry.
 */
function pdmDevRequirement(item: string, line: number): DeclaredPackage | undefined {
  const editable = /^\s*(?:-e|--editable)(?:\s+|=)(.+)$/.exec(item);
  if (!editable) return parsePep508Requirement(item, line);
  const declared = parsePep508Requirement(editable[1], line);
  const location = declared.resolved ?? '';
  if (/^file:\/\/\/?\$\{PROJECT_ROOT\}/.test(location) || location.startsWith('.')) {
    return undefined;
  }
  return declared;
}

function namedTables(table: TomlTable | undefined): [string, unknown][] {
  return table ? Object.entries(table) : [];
}

/**
 * Parses pyproject.toml: PEP 621 `[project] dependencies` and `optional-dependencies`, PEP 735
 * `[dependency-groups]`, Poetry's `dependencies`, `dev-dependencies` and groups, PDM's
 * `[tool.pdm.dev-dependencies]` and uv's `[tool.uv] dev-dependencies`, with
 * `[tool.uv.sources]` git/URL sources applied. Each requirement is at the line it is written on.
 */
export function parsePyproject(content: string): DeclaredPackage[] {
  const document = parseTomlDocument(content, 'pyproject.toml');
  const locator = new TomlLocator(content);
  const declared: DeclaredPackage[] = [];

  const project = tomlTable(document, 'project');
  if (project) {
    const header = locator.headerLine('project') ?? 1;
    if (project.dependencies !== undefined) {
      const start = locator.keyLine(header, 'dependencies') ?? header;
      declared.push(
        ...requirementList(project.dependencies, '[project] dependencies', locator, start),
      );
    }
    const optionalHeader = locator.headerLine('project.optional-dependencies') ?? header;
    for (const [extra, list] of namedTables(tomlTable(project, 'optional-dependencies'))) {
      const start = locator.keyLine(optionalHeader, extra) ?? optionalHeader;
      declared.push(
        ...requirementList(list, `[project.optional-dependencies] ${extra}`, locator, start),
      );
    }
  }

  const groupsHeader = locator.headerLine('dependency-groups') ?? 1;
  for (const [group, list] of namedTables(tomlTable(document, 'dependency-groups'))) {
    const start = locator.keyLine(groupsHeader, group) ?? groupsHeader;
    declared.push(...requirementList(list, `[dependency-groups] ${group}`, locator, start));
  }

  const poetry = tomlTable(tomlTable(document, 'tool') ?? {}, 'poetry');
  if (poetry) {
    const sections: [string, TomlTable | undefined][] = [
      ['tool.poetry.dependencies', tomlTable(poetry, 'dependencies')],
      ['tool.poetry.dev-dependencies', tomlTable(poetry, 'dev-dependencies')],
      ...namedTables(tomlTable(poetry, 'group')).map(
        ([group, table]): [string, TomlTable | undefined] => [
          `tool.poetry.group.${group}.dependencies`,
          tomlTable((table ?? {}) as TomlTable, 'dependencies'),
        ],
      ),
    ];
    for (const [section, table] of sections) {
      const header = locator.headerLine(section) ?? 1;
      for (const [name, value] of namedTables(table)) {
        if (name === 'python') continue;
        const line = locator.keyLine(header, name) ?? header;
        declared.push(...tableStyleDependencies(name, value, line, `[${section}]`));
      }
    }
  }

  const tool = tomlTable(document, 'tool') ?? {};
  const pdm = tomlTable(tool, 'pdm');
  const pdmDev = pdm && tomlTable(pdm, 'dev-dependencies');
  if (pdmDev) {
    const header =
      locator.headerLine('tool.pdm.dev-dependencies') ?? locator.headerLine('tool.pdm') ?? 1;
    for (const [group, list] of namedTables(pdmDev)) {
      const start = locator.keyLine(header, group) ?? header;
      declared.push(
        ...requirementList(
          list,
          `[tool.pdm.dev-dependencies] ${group}`,
          locator,
          start,
          pdmDevRequirement,
        ),
      );
    }
  }

  const uv = tomlTable(tool, 'uv');
  if (uv && uv['dev-dependencies'] !== undefined) {
    const header = locator.headerLine('tool.uv') ?? 1;
    const start = locator.keyLine(header, 'dev-dependencies') ?? header;
    declared.push(
      ...requirementList(uv['dev-dependencies'], '[tool.uv] dev-dependencies', locator, start),
    );
  }

  return applyUvSources(declared, uv);
}

/** `[tool.uv.sources]` moves a dependency to git, a URL, a local path or a workspace member. */
function applyUvSources(declared: DeclaredPackage[], uv: TomlTable | undefined): DeclaredPackage[] {
  const sources = new Map(
    namedTables(uv && tomlTable(uv, 'sources')).map(([name, source]) => [
      normalizePythonName(name),
      source,
    ]),
  );
  if (sources.size === 0) return declared;
  return declared.flatMap((pkg) => {
    const raw = sources.get(normalizePythonName(pkg.name));
    const source = Array.isArray(raw) ? raw[0] : raw;
    if (!source || typeof source !== 'object') return [pkg];
    const table = source as TomlTable;
    if (table.workspace === true || typeof table.path === 'string') return [];
    const movedTo = (resolved: string): DeclaredPackage[] => {
      const { version: _pinnedOnTheIndex, ...rest } = pkg;
      return [{ ...rest, spec: pkg.spec ?? '', resolved }];
    };
    if (typeof table.git === 'string') {
      const ref = [table.rev, table.tag, table.branch].find((r) => typeof r === 'string');
      return movedTo(ref ? `git+${table.git}@${String(ref)}` : table.git);
    }
    if (typeof table.url === 'string') return movedTo(table.url);
    return [pkg];
  });
}
