import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import type { ManifestFormat } from '../../types.js';
import { ManifestParseError } from './errors.js';
import { stripBom } from './lines.js';
import { parseRequirementsFile } from './python/requirements.js';
import {
  parseTomlDocument,
  tomlString,
  tomlTable,
  tomlTables,
  type TomlTable,
} from './python/toml.js';
import { TomlLocator } from './python/toml-locator.js';

/**
 * A line of a dependency or configuration file that tells an installer where to look for
 * packages: a pip index option, an npm (scoped) registry, a uv/Poetry/Pipfile index. A new one in a
 * PR is how dependency confusion starts, so these are diffed like packages.
 */
export interface RegistrySetting {
  /** What is set, as the file spells it: `--extra-index-url`, `@acme:registry`, `npmScopes.acme`. */
  setting: string;
  /** The URL (or path, for --find-links) it points at. */
  url: string;
  /** 1-based line. */
  line: number;
}

/**
 * `.npmrc` (npm and pnpm read it): `registry=…` and `@scope:registry=…`. Auth lines
 * (`//host/:_authToken=…`) configure a registry without choosing one, so they are not settings.
 */
export function parseNpmrcRegistries(content: string): RegistrySetting[] {
  const settings: RegistrySetting[] = [];
  stripBom(content)
    .split(/\r?\n/)
    .forEach((raw, index) => {
      const text = raw.trim();
      if (text === '' || text.startsWith('#') || text.startsWith(';')) return;
      const match = /^([^=\s]+)\s*=\s*(.*)$/.exec(text);
      if (!match) return;
      const key = match[1];
      if (key !== 'registry' && !/^@[^:]+:registry$/.test(key)) return;
      const url = match[2].trim().replace(/^(["'])(.*)\1$/, '$2');
      settings.push({ setting: key, url, line: index + 1 });
    });
  return settings;
}

function yamlLine(node: Node | null | undefined, counter: LineCounter): number {
  const offset = node?.range?.[0];
  return offset === undefined ? 1 : counter.linePos(offset).line;
}

/**
 * `.yarnrc.yml` (Yarn 2+): `npmRegistryServer` at the top and per scope under `npmScopes`.
 * `npmRegistries` only holds credentials for a server, so it chooses nothing.
 */
export function parseYarnrcRegistries(content: string): RegistrySetting[] {
  const counter = new LineCounter();
  const document = parseDocument(stripBom(content), { lineCounter: counter });
  if (document.errors.length > 0) {
    const error = document.errors[0];
    throw new ManifestParseError(
      `.yarnrc.yml is not valid YAML: ${error.message.split('\n')[0]}`,
      error.linePos?.[0]?.line,
    );
  }
  const root = document.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return [];
  if (!isMap(root)) throw new ManifestParseError('.yarnrc.yml is not a mapping', 1);
  const settings: RegistrySetting[] = [];
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key === 'npmRegistryServer' && isScalar(pair.value)) {
      settings.push({
        setting: key,
        url: String(pair.value.value),
        line: yamlLine(pair.value, counter),
      });
    }
    if (key === 'npmScopes' && isMap(pair.value)) {
      for (const scope of pair.value.items) {
        if (!isScalar(scope.key) || !isMap(scope.value)) continue;
        const server = scope.value.items.find(
          (item) => isScalar(item.key) && item.key.value === 'npmRegistryServer',
        );
        if (server && isScalar(server.value)) {
          settings.push({
            setting: `npmScopes.${String(scope.key.value)}.npmRegistryServer`,
            url: String(server.value.value),
            line: yamlLine(server.value as Node, counter),
          });
        }
      }
    }
  }
  return settings;
}

/** pip's index options in a requirements file (`--trusted-host` and `--no-index` choose no index). */
function requirementsRegistries(content: string): RegistrySetting[] {
  return parseRequirementsFile(content)
    .indexOptions.filter((o) => o.option !== 'no-index' && o.option !== 'trusted-host')
    .map((o) => ({ setting: `--${o.option}`, url: o.value, line: o.line }));
}

/** `[[tool.uv.index]]`, `[tool.uv] index-url/extra-index-url/find-links`, Poetry and PDM sources. */
function pyprojectRegistries(content: string): RegistrySetting[] {
  const document = parseTomlDocument(content, 'pyproject.toml');
  const locator = new TomlLocator(content);
  const tool = tomlTable(document, 'tool') ?? {};
  const settings: RegistrySetting[] = [];
  const fromTables = (tables: TomlTable[], header: string, setting: string) => {
    const start = locator.headerLine(header) ?? 1;
    for (const table of tables) {
      const url = tomlString(table, 'url');
      if (url === undefined) continue;
      const line = locator.stringLine(url, start) ?? start;
      settings.push({ setting, url, line });
    }
  };
  const uv = tomlTable(tool, 'uv');
  if (uv) {
    fromTables(tomlTables(uv, 'index'), 'tool.uv.index', '[[tool.uv.index]]');
    const uvHeader = locator.headerLine('tool.uv') ?? 1;
    for (const key of ['index-url', 'extra-index-url', 'find-links']) {
      const value = uv[key];
      const urls = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
      for (const url of urls) {
        if (typeof url !== 'string') continue;
        const line = locator.stringLine(url, uvHeader) ?? uvHeader;
        settings.push({ setting: `[tool.uv] ${key}`, url, line });
      }
    }
  }
  const poetry = tomlTable(tool, 'poetry');
  if (poetry)
    fromTables(tomlTables(poetry, 'source'), 'tool.poetry.source', '[[tool.poetry.source]]');
  const pdm = tomlTable(tool, 'pdm');
  if (pdm) fromTables(tomlTables(pdm, 'source'), 'tool.pdm.source', '[[tool.pdm.source]]');
  return settings;
}

/** Pipfile `[[source]]` tables. */
function pipfileRegistries(content: string): RegistrySetting[] {
  const document = parseTomlDocument(content, 'Pipfile');
  const locator = new TomlLocator(content);
  const start = locator.headerLine('source') ?? 1;
  return tomlTables(document, 'source').flatMap((table) => {
    const url = tomlString(table, 'url');
    if (url === undefined) return [];
    return [{ setting: '[[source]]', url, line: locator.stringLine(url, start) ?? start }];
  });
}

/**
 * The registry settings of a dependency or registry configuration file; empty for formats that
 * carry none (lockfiles record where each package came from instead, which the source checks
 * read). Throws ManifestParseError like the package parsers.
 */
export function registrySettings(format: ManifestFormat, content: string): RegistrySetting[] {
  switch (format) {
    case 'requirements':
      return requirementsRegistries(content);
    case 'npmrc':
      return parseNpmrcRegistries(content);
    case 'yarnrc':
      return parseYarnrcRegistries(content);
    case 'pyproject':
      return pyprojectRegistries(content);
    case 'pipfile':
      return pipfileRegistries(content);
    default:
      return [];
  }
}
