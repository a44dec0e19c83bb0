import { stripBom } from '../lines.js';

/**
 * Finds where values of a parsed TOML document were written. smol-toml keeps no positions, and
 * declaring manifests (pyproject.toml, Pipfile) are small and hand-written, so a look at the lines
 * of the table that holds a value is both exact enough and cheap.
 */
export class TomlLocator {
  private readonly lines: string[];

  constructor(content: string) {
    this.lines = stripBom(content).split(/\r?\n/);
  }

  /** 1-based line of the `[a.b.c]` (or `[[a.b.c]]`) header, ignoring quotes and spacing. */
  headerLine(table: string): number | undefined {
    const wanted = table.replace(/["'\s]/g, '');
    const index = this.lines.findIndex((line) => {
      const match = /^\s*\[\[?([^\]]+)\]\]?\s*(#.*)?$/.exec(line);
      return match !== null && match[1].replace(/["'\s]/g, '') === wanted;
    });
    return index === -1 ? undefined : index + 1;
  }

  /** The last line of the table that starts at `headerLine` (the line before the next header). */
  private tableEnd(headerLine: number): number {
    for (let i = headerLine; i < this.lines.length; i++) {
      if (/^\s*\[/.test(this.lines[i])) return i;
    }
    return this.lines.length;
  }

  /** Line of `key = …` inside the table at `headerLine` (the document root when 0). */
  keyLine(headerLine: number, key: string): number | undefined {
    const end = this.tableEnd(headerLine);
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`^\\s*(?:${escaped}|"${escaped}"|'${escaped}')\\s*=`);
    for (let i = headerLine; i < end; i++) if (pattern.test(this.lines[i])) return i + 1;
    return undefined;
  }

  /**
   * Line of the string literal `value` at or after line `from` (1-based). Tries the literal,
   * basic and JSON-escaped spellings a TOML writer may have used.
   */
  stringLine(value: string, from: number): number | undefined {
    const spellings = [`"${value}"`, `'${value}'`, JSON.stringify(value)];
    for (let i = Math.max(from - 1, 0); i < this.lines.length; i++) {
      const line = this.lines[i];
      if (spellings.some((spelling) => line.includes(spelling))) return i + 1;
    }
    return undefined;
  }
}
