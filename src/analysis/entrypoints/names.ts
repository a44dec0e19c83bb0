/** PEP 503 normalised form of a PyPI project name: lower case, runs of `-_.` become one `-`. */
export function normalizePypiName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[-_.]+/g, '-');
}

/** npm's default command name for a string `bin`: the package name without its scope. */
export function npmDefaultBinName(packageName: string): string {
  return packageName.replace(/^@[^/]+\//, '');
}
