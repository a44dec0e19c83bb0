import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Reads a file from __tests__/manifests/fixtures/. */
export function fixture(relativePath: string): string {
  return readFileSync(
    fileURLToPath(new URL(`./fixtures/${relativePath}`, import.meta.url)),
    'utf8',
  );
}

/** 1-based line of the first line containing `needle`, so tests do not hard-code line numbers. */
export function lineOf(content: string, needle: string, from = 1): number {
  const lines = content.split('\n');
  for (let i = from - 1; i < lines.length; i++) if (lines[i].includes(needle)) return i + 1;
  throw new Error(`"${needle}" not found`);
}

/** 1-based line of the first line that is exactly `text` (ignoring trailing whitespace). */
export function exactLineOf(content: string, text: string): number {
  const index = content.split('\n').findIndex((line) => line.trimEnd() === text);
  if (index === -1) throw new Error(`no line "${text}"`);
  return index + 1;
}
