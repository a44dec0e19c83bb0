// Generates the ranked popular-name lists that typosquat detection compares against:
//   npx tsx scripts/gen-popular.ts [--packages DIR] [--out DIR] [--top N] [--known N]
// Input: the tool library's package lists (npm.tsv: name, version, downloads_a_month, summary;
// pypi.tsv: name, version, month, rank_among_15000_most_downloaded, summary).
// Output: data/popular/npm.json and data/popular/pypi.json, each
//   { ecosystem, source, dataDate, top: [...names, most popular first], known: [...] }
// `top` are the names a squatter imitates; `known` are the next most popular names, which are
// never reported as squats themselves (a moderately popular package that happens to be one
// letter away from a top one is a real project, not an attack).
import { createReadStream, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    packages: { type: 'string', default: '/work/.library/env/packages' },
    top: { type: 'string', default: '5000' },
    known: { type: 'string', default: '15000' },
    out: { type: 'string', default: join(root, 'data', 'popular') },
  },
});
const packagesDir = values.packages ?? '/work/.library/env/packages';
const topCount = Number(values.top);
const knownCount = Number(values.known);
if (!Number.isInteger(topCount) || !Number.isInteger(knownCount) || knownCount < topCount) {
  throw new Error('--top and --known must be integers with known >= top');
}

interface Ranked {
  name: string;
  score: number;
}

async function readTsv(path: string, onRow: (cells: string[]) => void): Promise<string[]> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let header: string[] | undefined;
  for await (const line of lines) {
    const cells = line.split('\t');
    if (!header) header = cells;
    else onRow(cells);
  }
  if (!header) throw new Error(`${path} is empty`);
  return header;
}

function expectColumns(path: string, header: string[], expected: string[]): void {
  for (const [i, name] of expected.entries()) {
    if (header[i] !== name) {
      throw new Error(`${path}: column ${i + 1} is "${header[i]}", expected "${name}"`);
    }
  }
}

/** The files carry no date of their own beyond the PyPI release months; their mtime is when they were made. */
function fileDate(path: string): string {
  return statSync(path).mtime.toISOString().slice(0, 10);
}

function rankOrder(rows: Ranked[]): string[] {
  return rows
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name))
    .map((row) => row.name);
}

async function npmList() {
  const path = join(packagesDir, 'npm.tsv');
  const rows: Ranked[] = [];
  const header = await readTsv(path, ([name, , downloads]) => {
    const score = Number(downloads);
    if (name && Number.isFinite(score) && score > 0) rows.push({ name, score });
  });
  expectColumns(path, header, ['name', 'version', 'downloads_a_month']);
  const names = rankOrder(rows);
  return {
    ecosystem: 'npm',
    source: 'npm.tsv of the tool library: packages ranked by downloads in a month',
    dataDate: fileDate(path),
    top: names.slice(0, topCount),
    known: names.slice(topCount, knownCount),
  };
}

async function pypiList() {
  const path = join(packagesDir, 'pypi.tsv');
  const rows: Ranked[] = [];
  let latestMonth = '';
  const header = await readTsv(path, ([name, , month, rank]) => {
    if (month && month > latestMonth) latestMonth = month;
    const position = Number(rank);
    if (name && rank && Number.isInteger(position) && position > 0) {
      rows.push({ name, score: -position });
    }
  });
  expectColumns(path, header, ['name', 'version', 'month', 'rank_among_15000_most_downloaded']);
  const names = rankOrder(rows);
  return {
    ecosystem: 'pypi',
    source: `pypi.tsv of the tool library: rank among the 15000 most downloaded (release months up to ${latestMonth})`,
    dataDate: fileDate(path),
    top: names.slice(0, topCount),
    known: names.slice(topCount, knownCount),
  };
}

const outDir = values.out ?? join(root, 'data', 'popular');
mkdirSync(outDir, { recursive: true });
for (const list of [await npmList(), await pypiList()]) {
  const out = join(outDir, `${list.ecosystem}.json`);
  writeFileSync(out, `${JSON.stringify(list)}\n`);
  console.log(
    `${out}: ${list.top.length} top + ${list.known.length} known names, data of ${list.dataDate}`,
  );
}
