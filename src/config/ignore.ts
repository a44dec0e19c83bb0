import picomatch from 'picomatch';

/**
 * Splits changed files into those pkg-gate inspects and those `ignore-paths` skips. A renamed
 * file is ignored only when both its old and new paths match, so moving a lockfile out of an
 * ignored folder cannot hide it.
 */
export function partitionIgnored<T extends { path: string; previousPath?: string }>(
  files: readonly T[],
  globs: readonly string[],
): { kept: T[]; ignored: T[] } {
  if (globs.length === 0) return { kept: [...files], ignored: [] };
  // dot: a pattern like `examples/**` must also cover `examples/.npmrc`.
  const matches = picomatch([...globs], { dot: true });
  const kept: T[] = [];
  const ignored: T[] = [];
  for (const file of files) {
    const skip = matches(file.path) && (!file.previousPath || matches(file.previousPath));
    (skip ? ignored : kept).push(file);
  }
  return { kept, ignored };
}
