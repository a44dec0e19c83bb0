import { parse, type Options, type Program } from 'acorn';

const common: Options = {
  ecmaVersion: 'latest',
  allowHashBang: true,
  allowReturnOutsideFunction: true,
  allowImportExportEverywhere: true,
  allowAwaitOutsideFunction: true,
};

const ESM_SYNTAX = /^[ \t]*(?:import[\s{*'"]|export\s)/m;

/**
 * Parses JavaScript as a module first and as a script second (sloppy-mode code such as `with`
 * or octal literals is common in old packages). Returns null when neither parses; callers then
 * fall back to text-level checks rather than skipping the file.
 */
export function parseJavaScript(source: string): Program | null {
  // Most npm code is CommonJS: trying the likelier mode first saves a second parse of a big
  // bundle that fails late in module mode (sloppy-mode code, `with`, octal escapes).
  const modes: ('module' | 'script')[] = ESM_SYNTAX.test(source)
    ? ['module', 'script']
    : ['script', 'module'];
  for (const sourceType of modes) {
    try {
      return parse(source, { ...common, sourceType });
    } catch {
      // try the next mode
    }
  }
  return null;
}
