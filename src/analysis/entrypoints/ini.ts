/**
 * A small INI reader that follows Python's configparser and importlib.metadata closely enough for
 * entry_points.txt and setup.cfg: `[section]` headers, `key = value` or `key: value`, full-line
 * comments (`#`, `;`), and indented continuation lines that extend the previous value. Unlike
 * configparser it keeps every line number, because findings must point at the declaring line.
 */

export interface IniLine {
  text: string;
  /** 1-based line in the source. */
  line: number;
}

export interface IniEntry {
  /** Key as written (case kept: entry-point names are case-sensitive). */
  key: string;
  /** Value of the first line, trimmed. */
  value: string;
  line: number;
  /** The first line's value followed by every continuation line, trimmed, blanks dropped. */
  valueLines: IniLine[];
}

export interface IniSection {
  name: string;
  line: number;
  entries: IniEntry[];
}

export interface IniDocument {
  /** Sections by name; a repeated header merges into the first, as importlib.metadata reads it. */
  sections: Map<string, IniSection>;
  /** Lines that are neither header, entry, comment nor continuation. */
  problems: IniLine[];
}

/** Reads INI text whose first line is numbered `firstLine` (for INI embedded in another file). */
export function parseIni(text: string, firstLine = 1): IniDocument {
  const sections = new Map<string, IniSection>();
  const problems: IniLine[] = [];
  let section: IniSection | undefined;
  let entry: IniEntry | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const line = firstLine + i;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) {
      // configparser keeps blank lines inside a multi-line value; they carry nothing for us.
      continue;
    }
    const indented = /^\s/.test(raw);
    if (indented && entry) {
      entry.valueLines.push({ text: trimmed, line });
      continue;
    }
    const header = /^\[([^\]]+)\]\s*(?:[#;].*)?$/.exec(trimmed);
    if (header) {
      const name = header[1].trim();
      section = sections.get(name);
      if (!section) {
        section = { name, line, entries: [] };
        sections.set(name, section);
      }
      entry = undefined;
      continue;
    }
    const delimiter = firstDelimiter(trimmed);
    if (!section || delimiter < 0) {
      problems.push({ text: trimmed, line });
      entry = undefined;
      continue;
    }
    const key = trimmed.slice(0, delimiter).trim();
    const value = trimmed.slice(delimiter + 1).trim();
    entry = { key, value, line, valueLines: value ? [{ text: value, line }] : [] };
    section.entries.push(entry);
  }
  return { sections, problems };
}

/** configparser splits on the first `=` or `:`; entry-point targets contain `:`, so `=` wins. */
function firstDelimiter(line: string): number {
  const eq = line.indexOf('=');
  const colon = line.indexOf(':');
  if (eq >= 0 && (colon < 0 || eq < colon)) return eq;
  return colon;
}
