// Precision beyond the corpus: downloads more popular packages than ../shared/corpus lists
// (npm tarballs with `npm pack --ignore-scripts`; Debian builds of popular Python projects with
// `apt-get download` + `dpkg-deb -x`), inspects them and prints every one that would gate.
// Nothing is installed or run; the download list comes from env/packages rankings.
//
//   npx tsx scripts/benign-wide.ts [--npm N] [--debian N] [--skip N] [--cache DIR]
//                                  [--npm-ranks FILE] [--pypi-ranks FILE]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzePackage } from '../src/analysis/index.js';
import { readDirectory } from '../src/archive/directory.js';
import { unpackArchive } from '../src/archive/unpack.js';
import type { Ecosystem, PackageFile } from '../src/types.js';

const { values } = parseArgs({
  options: {
    npm: { type: 'string', default: '500' },
    debian: { type: 'string', default: '300' },
    skip: { type: 'string', default: '100' },
    cache: { type: 'string', default: join(homedir(), '.cache', 'pkg-gate-benign-wide') },
    'npm-ranks': { type: 'string', default: '/work/.library/env/packages/npm.tsv' },
    'pypi-ranks': { type: 'string', default: '/work/.library/env/packages/pypi.tsv' },
  },
});
const count = (v: string | undefined, flag: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag} takes a whole number`);
  return n;
};
const npmCount = count(values.npm, 'npm');
const debianCount = count(values.debian, 'debian');
const skip = count(values.skip, 'skip');
const npmDir = join(values.cache!, 'npm');
const debDir = join(values.cache!, 'debian');
mkdirSync(npmDir, { recursive: true });
mkdirSync(debDir, { recursive: true });

function ranked(file: string, column: number): string[][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((r) => r.length > column && r[column] !== '');
}

if (npmCount > 0) {
  // the most downloaded packages after the first `skip` (the corpus already has the very top)
  const specs = ranked(values['npm-ranks']!, 2)
    .filter((r) => !r[0].startsWith('@types/'))
    .sort((a, b) => Number(b[2]) - Number(a[2]))
    .slice(skip, skip + npmCount)
    .map((r) => `${r[0]}@${r[1]}`);
  const have = new Set(readdirSync(npmDir));
  const missing = specs.filter((s) => !have.has(tarballName(s)));
  for (let i = 0; i < missing.length; i += 20)
    execFileSync('npm', ['pack', '--ignore-scripts', '--silent', ...missing.slice(i, i + 20)], {
      cwd: npmDir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
}

if (debianCount > 0) {
  const names = ranked(values['pypi-ranks']!, 3)
    .sort((a, b) => Number(a[3]) - Number(b[3]))
    .map((r) => `python3-${r[0].toLowerCase().replace(/[_.]/g, '-')}`);
  // most PyPI names have no Debian build: ask apt about names in rank order until enough do
  const available: string[] = [];
  for (const n of names) {
    if (available.length >= debianCount) break;
    if (existsSync(join(debDir, n))) {
      available.push(n);
      continue;
    }
    try {
      execFileSync('apt-cache', ['show', n], { stdio: 'ignore' });
      available.push(n);
    } catch {
      // no Debian package of that name
    }
  }
  const wanted = available.filter((n) => !existsSync(join(debDir, n)));
  for (const name of wanted) {
    const tmp = join(debDir, '.download');
    mkdirSync(tmp, { recursive: true });
    try {
      execFileSync('apt-get', ['download', '-qq', name], { cwd: tmp, stdio: 'ignore' });
      for (const deb of readdirSync(tmp).filter((f) => f.endsWith('.deb'))) {
        execFileSync('dpkg-deb', ['-x', join(tmp, deb), join(debDir, name)]);
        execFileSync('rm', ['-f', join(tmp, deb)]);
      }
    } catch {
      console.error(`skipped ${name}: apt-get download failed`);
    }
  }
}

function tarballName(spec: string): string {
  const at = spec.lastIndexOf('@');
  return `${spec.slice(0, at).replace(/^@/, '').replace('/', '-')}-${spec.slice(at + 1)}.tgz`;
}

async function judge(ecosystem: Ecosystem, label: string, files: PackageFile[], name: string) {
  const started = performance.now();
  const findings = await analyzePackage({ ecosystem, name, version: '0', files });
  const gated = findings.filter((f) => f.severity === 'high' || f.severity === 'critical');
  if (gated.length) {
    console.log(`GATED ${ecosystem}:${label}`);
    for (const f of gated.slice(0, 5))
      console.log(`  ${f.severity} ${f.rule} ${f.file}:${f.line} ${f.message.slice(0, 160)}`);
  }
  return { gated: gated.length > 0, millis: performance.now() - started };
}

const totals = { npm: [0, 0], pypi: [0, 0] };
let slowest = { label: '', millis: 0 };
for (const tgz of readdirSync(npmDir).filter((f) => f.endsWith('.tgz'))) {
  const { files } = await unpackArchive(new Uint8Array(readFileSync(join(npmDir, tgz))), tgz);
  const manifest = files.find((f) => f.path === 'package/package.json');
  const name = manifest ? JSON.parse(Buffer.from(manifest.data).toString('utf8')).name : tgz;
  const r = await judge('npm', tgz, files, name);
  totals.npm[0] += r.gated ? 1 : 0;
  totals.npm[1]++;
  if (r.millis > slowest.millis) slowest = { label: tgz, millis: r.millis };
}
for (const dir of readdirSync(debDir).filter((d) => d.startsWith('python3-'))) {
  const { files } = await readDirectory(join(debDir, dir));
  const r = await judge('pypi', dir, files, dir.replace(/^python3-/, ''));
  totals.pypi[0] += r.gated ? 1 : 0;
  totals.pypi[1]++;
  if (r.millis > slowest.millis) slowest = { label: dir, millis: r.millis };
}
console.log(
  `gated: npm ${totals.npm[0]}/${totals.npm[1]}, Debian Python ${totals.pypi[0]}/${totals.pypi[1]}; slowest ${slowest.label} ${Math.round(slowest.millis)} ms`,
);
