/** PEP 503 normalisation: PyPI treats `Foo.Bar`, `foo_bar` and `foo-bar` as one project. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
