import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnalysisContext } from '../../../src/analysis/context.js';
import { analyzePackage } from '../../../src/analysis/index.js';
import { entrypointRules } from '../../../src/analysis/entrypoints/index.js';
import { initPythonParser } from '../../../src/analysis/python/parser.js';
import type { Ecosystem, Finding, PackageFile, PackageUnderTest } from '../../../src/types.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** A fixture folder as the unpacked package the analyzers see (paths relative to the folder). */
export function fixturePackage(
  path: string,
  ecosystem: Ecosystem,
  name?: string,
): PackageUnderTest {
  const dir = join(FIXTURES, path);
  const files: PackageFile[] = walk(dir).map((p) => {
    const data = new Uint8Array(readFileSync(p));
    return { path: relative(dir, p).split('\\').join('/'), data, size: data.length };
  });
  return { ecosystem, name, files };
}

export async function fixtureContext(
  path: string,
  ecosystem: Ecosystem,
  name?: string,
): Promise<AnalysisContext> {
  await initPythonParser();
  return new AnalysisContext(fixturePackage(path, ecosystem, name));
}

/** Runs only the entry-point rules, as the pipeline does. */
export async function entrypointFindings(
  path: string,
  ecosystem: Ecosystem,
  name?: string,
): Promise<Finding[]> {
  return analyzePackage(fixturePackage(path, ecosystem, name), { rules: entrypointRules });
}

export function inMemoryPackage(
  ecosystem: Ecosystem,
  files: Record<string, string>,
  name?: string,
): PackageUnderTest {
  return {
    ecosystem,
    name,
    files: Object.entries(files).map(([path, text]) => {
      const data = new TextEncoder().encode(text);
      return { path, data, size: data.length };
    }),
  };
}
