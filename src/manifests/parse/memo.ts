/**
 * Remembers the last document parsed from a text. A run parses the head side of a lockfile for
 * its packages and right after for its dependency graph; on a 5,000-package Berry yarn.lock or
 * pnpm-lock.yaml each YAML parse costs hundreds of milliseconds. Callers must treat the result
 * as read-only.
 */
export function rememberLast<T>(parse: (text: string) => T): (text: string) => T {
  let lastText: string | undefined;
  let lastResult: T | undefined;
  return (text) => {
    if (text !== lastText || lastResult === undefined) {
      lastResult = parse(text);
      lastText = text;
    }
    return lastResult;
  };
}
