/**
 * Writes the "real legitimate owners" test fixtures: the command metadata of packages that really
 * own protected names, taken from the real artifacts, so the entry-point rules are tested against
 * what these packages actually publish (and must stay below `high` on them).
 *
 * - npm: the latest package.json of each package from the npm registry, reduced to the fields that
 *   declare commands and hooks (name, version, bin, directories, lifecycle scripts).
 * - PyPI: Debian bookworm's builds (`apt-get download` + `dpkg-deb -x`): the distribution's
 *   entry_points.txt and the Name/Version from its metadata, laid out as a wheel would
 *   (`<name>.dist-info/`); plain scripts the package installs into /usr/bin go to
 *   `<name>.data/scripts/`, as a wheel carries them.
 *
 * Usage: npx tsx scripts/gen-owner-fixtures.ts
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NPM_LIFECYCLE_SCRIPTS } from '../src/analysis/entrypoints/extract.js';

const REGISTRY = process.env.PKG_GATE_NPM_REGISTRY ?? 'https://registry.npmjs.org';
const OUT = join(
  import.meta.dirname,
  '..',
  '__tests__',
  'analysis',
  'entrypoints',
  'fixtures',
  'real-owners',
);
const NPM_PACKAGES = [
  'typescript',
  'eslint',
  'npm',
  'yarn',
  'esbuild',
  'prettier',
  'jest',
  'pnpm',
  'tree-cli',
  'node',
];
const DEBIAN_PACKAGES = [
  'awscli',
  'python3-pip',
  'python3-pytest',
  'black',
  'tox',
  'docker-compose',
  'python3-poetry',
  'ansible-core',
  'httpie',
  'python3-virtualenv',
];

async function npmFixtures(): Promise<void> {
  for (const name of NPM_PACKAGES) {
    const res = await fetch(`${REGISTRY}/${name}/latest`, {
      headers: { accept: 'application/json' },
    });
    if (!res.ok) throw new Error(`npm ${name}: HTTP ${res.status}`);
    const manifest = (await res.json()) as Record<string, unknown>;
    const scripts = (manifest.scripts ?? {}) as Record<string, string>;
    const lifecycle = Object.fromEntries(
      Object.entries(scripts).filter(([k]) =>
        (NPM_LIFECYCLE_SCRIPTS as readonly string[]).includes(k),
      ),
    );
    const reduced: Record<string, unknown> = { name: manifest.name, version: manifest.version };
    if (manifest.bin) reduced.bin = manifest.bin;
    if (manifest.directories) reduced.directories = manifest.directories;
    if (Object.keys(lifecycle).length) reduced.scripts = lifecycle;
    const dir = join(OUT, 'npm', name, 'package');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify(reduced, null, 2) + '\n');
    console.log(`npm ${name}@${String(manifest.version)}`);
  }
}

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) walk(p, out);
    else if (st?.isFile()) out.push(p);
  }
  return out;
}

function debianFixtures(): void {
  const tmp = mkdtempSync(join(tmpdir(), 'owner-fixtures-'));
  try {
    for (const deb of DEBIAN_PACKAGES) {
      const dl = join(tmp, deb);
      mkdirSync(dl, { recursive: true });
      execFileSync('apt-get', ['download', '-qq', deb], {
        cwd: dl,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const file = readdirSync(dl).find((f) => f.endsWith('.deb'));
      if (!file) throw new Error(`debian ${deb}: nothing downloaded`);
      const x = join(dl, 'x');
      execFileSync('dpkg-deb', ['-x', join(dl, file), x]);
      const files = walk(x);
      const infoDir = files
        .map((f) => /^(.*\/dist-packages\/[^/]+\.(?:dist|egg)-info)\//.exec(f)?.[1])
        .find((d): d is string => !!d);
      if (!infoDir) throw new Error(`debian ${deb}: no Python metadata`);
      const meta = ['METADATA', 'PKG-INFO'].map((m) => join(infoDir, m)).find((m) => existsSync(m));
      const text = meta ? readFileSync(meta, 'utf8') : '';
      const name = /^Name:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? deb;
      const version = /^Version:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? '0';
      const wheelName = name.replace(/[-.]+/g, '_');
      const root = join(OUT, 'pypi', deb);
      rmSync(root, { recursive: true, force: true });
      const distInfo = join(root, `${wheelName}-${version}.dist-info`);
      mkdirSync(distInfo, { recursive: true });
      writeFileSync(
        join(distInfo, 'METADATA'),
        `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`,
      );
      const ep = join(infoDir, 'entry_points.txt');
      if (existsSync(ep)) writeFileSync(join(distInfo, 'entry_points.txt'), readFileSync(ep));
      else {
        const binDir = join(x, 'usr', 'bin');
        const scripts = join(root, `${wheelName}-${version}.data`, 'scripts');
        for (const bin of existsSync(binDir) ? readdirSync(binDir) : []) {
          mkdirSync(scripts, { recursive: true });
          const data = readFileSync(join(binDir, bin));
          // Keep scripts small and textual: only the first lines matter to the rules.
          writeFileSync(join(scripts, bin), data.subarray(0, 4096));
        }
      }
      console.log(`debian ${deb}: ${name} ${version}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await npmFixtures();
debianFixtures();
