import { parse, type Options, type Program } from 'acorn';

const common: Options = {
  ecmaVersion: 'latest',
  locations: true,
  allowHashBang: true,
  allowReturnOutsideFunction: true,
  allowImportExportEverywhere: true,
  allowAwaitOutsideFunction: true,
};

/**
 * Parses JavaScript as a module first and as a script second (sloppy-mode code such as `with`
 * or octal literals is common in old packages). Returns null when neither parses; callers then
 * fall back to text-level checks rather than skipping the file.
 */
export function parseJavaScript(source: string): Program | null {
  for (const sourceType of ['module', 'script'] as const) {
    try {
      return parse(source, { ...common, sourceType });
    } catch {
      // try the next mode
    }
  }
  return null;
}
