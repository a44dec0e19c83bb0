import { parse as parseToml } from 'smol-toml';
import type { Ecosystem, ManifestFormat } from '../../types.js';
import { normalizePythonName } from '../names.js';
import { parseJsonDocument } from '../parse/npm/json.js';
import { loadPnpmDocuments, parsePnpmPackageKey } from '../parse/npm/pnpm-lock.js';
import { parseYarnDocument } from '../parse/npm/yarn-lock.js';
import { stripBom } from '../parse/lines.js';
import {
  parseTomlDocument,
  tomlString,
  tomlTable,
  tomlTables,
  type TomlTable,
} from '../parse/python/toml.js';

/**
 * Who depends on whom, by package name, as a lockfile records it. Versions are left out: the
 * questions asked of it ("what brought this in", "did a changed package ask for it") are about
 * names, and nested copies of one name share them.
 */
export interface DependencyGraph {
  ecosystem: Ecosystem;
  /** The project's own direct dependencies, when the lockfile records them. */
  direct: Set<string>;
  /** Package name → names of the packages that depend on it. */
  dependents: Map<string, Set<string>>;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NPM_DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
] as const;

class GraphBuilder {
  readonly direct = new Set<string>();
  readonly dependents = new Map<string, Set<string>>();

  constructor(readonly ecosystem: Ecosystem) {}

  key(name: string): string {
    return this.ecosystem === 'pypi' ? normalizePythonName(name) : name;
  }

  edge(parent: string, child: string): void {
    const to = this.key(child);
    const from = this.key(parent);
    if (to === from) return;
    let set = this.dependents.get(to);
    if (!set) this.dependents.set(to, (set = new Set()));
    set.add(from);
  }

  root(name: string): void {
    this.direct.add(this.key(name));
  }

  build(): DependencyGraph {
    return { ecosystem: this.ecosystem, direct: this.direct, dependents: this.dependents };
  }
}

function namesOf(entry: Json, fields: readonly string[]): string[] {
  return fields.flatMap((field) => (isObject(entry[field]) ? Object.keys(entry[field]) : []));
}

function packageLockGraph(content: string): DependencyGraph {
  const { root } = parseJsonDocument(content, 'package-lock');
  const graph = new GraphBuilder('npm');
  if (isObject(root.packages)) {
    const packages = root.packages;
    // An alias installs `node_modules/<alias>` holding another package: edges name the folder.
    const realName = (folder: string): string => {
      const entry = packages[`node_modules/${folder}`];
      return isObject(entry) && typeof entry.name === 'string' ? entry.name : folder;
    };
    for (const [key, entry] of Object.entries(packages)) {
      if (!isObject(entry)) continue;
      const at = key.lastIndexOf('node_modules/');
      const children = namesOf(entry, NPM_DEPENDENCY_FIELDS).map(realName);
      // '' is the project; other keys without node_modules/ are its workspaces.
      if (at === -1) children.forEach((child) => graph.root(child));
      else {
        const name =
          typeof entry.name === 'string' ? entry.name : key.slice(at + 'node_modules/'.length);
        children.forEach((child) => graph.edge(name, child));
      }
    }
    return graph.build();
  }
  // lockfileVersion 1: the tree records `requires`, not which packages the project asked for.
  const walk = (dependencies: unknown): void => {
    if (!isObject(dependencies)) return;
    for (const [name, entry] of Object.entries(dependencies)) {
      if (!isObject(entry)) continue;
      for (const child of namesOf(entry, ['requires'])) graph.edge(name, child);
      walk(entry.dependencies);
    }
  };
  walk(root.dependencies);
  return graph.build();
}

function descriptorName(descriptor: string): string {
  const at = descriptor.indexOf('@', 1);
  return at === -1 ? descriptor : descriptor.slice(0, at);
}

function yarnGraph(content: string): DependencyGraph {
  const document = parseYarnDocument(stripBom(content));
  const graph = new GraphBuilder('npm');
  for (const { descriptors, fields } of document.entries) {
    const resolution = typeof fields.resolution === 'string' ? fields.resolution : descriptors[0];
    const children = namesOf(fields, ['dependencies', 'optionalDependencies', 'peerDependencies']);
    // Berry lists the project and its workspaces as `name@workspace:…` entries.
    if (/@workspace:/.test(resolution)) children.forEach((child) => graph.root(child));
    else children.forEach((child) => graph.edge(descriptorName(resolution), child));
  }
  return graph.build();
}

function pnpmGraph(content: string): DependencyGraph {
  // pnpm 10 may write a small environment document first.
  const documents = loadPnpmDocuments(stripBom(content)).filter(isObject);
  const lockfile =
    documents.filter((d) => d.packages !== undefined).pop() ??
    documents.filter((d) => d.lockfileVersion !== undefined).pop() ??
    {};
  const major = Number(String(lockfile.lockfileVersion ?? '9').split('.')[0]);
  const graph = new GraphBuilder('npm');
  const importers = isObject(lockfile.importers) ? Object.values(lockfile.importers) : [lockfile];
  for (const importer of importers) {
    if (!isObject(importer)) continue;
    namesOf(importer, ['dependencies', 'devDependencies', 'optionalDependencies']).forEach((name) =>
      graph.root(name),
    );
  }
  // pnpm 9 moved the dependency lists from `packages` to `snapshots`.
  const nodes = isObject(lockfile.snapshots) ? lockfile.snapshots : lockfile.packages;
  if (isObject(nodes)) {
    for (const [key, entry] of Object.entries(nodes)) {
      if (!isObject(entry)) continue;
      const name =
        typeof entry.name === 'string' ? entry.name : parsePnpmPackageKey(key, major).name;
      namesOf(entry, ['dependencies', 'optionalDependencies']).forEach((child) =>
        graph.edge(name, child),
      );
    }
  }
  return graph.build();
}

function bunGraph(content: string): DependencyGraph {
  const { root } = parseJsonDocument(content, 'bun.lock', { jsonc: true });
  const graph = new GraphBuilder('npm');
  if (isObject(root.workspaces)) {
    for (const workspace of Object.values(root.workspaces)) {
      if (isObject(workspace))
        namesOf(workspace, NPM_DEPENDENCY_FIELDS).forEach((n) => graph.root(n));
    }
  }
  if (isObject(root.packages)) {
    for (const entry of Object.values(root.packages)) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
      const name = descriptorName(entry[0]);
      const meta = entry.find((item, index) => index > 0 && isObject(item)) as Json | undefined;
      if (meta) {
        namesOf(meta, ['dependencies', 'optionalDependencies', 'peerDependencies']).forEach(
          (child) => graph.edge(name, child),
        );
      }
    }
  }
  return graph.build();
}

/** The name at the start of a PEP 508 string (`requests[socks]>=2; python_version>"3"`). */
function requirementName(requirement: string): string | undefined {
  return /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement)?.[1];
}

function pythonGraph(content: string, format: ManifestFormat): DependencyGraph {
  const document = parseTomlDocument(content, format);
  const graph = new GraphBuilder('pypi');
  for (const table of tomlTables(document, 'package')) {
    const name = tomlString(table, 'name');
    if (!name) continue;
    const children: string[] = [];
    if (format === 'poetry-lock') {
      children.push(...Object.keys(tomlTable(table, 'dependencies') ?? {}));
    } else if (format === 'uv-lock') {
      const lists: TomlTable[] = [
        ...tomlTables(table, 'dependencies'),
        ...Object.keys(tomlTable(table, 'optional-dependencies') ?? {}).flatMap((extra) =>
          tomlTables(tomlTable(table, 'optional-dependencies')!, extra),
        ),
        ...Object.keys(tomlTable(table, 'dev-dependencies') ?? {}).flatMap((group) =>
          tomlTables(tomlTable(table, 'dev-dependencies')!, group),
        ),
      ];
      children.push(...lists.map((dep) => tomlString(dep, 'name')).filter((n) => n !== undefined));
    } else {
      const list = table.dependencies;
      if (Array.isArray(list)) {
        children.push(
          ...list
            .map((r) => (typeof r === 'string' ? requirementName(r) : undefined))
            .filter((n): n is string => n !== undefined),
        );
      }
    }
    // uv records the project (and workspace members) as local packages: their dependencies are
    // the direct ones.
    const source = tomlTable(table, 'source') ?? {};
    const isProject = ['editable', 'virtual'].some((key) => key in source);
    if (isProject) children.forEach((child) => graph.root(child));
    else children.forEach((child) => graph.edge(name, child));
  }
  return graph.build();
}

function requirementNames(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list
    .map((item) =>
      // `-e ./lib` (PDM dev-dependencies) is the project's own code, not a package to reach.
      typeof item === 'string' && !item.trim().startsWith('-') ? requirementName(item) : undefined,
    )
    .filter((name): name is string => name !== undefined);
}

function tableKeys(table: TomlTable | undefined): string[] {
  return table ? Object.keys(table) : [];
}

/**
 * The project's direct dependencies as pyproject.toml declares them, by name: PEP 621
 * `dependencies` and `optional-dependencies`, PEP 735 `[dependency-groups]`, Poetry's
 * `dependencies`, `dev-dependencies` and groups, and PDM's `dev-dependencies`. poetry.lock and
 * pdm.lock record who depends on whom but not which packages the project itself asked for; these
 * are those roots. Throws on content that is not TOML.
 */
export function pyprojectDirectDependencies(content: string): string[] {
  const document = parseToml(stripBom(content)) as TomlTable;
  const names: string[] = [];
  const project = tomlTable(document, 'project');
  if (project) {
    names.push(...requirementNames(project.dependencies));
    for (const list of Object.values(tomlTable(project, 'optional-dependencies') ?? {})) {
      names.push(...requirementNames(list));
    }
  }
  for (const list of Object.values(tomlTable(document, 'dependency-groups') ?? {})) {
    names.push(...requirementNames(list));
  }
  const tool = tomlTable(document, 'tool') ?? {};
  const poetry = tomlTable(tool, 'poetry');
  if (poetry) {
    const tables = [
      tomlTable(poetry, 'dependencies'),
      tomlTable(poetry, 'dev-dependencies'),
      ...Object.values(tomlTable(poetry, 'group') ?? {}).map((group) =>
        group && typeof group === 'object'
          ? tomlTable(group as TomlTable, 'dependencies')
          : undefined,
      ),
    ];
    names.push(...tables.flatMap(tableKeys).filter((name) => name.toLowerCase() !== 'python'));
  }
  const pdm = tomlTable(tool, 'pdm');
  for (const list of Object.values((pdm && tomlTable(pdm, 'dev-dependencies')) ?? {})) {
    names.push(...requirementNames(list));
  }
  return [...new Set(names)];
}

function parsePackageJson(content: string): Json {
  const document: unknown = JSON.parse(stripBom(content));
  if (!isObject(document)) throw new Error('package.json is not a JSON object');
  return document;
}

/**
 * The packages a package.json asks for, by name: `dependencies`, `devDependencies`,
 * `optionalDependencies` and `peerDependencies`. Yarn 1 lockfiles and package-lock.json v1 record
 * who depends on whom but not which packages the project itself asked for; these are those
 * roots. Throws on content that is not a JSON object.
 */
export function packageJsonDirectDependencies(content: string): string[] {
  return [...new Set(namesOf(parsePackageJson(content), NPM_DEPENDENCY_FIELDS))];
}

/**
 * The workspace patterns of a package.json: `workspaces: [...]`, or Yarn 1's
 * `workspaces: { packages: [...] }`. Throws on content that is not a JSON object.
 */
export function packageJsonWorkspaces(content: string): string[] {
  const workspaces = parsePackageJson(content).workspaces;
  const list = isObject(workspaces) ? workspaces.packages : workspaces;
  return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
}

/** Marks `names` as the project's direct dependencies in a graph (the roots `via` leads to). */
export function addDirectDependencies(graph: DependencyGraph, names: readonly string[]): void {
  for (const name of names) {
    graph.direct.add(graph.ecosystem === 'pypi' ? normalizePythonName(name) : name);
  }
}

/**
 * The dependency graph a lockfile records, or undefined when the format records none
 * (Pipfile.lock, pylock.toml, declaring manifests) or the content cannot be read (the parse
 * stage has already reported that).
 */
export function dependencyGraph(
  format: ManifestFormat,
  content: string,
): DependencyGraph | undefined {
  try {
    switch (format) {
      case 'package-lock':
        return packageLockGraph(content);
      case 'yarn-lock':
        return yarnGraph(content);
      case 'pnpm-lock':
        return pnpmGraph(content);
      case 'bun-lock':
        return bunGraph(content);
      case 'poetry-lock':
      case 'uv-lock':
      case 'pdm-lock':
        return pythonGraph(content, format);
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

/**
 * The direct dependencies that bring `name` in, following dependents up the graph (breadth
 * first, cycles cut). Empty for a direct dependency, or when no path reaches one.
 */
export function broughtInBy(graph: DependencyGraph, name: string, limit = 5): string[] {
  const start = graph.ecosystem === 'pypi' ? normalizePythonName(name) : name;
  // No root to reach (Yarn 1, package-lock v1 without a readable package.json beside them):
  // walking up a 5,000-package chain would find nothing.
  if (graph.direct.size === 0 || graph.direct.has(start)) return [];
  const seen = new Set([start]);
  const found = new Set<string>();
  let frontier = [start];
  while (frontier.length > 0 && found.size < limit) {
    const next: string[] = [];
    for (const node of frontier) {
      for (const parent of graph.dependents.get(node) ?? []) {
        if (seen.has(parent)) continue;
        seen.add(parent);
        if (graph.direct.has(parent)) found.add(parent);
        else next.push(parent);
      }
    }
    frontier = next;
  }
  return [...found].sort().slice(0, limit);
}
