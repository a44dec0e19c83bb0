import type { Program } from 'acorn';
import type { Ecosystem, PackageFile, PackageUnderTest } from '../types.js';
import { parseJavaScript } from './javascript/parser.js';
import { parsePython, type Tree } from './python/parser.js';

/** Source files above this size are checked as text only: parsing them costs more than it tells. */
export const MAX_PARSE_BYTES = 2 * 1024 * 1024;

/**
 * Wall-clock time per package after which files with no threat indicator and no automatic
 * execution are no longer parsed (they are text-checked and reported by code-analysis-budget):
 * the byte budget keeps typical packages fast, this keeps one huge package on a busy runner
 * under the five-second ceiling. Files with indicators get half as long again; code that runs by
 * itself is always parsed.
 */
export const PARSE_TIME_BUDGET_MS = 2500;

/** Whether a parse candidate of this rank (1: has indicators, 2: other) is past its deadline. */
export function pastParseDeadline(rank: number, elapsedMs: number, budgetMs: number): boolean {
  if (rank < 1) return false;
  return elapsedMs > (rank === 1 ? budgetMs * 1.5 : budgetMs);
}

const PYTHON_FILE = /\.(py|pyw|pyi)$/i;
const JS_FILE = /\.(js|cjs|mjs|jsx)$/i;

/**
 * Everything a rule may ask about one package, computed lazily and cached so that twenty rules
 * reading the same setup.py parse it once.
 */
export class AnalysisContext {
  readonly ecosystem: Ecosystem;
  readonly name?: string;
  readonly version?: string;
  readonly files: readonly PackageFile[];
  private readonly byPath = new Map<string, PackageFile>();
  private readonly texts = new Map<string, string | null>();
  private readonly pythonTrees = new Map<string, Tree | null>();
  private readonly jsPrograms = new Map<string, Program | null>();
  private rootDir?: string;

  constructor(pkg: PackageUnderTest) {
    this.ecosystem = pkg.ecosystem;
    this.name = pkg.name;
    this.version = pkg.version;
    this.files = pkg.files;
    for (const file of pkg.files) this.byPath.set(file.path, file);
  }

  file(path: string): PackageFile | undefined {
    return this.byPath.get(path);
  }

  /**
   * The folder that holds the package's metadata: `package/` in npm tarballs, `name-1.0/` in
   * sdists, '' in wheels. Ends with '/' unless empty.
   */
  get root(): string {
    if (this.rootDir === undefined) {
      const markers =
        this.ecosystem === 'npm'
          ? ['package.json']
          : ['setup.py', 'pyproject.toml', 'setup.cfg', 'PKG-INFO'];
      let best: string | undefined;
      for (const file of this.files) {
        const base = file.path.split('/').pop() ?? '';
        if (!markers.includes(base)) continue;
        const dir = file.path.slice(0, file.path.length - base.length);
        if (best === undefined || dir.split('/').length < best.split('/').length) best = dir;
      }
      this.rootDir = best ?? '';
    }
    return this.rootDir;
  }

  /** Path of a file relative to the package root, resolved to the archive path. */
  atRoot(relative: string): string {
    return this.root + relative.replace(/^\.?\//, '');
  }

  /** UTF-8 text of a file, or null for binary content (a NUL byte in the first 8 KiB). */
  text(path: string): string | null {
    if (this.texts.has(path)) return this.texts.get(path) ?? null;
    const file = this.byPath.get(path);
    let text: string | null = null;
    if (file && !looksBinary(file.data)) text = Buffer.from(file.data).toString('utf8');
    this.texts.set(path, text);
    return text;
  }

  isPython(path: string): boolean {
    return PYTHON_FILE.test(path);
  }

  isJavaScript(path: string): boolean {
    return JS_FILE.test(path);
  }

  pythonFiles(): PackageFile[] {
    return this.files.filter((f) => PYTHON_FILE.test(f.path));
  }

  javascriptFiles(): PackageFile[] {
    return this.files.filter((f) => JS_FILE.test(f.path));
  }

  /** tree-sitter tree of a Python file; null when missing, binary, truncated or too large. */
  python(path: string): Tree | null {
    if (!this.pythonTrees.has(path)) {
      const source = this.parseableText(path);
      this.pythonTrees.set(path, source === null ? null : parsePython(source));
    }
    return this.pythonTrees.get(path) ?? null;
  }

  /** acorn AST of a JavaScript file; null when missing, unparseable, truncated or too large. */
  javascript(path: string): Program | null {
    if (!this.jsPrograms.has(path)) {
      const source = this.parseableText(path);
      this.jsPrograms.set(path, source === null ? null : parseJavaScript(source));
    }
    return this.jsPrograms.get(path) ?? null;
  }

  /** The root package.json of an npm package, parsed; undefined when absent or invalid. */
  packageJson(): Record<string, unknown> | undefined {
    const text = this.text(this.atRoot('package.json'));
    if (text === null) return undefined;
    try {
      const value: unknown = JSON.parse(text);
      return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }

  private parseableText(path: string): string | null {
    const file = this.byPath.get(path);
    if (!file || file.truncated || file.data.length > MAX_PARSE_BYTES) return null;
    return this.text(path);
  }
}

export function looksBinary(data: Uint8Array): boolean {
  const end = Math.min(data.length, 8192);
  for (let i = 0; i < end; i++) if (data[i] === 0) return true;
  return false;
}

/** 1-based line number of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** A short, single-line evidence snippet: long blobs are elided so comments stay readable. */
export function snippet(text: string, max = 160): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
