import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzePackage } from '../../../src/analysis/index.js';
import type { Rule } from '../../../src/analysis/rule.js';
import type { Ecosystem, Finding, PackageFile } from '../../../src/types.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

function walk(dir: string, root: string, out: PackageFile[]): void {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, root, out);
    else {
      const data = new Uint8Array(readFileSync(full));
      out.push({ path: relative(root, full).split('\\').join('/'), data, size: data.length });
    }
  }
}

/** A fixture package (a folder under fixtures/) as the analyzers see an unpacked archive. */
export function fixturePackage(name: string): { ecosystem: Ecosystem; files: PackageFile[] } {
  const root = join(FIXTURES, name);
  const files: PackageFile[] = [];
  walk(root, root, files);
  const ecosystem: Ecosystem = files.some((f) => f.path.endsWith('package.json')) ? 'npm' : 'pypi';
  return { ecosystem, files };
}

/** Findings of one rule on a fixture package. */
export async function run(rule: Rule, fixture: string): Promise<Finding[]> {
  const pkg = fixturePackage(fixture);
  return analyzePackage({ ...pkg, name: 'demo', version: '1.0' }, { rules: [rule] });
}

/** Findings of one rule on an in-memory package given as path → text. */
export async function runOn(
  rule: Rule,
  ecosystem: Ecosystem,
  files: Record<string, string>,
): Promise<Finding[]> {
  const list: PackageFile[] = Object.entries(files).map(([path, text]) => {
    const data = new TextEncoder().encode(text);
    return { path, data, size: data.length };
  });
  return analyzePackage({ ecosystem, files: list }, { rules: [rule] });
}

export const gating = (findings: Finding[]) =>
  findings.filter((f) => f.severity === 'high' || f.severity === 'critical');
