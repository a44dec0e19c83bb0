import type { DeclaredPackage } from '../../../types.js';
import { parseTomlDocument, tomlTable } from './toml.js';
import { TomlLocator } from './toml-locator.js';
import { tableStyleDependencies } from './pyproject.js';

const SECTIONS = ['packages', 'dev-packages'];

/**
 * Parses a Pipfile: `[packages]` and `[dev-packages]` (and any custom category table pipenv
 * accepts is ignored for now), each dependency at the line of its key. `==` pins give a version,
 * `*` and ranges a spec, git/file tables a resolved source; local paths are left out.
 */
export function parsePipfile(content: string): DeclaredPackage[] {
  const document = parseTomlDocument(content, 'Pipfile');
  const locator = new TomlLocator(content);
  const declared: DeclaredPackage[] = [];
  for (const section of SECTIONS) {
    const table = tomlTable(document, section);
    if (!table) continue;
    const header = locator.headerLine(section) ?? 1;
    for (const [name, value] of Object.entries(table)) {
      const line = locator.keyLine(header, name) ?? header;
      declared.push(...tableStyleDependencies(name, value, line, `Pipfile [${section}]`));
    }
  }
  return declared;
}
