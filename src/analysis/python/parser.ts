import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser, type Tree } from 'web-tree-sitter';

export type { Node as SyntaxNode, Tree } from 'web-tree-sitter';

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

/**
 * The bundle ships both WASM files beside dist/*.js; in development and tests they come from
 * node_modules. Looking beside the running module first keeps dist/ self-contained.
 */
function locateWasm(file: string, packageSpecifier: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, file);
  if (existsSync(beside)) return beside;
  return createRequire(import.meta.url).resolve(packageSpecifier);
}

/** Loads the Python grammar once; every analysis entry point awaits this before parsing. */
export function initPythonParser(): Promise<void> {
  loading ??= (async () => {
    const runtimeWasm = locateWasm('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm');
    await Parser.init({ locateFile: () => runtimeWasm });
    const language = await Language.load(
      locateWasm('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm'),
    );
    parser = new Parser();
    parser.setLanguage(language);
  })();
  return loading;
}

/** Parses Python source. tree-sitter is error-tolerant: broken code still yields a tree. */
export function parsePython(source: string): Tree {
  if (!parser) throw new Error('initPythonParser() must complete before parsePython()');
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
