// npm run bench — prints speed and memory figures (never asserted in unit tests).
// Sections: a PR without dependency changes (action start to verdict), a 5,000-package lockfile
// diff, analysis throughput over the corpus, and entry-point extraction over the corpus.
// Usage: npm run bench -- [--corpus DIR] [--benign DIR] [--section NAME]
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readDirectory } from '../src/archive/directory.js';
import { unpackArchive } from '../src/archive/unpack.js';
import { analyzePackage } from '../src/analysis/index.js';
import { AnalysisContext } from '../src/analysis/context.js';
import { commandStatus, extractEntryPoints } from '../src/analysis/entrypoints/index.js';
import { identifyPackage } from '../src/analysis/identity.js';
import { initPythonParser } from '../src/analysis/python/parser.js';
import { diffManifests } from '../src/manifests/diff.js';
import { parseManifest } from '../src/manifests/parse/index.js';
import type { PackageFile, UnpackResult } from '../src/types.js';
import { startGitHubDouble } from '../__tests__/github/github-double.js';
import { measureDependencyCollectionIsolated } from '../__tests__/manifests/bench/lockfile-diff.bench.js';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: resolve('..', 'shared', 'corpus') },
    benign: { type: 'string', default: join(homedir(), '.cache', 'pkg-gate-corpus') },
    section: { type: 'string' },
  },
});

const want = (name: string) => !values.section || values.section === name;
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
let peakRss = 0;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

function heading(title: string) {
  console.log(`\n## ${title}`);
}

async function benchNoDependencyPr() {
  heading('PR without dependency changes (node dist/index.js, start to verdict)');
  const github = await startGitHubDouble({
    files: [{ filename: 'src/app.py', status: 'modified', patch: '@@ -1 +1 @@\n-a\n+b' }],
  });
  const dir = mkdtempSync(join(tmpdir(), 'pkg-gate-bench-'));
  writeFileSync(
    join(dir, 'event.json'),
    JSON.stringify({
      pull_request: { number: 1, base: { sha: 'b'.repeat(40) }, head: { sha: 'c'.repeat(40) } },
    }),
  );
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    writeFileSync(join(dir, 'out'), '');
    const started = performance.now();
    await new Promise<void>((done, fail) =>
      execFile(
        process.execPath,
        ['dist/index.js'],
        {
          env: {
            PATH: process.env.PATH,
            GITHUB_EVENT_NAME: 'pull_request',
            GITHUB_EVENT_PATH: join(dir, 'event.json'),
            GITHUB_REPOSITORY: 'acme/app',
            GITHUB_API_URL: github.url,
            GITHUB_OUTPUT: join(dir, 'out'),
            RUNNER_TEMP: dir,
            'INPUT_GITHUB-TOKEN': 't',
            'INPUT_OSV-URL': 'off',
          },
        },
        (error) => (error ? fail(error) : done()),
      ),
    );
    times.push(performance.now() - started);
  }
  await github.close();
  times.sort((a, b) => a - b);
  console.log(
    `runs: ${times.map((t) => t.toFixed(0)).join(', ')} ms; median ${times[2]?.toFixed(0)} ms (target: well under 2000 ms)`,
  );
}

function syntheticLock(count: number, bumpEvery: number, bumped: boolean): string {
  const packages: Record<string, unknown> = { '': { name: 'bench', version: '1.0.0' } };
  for (let i = 0; i < count; i++) {
    const minor = bumped && i % bumpEvery === 0 ? 1 : 0;
    packages[`node_modules/pkg-${i}`] = {
      version: `1.${minor}.0`,
      resolved: `https://registry.npmjs.org/pkg-${i}/-/pkg-${i}-1.${minor}.0.tgz`,
      integrity: `sha512-${Buffer.from(`pkg-${i}-${minor}`).toString('base64')}`,
    };
  }
  return JSON.stringify({ name: 'bench', lockfileVersion: 3, requires: true, packages }, null, 2);
}

function benchLockfileDiff() {
  heading('Lockfile diff: 5,000 packages against its bumped twin (package-lock v3)');
  const base = syntheticLock(5000, 10, false);
  const head = syntheticLock(5000, 10, true);
  const before = process.memoryUsage().rss;
  const times: number[] = [];
  let changes = 0;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const diff = diffManifests(
      parseManifest('package-lock.json', 'package-lock', base),
      parseManifest('package-lock.json', 'package-lock', head),
    );
    times.push(performance.now() - started);
    changes = diff.length;
    sampleRss();
  }
  times.sort((a, b) => a - b);
  console.log(
    `${mib(base.length)} MiB per side, ${changes} changes; median ${times[2]?.toFixed(0)} ms ` +
      `(target < 1000 ms); RSS ${mib(before)} → peak ${mib(peakRss)} MiB (target < 300 MiB)`,
  );
}

interface CorpusPackage {
  label: string;
  ecosystem: 'npm' | 'pypi';
  name: string;
  read: () => Promise<UnpackResult[]>;
}

function corpusPackages(): CorpusPackage[] {
  const manifest = join(values.corpus ?? '', 'MANIFEST.jsonl');
  if (!existsSync(manifest)) return [];
  const rows = readFileSync(manifest, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const packages: CorpusPackage[] = [];
  for (const row of rows) {
    const dir = join(
      row.label === 'benign' ? (values.benign ?? '') : (values.corpus ?? ''),
      row.path,
    );
    if (!existsSync(dir)) continue;
    packages.push({
      label: row.label,
      ecosystem: row.ecosystem,
      name: row.name,
      read: async () => {
        const results: UnpackResult[] = [];
        for (const entry of readdirSync(dir)) {
          const path = join(dir, entry);
          if (statSync(path).isDirectory()) results.push(await readDirectory(path));
          else if (/\.(tgz|tar\.gz|zip|whl|egg|tar)$/i.test(entry)) {
            try {
              results.push(await unpackArchive(new Uint8Array(readFileSync(path)), entry));
            } catch {
              // unreadable samples are the eval's business, not the benchmark's
            }
          }
        }
        return results;
      },
    });
  }
  return packages;
}

const SOURCE = /\.(py|pyw|js|cjs|mjs|ts|json|toml|cfg|txt|pth|sh)$/i;

async function benchAnalysis(packages: CorpusPackage[]) {
  heading('Analysis throughput (single core: unpacked source MB/s; unpack time excluded)');
  await initPythonParser();
  for (const label of ['malicious', 'benign']) {
    const group = packages.filter((p) => p.label === label);
    if (group.length === 0) {
      console.log(`${label}: corpus not found (benign: node ../shared/corpus/fetch-benign.mjs)`);
      continue;
    }
    let sourceBytes = 0;
    let millis = 0;
    let slowest = { name: '', ms: 0 };
    for (const pkg of group) {
      for (const result of await pkg.read()) {
        for (const f of result.files) if (SOURCE.test(f.path)) sourceBytes += f.size;
        const identity = identifyPackage(result.files, { ecosystem: pkg.ecosystem });
        const started = performance.now();
        await analyzePackage({
          ecosystem: pkg.ecosystem,
          name: identity.name ?? pkg.name,
          files: result.files,
        });
        const ms = performance.now() - started;
        millis += ms;
        if (ms > slowest.ms) slowest = { name: pkg.name, ms };
        sampleRss();
      }
    }
    console.log(
      `${label}: ${group.length} packages, ${mib(sourceBytes)} MiB source in ${(millis / 1000).toFixed(1)} s ` +
        `= ${(sourceBytes / 1024 / 1024 / (millis / 1000)).toFixed(2)} MB/s; slowest ${slowest.name} ` +
        `${slowest.ms.toFixed(0)} ms (limit 5000 ms); peak RSS ${mib(peakRss)} MiB (limit 500 MiB)`,
    );
  }
}

async function benchEntryPoints(packages: CorpusPackage[]) {
  heading('Entry-point extraction and ownership lookup over the corpus');
  let files = 0;
  let entryPoints = 0;
  let millis = 0;
  for (const pkg of packages) {
    for (const result of await pkg.read()) {
      const all: PackageFile[] = result.files;
      const identity = identifyPackage(all, { ecosystem: pkg.ecosystem });
      const started = performance.now();
      const ctx = new AnalysisContext({
        ecosystem: pkg.ecosystem,
        name: identity.name ?? pkg.name,
        files: all,
      });
      const declared = extractEntryPoints(ctx);
      for (const entry of declared)
        commandStatus(pkg.ecosystem, entry.name, identity.name ?? pkg.name);
      entryPoints += declared.length;
      millis += performance.now() - started;
      files += all.length;
    }
  }
  console.log(
    `${packages.length} packages, ${files} files, ${entryPoints} entry points in ${(millis / 1000).toFixed(2)} s ` +
      `= ${Math.round(files / (millis / 1000))} files/s`,
  );
}

const JS = /\.(js|cjs|mjs)$/i;

/** The same JavaScript files through pkg-gate and NodeSecure js-x-ray (dev dependency, bench only). */
async function benchJavaScriptPeer(packages: CorpusPackage[]) {
  heading(
    'JavaScript: pkg-gate vs NodeSecure js-x-ray on the same files (npm packages of the corpus)',
  );
  const { AstAnalyser } = await import('@nodesecure/js-x-ray');
  const xray = new AstAnalyser();
  await initPythonParser();
  for (const label of ['malicious', 'benign']) {
    const group = packages.filter((p) => p.label === label && p.ecosystem === 'npm');
    let bytes = 0;
    let oursMs = 0;
    let peerMs = 0;
    let oursFlagged = 0;
    let peerFlagged = 0;
    for (const pkg of group) {
      for (const result of await pkg.read()) {
        const files = result.files.filter(
          (f) => (JS.test(f.path) || f.path.endsWith('package.json')) && !f.truncated,
        );
        const js = files.filter((f) => JS.test(f.path));
        if (js.length === 0) continue;
        for (const f of js) bytes += f.data.length;
        let started = performance.now();
        const findings = await analyzePackage({ ecosystem: 'npm', name: pkg.name, files });
        oursMs += performance.now() - started;
        if (findings.some((f) => f.severity === 'high' || f.severity === 'critical')) oursFlagged++;
        started = performance.now();
        let warned = false;
        for (const f of js) {
          try {
            const report = xray.analyse(Buffer.from(f.data).toString('utf8'));
            if (report.warnings.length > 0) warned = true;
          } catch {
            // js-x-ray throws on files it cannot parse; that costs it the file, not the run
          }
        }
        peerMs += performance.now() - started;
        if (warned) peerFlagged++;
      }
    }
    const rate = (ms: number) => (bytes / 1024 / 1024 / (ms / 1000)).toFixed(2);
    console.log(
      `${label}: ${group.length} packages, ${mib(bytes)} MiB of JS — pkg-gate ${rate(oursMs)} MB/s, ` +
        `flagged ${oursFlagged} (high+); js-x-ray ${rate(peerMs)} MB/s, any warning on ${peerFlagged}`,
    );
  }
}

if (want('no-deps')) await benchNoDependencyPr();
if (want('lockfile')) {
  benchLockfileDiff();
  heading(
    'Dependency-file stage per format: 5,000 packages against a bumped twin (each in a fresh process)',
  );
  for (const m of await measureDependencyCollectionIsolated(5000)) {
    const via = m.withVia > 0 ? `, ${m.withVia} with via` : '';
    console.log(
      `${m.label.padEnd(16)} ${m.megabytesPerSide.toFixed(1)} MB/side, ${m.changes} changes${via}: ` +
        `${m.millis.toFixed(0)} ms (target < 1000 ms), peak RSS ${m.peakRssMegabytes.toFixed(0)} MB (target < 300 MB)`,
    );
  }
}
const corpus = want('analysis') || want('entrypoints') ? corpusPackages() : [];
if (want('entrypoints')) await benchEntryPoints(corpus);
if (want('analysis')) await benchAnalysis(corpus);
if (want('js-peer')) await benchJavaScriptPeer(want('analysis') ? corpus : corpusPackages());
console.log(
  `\npeak RSS of the benchmark process: ${mib(Math.max(peakRss, process.resourceUsage().maxRSS * 1024))} MiB`,
);
