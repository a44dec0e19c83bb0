// Scores the analysis engine on the detection corpus: recall on the malicious samples (per
// ecosystem and pool), false positives on the benign set, the misses, and per-rule hit counts.
// Samples are read as bytes and unpacked in memory; nothing from the corpus is ever executed.
//
//   npx tsx scripts/eval.ts [CORPUS_DIR] [--benign DIR] [--json] [--min-recall X]
//                           [--fail-on LEVEL] [--only NAME] [--ecosystem npm|pypi]
//                           [--show-findings] [--verbose] [--slowest N]
import { readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzePackage } from '../src/analysis/index.js';
import { readDirectory } from '../src/archive/directory.js';
import { unpackArchive } from '../src/archive/unpack.js';
import {
  meetsThreshold,
  isSeverity,
  type Ecosystem,
  type FailOn,
  type Finding,
  type PackageFile,
} from '../src/types.js';

interface ManifestRow {
  path: string;
  ecosystem: Ecosystem;
  name: string;
  version: string;
  label: 'malicious' | 'benign';
  pool?: string;
  sample_kind: string;
  files?: string[] | null;
}

interface SampleResult {
  name: string;
  version: string;
  ecosystem: Ecosystem;
  label: string;
  pool: string;
  flagged: boolean;
  /** Flagged only because the archive could not be read (fail-closed), not by a rule. */
  unreadable: boolean;
  missing: boolean;
  findings: Finding[];
  millis: number;
  bytes: number;
  error?: string;
}

function parseArgs(argv: string[]) {
  const args = {
    corpus: '../shared/corpus',
    benign: join(homedir(), '.cache', 'pkg-gate-corpus'),
    json: false,
    minRecall: undefined as number | undefined,
    failOn: 'high' as FailOn,
    only: undefined as string | undefined,
    ecosystem: undefined as string | undefined,
    showFindings: false,
    verbose: false,
    slowest: 5,
  };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--benign') args.benign = value();
    else if (a === '--json') args.json = true;
    else if (a === '--min-recall') {
      const n = Number(value());
      if (!Number.isFinite(n) || n < 0 || n > 1)
        throw new Error('--min-recall takes a fraction between 0 and 1');
      args.minRecall = n;
    } else if (a === '--fail-on') {
      const v = value();
      if (v !== 'none' && !isSeverity(v)) throw new Error(`--fail-on: unknown level ${v}`);
      args.failOn = v as FailOn;
    } else if (a === '--only') args.only = value();
    else if (a === '--ecosystem') args.ecosystem = value();
    else if (a === '--show-findings') args.showFindings = true;
    else if (a === '--verbose') args.verbose = true;
    else if (a === '--slowest') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0) throw new Error('--slowest takes a whole number');
      args.slowest = n;
    } else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else rest.push(a);
  }
  if (rest[0]) args.corpus = rest[0];
  return args;
}

/** Reads one sample's files: its archives unpacked in memory, or its unpacked folder. */
async function loadSample(
  dir: string,
  row: ManifestRow,
): Promise<{ files: PackageFile[]; problems: string[]; bytes: number }> {
  const files: PackageFile[] = [];
  const problems: string[] = [];
  let bytes = 0;
  const entries = readdirSync(dir);
  const archives = entries.filter(
    (e) =>
      /\.(?:tgz|tar\.gz|tar|zip|whl|egg|tar\.bz2)$/i.test(e) && statSync(join(dir, e)).isFile(),
  );
  for (const archive of archives) {
    const data = readFileSync(join(dir, archive));
    bytes += data.length;
    try {
      const result = await unpackArchive(new Uint8Array(data), archive);
      // several artifacts of one release (sdist + wheel) are inspected together, kept apart by prefix
      const prefix = archives.length > 1 ? `${archive}/` : '';
      for (const f of result.files) files.push(prefix ? { ...f, path: prefix + f.path } : f);
      problems.push(...result.problems.filter((p) => p.kind !== 'link').map((p) => p.message));
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  const folders = entries.filter(
    (e) => !archives.includes(e) && statSync(join(dir, e)).isDirectory(),
  );
  for (const folder of folders) {
    const result = await readDirectory(join(dir, folder));
    for (const f of result.files) {
      files.push({ ...f, path: `${folder}/${f.path}` });
      bytes += f.size;
    }
  }
  if (archives.length === 0 && folders.length === 0)
    problems.push(`no archive or folder in ${row.path}`);
  return { files, problems, bytes };
}

async function evaluate(dir: string, row: ManifestRow, failOn: FailOn): Promise<SampleResult> {
  const base = {
    name: row.name,
    version: row.version,
    ecosystem: row.ecosystem,
    label: row.label,
    pool:
      row.label === 'benign'
        ? 'benign'
        : (row.pool ?? (row.ecosystem === 'npm' ? 'npm' : 'diverse')),
  };
  if (!existsSync(dir)) {
    return {
      ...base,
      flagged: false,
      unreadable: false,
      missing: true,
      findings: [],
      millis: 0,
      bytes: 0,
    };
  }
  const { files, problems, bytes } = await loadSample(dir, row);
  // analysis only: reading and unpacking the sample is not what the per-package cap is about
  const started = performance.now();
  const findings = files.length
    ? await analyzePackage({
        ecosystem: row.ecosystem,
        name: row.name,
        version: row.version,
        files,
      })
    : [];
  const millis = performance.now() - started;
  const flaggedByRule = findings.some((f) => meetsThreshold(f.severity, failOn));
  const unreadable = !flaggedByRule && (problems.length > 0 || files.length === 0);
  return {
    ...base,
    flagged: flaggedByRule || (unreadable && meetsThreshold('high', failOn)),
    unreadable,
    missing: false,
    findings,
    millis,
    bytes,
    ...(problems.length ? { error: problems.join('; ') } : {}),
  };
}

function pct(n: number, d: number): string {
  return d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const corpus = resolve(args.corpus);
  const manifestPath = join(corpus, 'MANIFEST.jsonl');
  if (!existsSync(manifestPath))
    throw new Error(`${manifestPath} not found: pass the corpus directory`);
  const rows = readFileSync(manifestPath, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as ManifestRow)
    .filter((r) => !args.only || r.name === args.only || r.path.includes(args.only))
    .filter((r) => !args.ecosystem || r.ecosystem === args.ecosystem);
  const results: SampleResult[] = [];
  let done = 0;
  for (const row of rows) {
    const dir = row.label === 'benign' ? join(args.benign, row.path) : join(corpus, row.path);
    let result: SampleResult;
    try {
      result = await evaluate(dir, row, args.failOn);
    } catch (error) {
      result = {
        name: row.name,
        version: row.version,
        ecosystem: row.ecosystem,
        label: row.label,
        pool: row.pool ?? row.ecosystem,
        flagged: true,
        unreadable: true,
        missing: false,
        findings: [],
        millis: 0,
        bytes: 0,
        error: error instanceof Error ? error.message : String(error),
      };
    }
    results.push(result);
    done++;
    if (!args.json && process.stderr.isTTY && done % 25 === 0)
      process.stderr.write(`\r${done}/${rows.length}`);
  }
  if (!args.json && process.stderr.isTTY) process.stderr.write('\r');

  const malicious = results.filter((r) => r.label === 'malicious' && !r.missing);
  const benign = results.filter((r) => r.label === 'benign' && !r.missing);
  const groups = new Map<string, SampleResult[]>();
  for (const r of malicious) {
    const key = `${r.ecosystem}/${r.pool}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const detected = malicious.filter((r) => r.flagged);
  const recall = malicious.length ? detected.length / malicious.length : 0;
  const falsePositives = benign.filter((r) => r.flagged);
  const ruleHits = new Map<string, { packages: number; gating: number; benign: number }>();
  for (const r of results) {
    const seen = new Set<string>();
    const gating = new Set<string>();
    for (const f of r.findings) {
      seen.add(f.rule);
      if (meetsThreshold(f.severity, args.failOn)) gating.add(f.rule);
    }
    for (const rule of seen) {
      const entry = ruleHits.get(rule) ?? { packages: 0, gating: 0, benign: 0 };
      if (r.label === 'malicious') {
        entry.packages++;
        if (gating.has(rule)) entry.gating++;
      } else if (gating.has(rule)) entry.benign++;
      ruleHits.set(rule, entry);
    }
  }
  const totalMillis = results.reduce((s, r) => s + r.millis, 0);
  const slowest = [...results].sort((a, b) => b.millis - a.millis).slice(0, args.slowest);
  const summary = {
    failOn: args.failOn,
    malicious: { total: malicious.length, detected: detected.length, recall },
    byGroup: Object.fromEntries(
      [...groups].map(([k, v]) => [
        k,
        {
          total: v.length,
          detected: v.filter((r) => r.flagged).length,
          recall: v.filter((r) => r.flagged).length / v.length,
        },
      ]),
    ),
    unreadableOnly: detected
      .filter((r) => r.unreadable)
      .map((r) => `${r.ecosystem}:${r.name}@${r.version}`),
    benign: {
      total: benign.length,
      missing: results.filter((r) => r.label === 'benign' && r.missing).length,
      flagged: falsePositives.length,
      falsePositiveRate: benign.length ? falsePositives.length / benign.length : 0,
      flaggedPackages: falsePositives.map((r) => ({
        package: `${r.ecosystem}:${r.name}@${r.version}`,
        findings: r.findings.filter((f) => meetsThreshold(f.severity, args.failOn)),
      })),
    },
    misses: malicious
      .filter((r) => !r.flagged)
      .map((r) => ({ name: r.name, version: r.version, ecosystem: r.ecosystem, pool: r.pool })),
    rules: Object.fromEntries([...ruleHits].sort((a, b) => b[1].packages - a[1].packages)),
    seconds: totalMillis / 1000,
    // peak resident memory of the whole run (kilobytes from the OS), an upper bound per package
    peakMb: Math.round(process.resourceUsage().maxRSS / 1024),
    slowest: slowest.map((r) => ({
      package: `${r.ecosystem}:${r.name}@${r.version}`,
      millis: Math.round(r.millis),
    })),
  };

  if (args.json) {
    console.log(JSON.stringify(summary, null, 2));
  } else {
    console.log(`pkg-gate eval — flagged = any finding at or above '${args.failOn}'`);
    console.log(
      `malicious recall: ${detected.length}/${malicious.length} = ${pct(detected.length, malicious.length)}`,
    );
    for (const [key, value] of Object.entries(summary.byGroup)) {
      console.log(
        `  ${key.padEnd(14)} ${value.detected}/${value.total} = ${pct(value.detected, value.total)}`,
      );
    }
    if (summary.unreadableOnly.length) {
      console.log(
        `  of which flagged only because the archive was unreadable (fail-closed): ${summary.unreadableOnly.length}`,
      );
      for (const p of summary.unreadableOnly) console.log(`    ${p}`);
    }
    console.log(
      `benign false positives: ${falsePositives.length}/${benign.length} = ${pct(falsePositives.length, benign.length)}` +
        (summary.benign.missing
          ? ` (${summary.benign.missing} benign samples not downloaded)`
          : ''),
    );
    for (const fp of summary.benign.flaggedPackages) {
      console.log(`  ${fp.package}`);
      for (const f of fp.findings.slice(0, 5))
        console.log(`    ${f.severity} ${f.rule} ${f.file}:${f.line} ${f.evidence.slice(0, 140)}`);
    }
    console.log(`misses (${summary.misses.length}):`);
    for (const m of summary.misses)
      console.log(`  ${m.ecosystem}:${m.name}@${m.version} (${m.pool})`);
    console.log(
      'rule hits (malicious packages with the rule / at gating severity / benign packages gated):',
    );
    for (const [rule, h] of Object.entries(summary.rules)) {
      console.log(
        `  ${rule.padEnd(28)} ${String(h.packages).padStart(4)} ${String(h.gating).padStart(4)} ${String(h.benign).padStart(4)}`,
      );
    }
    console.log(
      `analysis time: ${summary.seconds.toFixed(1)} s; peak memory ${summary.peakMb} MB; slowest: ${summary.slowest.map((s) => `${s.package} ${s.millis} ms`).join(', ')}`,
    );
    if (args.showFindings || args.verbose) {
      for (const r of results) {
        if (!args.verbose && r.flagged === (r.label === 'malicious')) continue;
        console.log(
          `\n## ${r.label} ${r.ecosystem}:${r.name}@${r.version} flagged=${r.flagged}${r.error ? ` (${r.error})` : ''}`,
        );
        for (const f of r.findings)
          console.log(
            `  ${f.severity} ${f.rule} ${f.file}:${f.line} ${f.message}\n      ${f.evidence.slice(0, 200)}`,
          );
      }
    }
  }
  if (args.minRecall !== undefined && recall < args.minRecall) {
    console.error(`recall ${recall.toFixed(4)} is below the floor ${args.minRecall}`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(`eval: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
