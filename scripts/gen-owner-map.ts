/**
 * Generates data/commands/owners.json: for each ecosystem, which packages legitimately provide
 * each command name. Built from real data, never by hand:
 *
 * - npm: the `bin` field of the latest version of every package with at least
 *   NPM_MIN_DOWNLOADS downloads a month in the tool library's ranked list (npm.tsv),
 *   fetched from the npm registry (`/<name>/latest`, small documents, modest concurrency).
 * - PyPI: the console/gui scripts in Debian's python3 packages (entry_points.txt in their
 *   *.dist-info / *.egg-info, plus plain scripts installed into /usr/bin), for every Debian
 *   package that ships such a file; package names come from the metadata's `Name:`. The PyPI
 *   ranking (pypi.tsv) records each owner's popularity rank.
 *
 * Phases cache their raw results in $PKG_GATE_GEN_CACHE (default /tmp/pkg-gate-gen), so a re-run
 * only merges:  npx tsx scripts/gen-owner-map.ts [--phase npm|debian|protected|merge|all] [--refresh]
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { parseIni } from '../src/analysis/entrypoints/ini.js';
import { normalizePypiName, npmDefaultBinName } from '../src/analysis/entrypoints/names.js';

const LIBRARY = process.env.PKG_GATE_PACKAGE_LISTS ?? '/work/.library/env/packages';
const CACHE = process.env.PKG_GATE_GEN_CACHE ?? '/tmp/pkg-gate-gen';
const REGISTRY = process.env.PKG_GATE_NPM_REGISTRY ?? 'https://registry.npmjs.org';
const OUT = join(import.meta.dirname, '..', 'data', 'commands', 'owners.json');
const NPM_MIN_DOWNLOADS = Number(process.env.NPM_MIN_DOWNLOADS ?? 500_000);
const NPM_CONCURRENCY = 6;

const args = process.argv.slice(2);
const phase = args.includes('--phase') ? args[args.indexOf('--phase') + 1] : 'all';
const refresh = args.includes('--refresh');

interface RankedNpm {
  name: string;
  downloads: number;
}

function rankedNpm(): RankedNpm[] {
  const lines = readFileSync(join(LIBRARY, 'npm.tsv'), 'utf8').split('\n').slice(1);
  const rows: RankedNpm[] = [];
  for (const line of lines) {
    const [name, , downloads] = line.split('\t');
    const n = Number(downloads);
    if (name && n >= NPM_MIN_DOWNLOADS) rows.push({ name, downloads: n });
  }
  return rows.sort((a, b) => b.downloads - a.downloads);
}

/** The `bin` field as npm installs it: a string means one command named like the package. */
export function binNames(name: string, bin: unknown): string[] {
  if (typeof bin === 'string') return [npmDefaultBinName(name)];
  if (bin && typeof bin === 'object') return Object.keys(bin);
  return [];
}

async function fetchLatest(name: string): Promise<Record<string, unknown> | null> {
  const url = `${REGISTRY}/${name.replace('/', '%2F')}/latest`;
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      const res = await fetch(url, {
        headers: { accept: 'application/json', 'user-agent': 'pkg-gate owner-map generator' },
        signal: AbortSignal.timeout(30_000),
      });
      if (res.status === 404) return null;
      if (res.status === 429 || res.status >= 500) throw new Error(`HTTP ${res.status}`);
      if (!res.ok) return null;
      return (await res.json()) as Record<string, unknown>;
    } catch (error) {
      if (attempt === 3) {
        console.error(`npm: ${name}: ${(error as Error).message}`);
        return null;
      }
      await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));
    }
  }
  return null;
}

interface NpmBins {
  generated: string;
  minDownloads: number;
  packagesChecked: number;
  /** package name → [rank, downloads a month, command names] */
  packages: Record<string, [number, number, string[]]>;
}

async function npmPhase(): Promise<void> {
  const file = join(CACHE, 'npm-bins.json');
  if (existsSync(file) && !refresh) return;
  const ranked = rankedNpm();
  console.log(`npm: fetching the latest manifest of ${ranked.length} packages`);
  const limit = pLimit(NPM_CONCURRENCY);
  const result: NpmBins = {
    generated: new Date().toISOString().slice(0, 10),
    minDownloads: NPM_MIN_DOWNLOADS,
    packagesChecked: 0,
    packages: {},
  };
  let done = 0;
  await Promise.all(
    ranked.map((pkg, index) =>
      limit(async () => {
        const manifest = await fetchLatest(pkg.name);
        done++;
        if (done % 1000 === 0) console.log(`npm: ${done}/${ranked.length}`);
        if (!manifest) return;
        result.packagesChecked++;
        const bins = binNames(pkg.name, manifest.bin);
        const dirBin = (manifest.directories as Record<string, unknown> | undefined)?.bin;
        // directories.bin is expanded at publish time into `bin`; a manifest with only the
        // directory cannot tell us the names, so it is skipped rather than guessed.
        if (bins.length > 0) result.packages[pkg.name] = [index + 1, pkg.downloads, bins];
        else if (typeof dirBin === 'string')
          result.packages[pkg.name] = [index + 1, pkg.downloads, []];
      }),
    ),
  );
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(file, JSON.stringify(result));
  console.log(`npm: ${Object.keys(result.packages).length} packages with commands`);
}

// ------------------------------------------------------------------ Debian

interface DebianScripts {
  generated: string;
  /** Debian package → { pypi name, scripts by group } */
  packages: Record<string, { name: string; console: string[]; gui: string[]; bin: string[] }>;
}

function sh(cmd: string, argv: string[], cwd?: string): string {
  return execFileSync(cmd, argv, { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
}

function aptFile(regexp: string): Set<string> {
  const out = sh('apt-file', ['search', '--regexp', regexp]);
  return new Set(
    out
      .split('\n')
      .map((l) => l.split(':')[0]?.trim())
      .filter((n): n is string => !!n),
  );
}

/**
 * Debian packages that install a Python distribution together with commands: either its
 * entry_points.txt, or metadata plus files in /usr/bin (setup.py `scripts=`, as awscli does).
 * Needs apt-file with an updated index.
 */
function debianCandidates(): string[] {
  const info = '/usr/lib/python3/dist-packages/[^/]+\\.(dist|egg)-info/';
  const withEntryPoints = aptFile(`${info}entry_points\\.txt$`);
  const withMetadata = aptFile(`${info}(METADATA|PKG-INFO)$`);
  const withBin = aptFile('^/usr/bin/[^/]+$');
  const names = new Set(withEntryPoints);
  for (const n of withMetadata) if (withBin.has(n)) names.add(n);
  return [...names].sort();
}

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function debianPhase(): void {
  const file = join(CACHE, 'debian-scripts.json');
  if (existsSync(file) && !refresh) return;
  const candidates = debianCandidates();
  console.log(`debian: ${candidates.length} packages ship entry_points.txt`);
  const result: DebianScripts = { generated: new Date().toISOString().slice(0, 10), packages: {} };
  const work = join(CACHE, 'debs');
  mkdirSync(work, { recursive: true });
  const batchSize = 50;
  for (let i = 0; i < candidates.length; i += batchSize) {
    const batch = candidates.slice(i, i + batchSize);
    const dl = join(work, 'dl');
    rmSync(dl, { recursive: true, force: true });
    mkdirSync(dl, { recursive: true });
    try {
      sh('apt-get', ['download', '-qq', ...batch], dl);
    } catch {
      for (const one of batch) {
        try {
          sh('apt-get', ['download', '-qq', one], dl);
        } catch {
          console.error(`debian: could not download ${one}`);
        }
      }
    }
    for (const deb of readdirSync(dl).filter((f) => f.endsWith('.deb'))) {
      const debName = deb.split('_')[0];
      const x = join(work, 'x');
      rmSync(x, { recursive: true, force: true });
      sh('dpkg-deb', ['-x', join(dl, deb), x]);
      const files = walk(x);
      const usrBin = new Set(
        files
          .filter((f) => f.startsWith(join(x, 'usr/bin/')))
          .map((f) => f.slice(join(x, 'usr/bin/').length)),
      );
      const infoDirs = [
        ...new Set(
          files
            .map((f) => /^(.*\/dist-packages\/[^/]+\.(?:dist|egg)-info)\//.exec(f)?.[1])
            .filter((d): d is string => !!d),
        ),
      ];
      for (const infoDir of infoDirs) {
        const meta = ['METADATA', 'PKG-INFO']
          .map((m) => join(infoDir, m))
          .find((m) => existsSync(m));
        const nameLine = meta
          ? /^Name:\s*(.+)$/m.exec(readFileSync(meta, 'utf8'))?.[1]?.trim()
          : undefined;
        const name =
          nameLine ??
          infoDir
            .split('/')
            .pop()!
            .replace(/-[^-]*\.(dist|egg)-info$/, '');
        const ep = join(infoDir, 'entry_points.txt');
        const sections = existsSync(ep) ? parseIni(readFileSync(ep, 'utf8')).sections : new Map();
        const keys = (group: string): string[] =>
          ((sections.get(group)?.entries ?? []) as { key: string }[]).map((e) => e.key);
        const console_ = keys('console_scripts');
        const gui = keys('gui_scripts');
        const declared = new Set([...console_, ...gui]);
        // /usr/bin files can only be credited to a distribution when the .deb holds just one.
        const bin = infoDirs.length === 1 ? [...usrBin].filter((b) => !declared.has(b)) : [];
        if (console_.length + gui.length + bin.length === 0) continue;
        result.packages[`${debName}:${name}`] = { name, console: console_, gui, bin };
      }
    }
    console.log(`debian: ${Math.min(i + batchSize, candidates.length)}/${candidates.length}`);
  }
  rmSync(work, { recursive: true, force: true });
  writeFileSync(file, JSON.stringify(result));
}

// ------------------------------------------------------------------ protected names

/**
 * Debian packages whose commands are "system commands": POSIX and GNU tools, util-linux, shells,
 * network, archive, build and language tools. Their file lists (apt-file) give the exact names.
 */
const SYSTEM_PACKAGES = [
  'coreutils',
  'util-linux',
  'util-linux-extra',
  'bsdutils',
  'mount',
  'login',
  'passwd',
  'procps',
  'psmisc',
  'findutils',
  'grep',
  'sed',
  'gawk',
  'mawk',
  'diffutils',
  'patch',
  'less',
  'debianutils',
  'sensible-utils',
  'ncurses-bin',
  'hostname',
  'bash',
  'dash',
  'zsh',
  'fish',
  'tcsh',
  'ksh',
  'tar',
  'gzip',
  'bzip2',
  'xz-utils',
  'zstd',
  'unzip',
  'zip',
  'p7zip-full',
  'cpio',
  'curl',
  'wget',
  'openssh-client',
  'openssh-server',
  'rsync',
  'git',
  'subversion',
  'mercurial',
  'sudo',
  'doas',
  'iproute2',
  'iputils-ping',
  'net-tools',
  'bind9-dnsutils',
  'bind9-host',
  'netcat-openbsd',
  'netcat-traditional',
  'socat',
  'telnet',
  'ftp',
  'whois',
  'traceroute',
  'nmap',
  'openssl',
  'gnupg',
  'gpg',
  'gpgv',
  'cron',
  'at',
  'systemd',
  'kmod',
  'e2fsprogs',
  'file',
  'lsof',
  'strace',
  'ltrace',
  'gdb',
  'make',
  'binutils',
  'gcc',
  'g++',
  'cpp',
  'clang',
  'cmake',
  'python3',
  'python3-minimal',
  'python3-pip',
  'python3-venv',
  'python-is-python3',
  'nodejs',
  'npm',
  'perl-base',
  'perl',
  'ruby',
  'php-cli',
  'golang-go',
  'default-jre-headless',
  'openjdk-17-jre-headless',
  'dpkg',
  'apt',
  'vim',
  'vim-tiny',
  'nano',
  'jq',
  'tmux',
  'screen',
  'xdg-utils',
  'man-db',
  'tree',
  'htop',
  'watch',
  'docker.io',
  'docker-compose',
  'podman',
  'ansible-core',
  'kubernetes-client',
];

/**
 * Popular developer CLIs (cloud, containers, infrastructure, language tooling): curated, because
 * "popular with developers" is not in any package index; the owner map says who provides each.
 */
const DEVELOPER_COMMANDS = [
  'aws',
  'aws_completer',
  'az',
  'gcloud',
  'gsutil',
  'bq',
  'kubectl',
  'kubeadm',
  'kubelet',
  'minikube',
  'kind',
  'k9s',
  'helm',
  'kustomize',
  'terraform',
  'terragrunt',
  'tofu',
  'packer',
  'vault',
  'consul',
  'nomad',
  'docker',
  'docker-compose',
  'podman',
  'buildah',
  'gh',
  'glab',
  'hub',
  'git-lfs',
  'ansible',
  'ansible-playbook',
  'ansible-galaxy',
  'ansible-vault',
  'ansible-inventory',
  'ansible-pull',
  'ansible-doc',
  'ansible-config',
  'ansible-console',
  'heroku',
  'vercel',
  'netlify',
  'firebase',
  'serverless',
  'sls',
  'cdk',
  'cdktf',
  'pulumi',
  'sam',
  'eb',
  'doctl',
  'flyctl',
  'wrangler',
  'supabase',
  'railway',
  'oci',
  'ibmcloud',
  'linode-cli',
  'poetry',
  'pipenv',
  'pipx',
  'uv',
  'uvx',
  'hatch',
  'pdm',
  'conda',
  'mamba',
  'virtualenv',
  'tox',
  'nox',
  'pytest',
  'py.test',
  'black',
  'ruff',
  'flake8',
  'pylint',
  'mypy',
  'isort',
  'twine',
  'pre-commit',
  'coverage',
  'bandit',
  'jupyter',
  'ipython',
  'django-admin',
  'flask',
  'gunicorn',
  'uvicorn',
  'celery',
  'sphinx-build',
  'mkdocs',
  'huggingface-cli',
  'dvc',
  'dbt',
  'airflow',
  'alembic',
  'cookiecutter',
  'http',
  'https',
  'yt-dlp',
  'pip',
  'pip3',
  'python',
  'python3',
  'easy_install',
  'wheel',
  'setuptools',
  'node',
  'npm',
  'npx',
  'corepack',
  'yarn',
  'yarnpkg',
  'pnpm',
  'pnpx',
  'bun',
  'bunx',
  'deno',
  'tsc',
  'tsserver',
  'ts-node',
  'tsx',
  'eslint',
  'jest',
  'vitest',
  'mocha',
  'prettier',
  'webpack',
  'webpack-cli',
  'rollup',
  'vite',
  'esbuild',
  'babel',
  'swc',
  'biome',
  'next',
  'nuxt',
  'ng',
  'vue',
  'react-scripts',
  'nx',
  'lerna',
  'turbo',
  'nodemon',
  'pm2',
  'playwright',
  'cypress',
  'prisma',
  'expo',
  'eas',
  'nest',
  'gatsby',
  'node-gyp',
  'husky',
  'lint-staged',
  'commitlint',
  'semantic-release',
  'sentry-cli',
  'snyk',
  'stripe',
  'cargo',
  'rustc',
  'rustup',
  'go',
  'gofmt',
  'java',
  'javac',
  'mvn',
  'gradle',
  'dotnet',
  'ruby',
  'gem',
  'bundle',
  'php',
  'composer',
  'perl',
  'make',
  'cmake',
  'gcc',
  'g++',
  'cc',
  'clang',
  'ld',
];

/** Names Debian creates through alternatives or maintainer scripts, so no file list shows them. */
const ALTERNATIVES = [
  'sh',
  'rbash',
  'vi',
  'view',
  'ex',
  'editor',
  'pager',
  'awk',
  'nc',
  'netcat',
  'which',
  'cc',
  'c++',
  'java',
  'python',
];

function protectedPhase(): void {
  const system = new Set<string>(ALTERNATIVES);
  for (const pkg of SYSTEM_PACKAGES) {
    let list = '';
    try {
      list = sh('apt-file', ['list', pkg]);
    } catch {
      console.error(`protected: apt-file knows no package ${pkg}`);
      continue;
    }
    for (const line of list.split('\n')) {
      const m = /^([^:]+): \/(?:usr\/)?s?bin\/([^/]+)$/.exec(line);
      if (m && m[1] === pkg) system.add(m[2]);
    }
  }
  const names = [...system].filter((n) => /^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(n)).sort();
  const data = {
    description:
      'Generated by scripts/gen-owner-map.ts --phase protected; do not edit. Command names worth protecting.',
    generated: new Date().toISOString().slice(0, 10),
    sources: {
      system: `commands installed into /bin, /sbin, /usr/bin, /usr/sbin by Debian bookworm packages: ${SYSTEM_PACKAGES.join(' ')}`,
      developer: 'curated list of popular developer CLIs in scripts/gen-owner-map.ts',
    },
    system: names,
    developer: [...new Set(DEVELOPER_COMMANDS)].sort(),
  };
  const out = join(OUT, '..', 'protected.json');
  mkdirSync(join(OUT, '..'), { recursive: true });
  writeFileSync(out, JSON.stringify(data, null, 1) + '\n');
  console.log(
    `wrote ${out}: ${names.length} system commands, ${data.developer.length} developer CLIs`,
  );
}

// ------------------------------------------------------------------ merge

function pypiRanks(): Map<string, number> {
  const ranks = new Map<string, number>();
  const lines = readFileSync(join(LIBRARY, 'pypi.tsv'), 'utf8').split('\n').slice(1);
  for (const line of lines) {
    const cols = line.split('\t');
    const rank = Number(cols[3]);
    if (cols[0] && cols[3] && rank > 0) ranks.set(normalizePypiName(cols[0]), rank);
  }
  return ranks;
}

function add(map: Record<string, string[]>, command: string, owner: string): void {
  // Commands with path separators or odd characters are not PATH names; skip them.
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(command)) return;
  const owners = (map[command] ??= []);
  if (!owners.includes(owner)) owners.push(owner);
}

/**
 * PyPI distributions that ship a well-known CLI but that Debian does not package (or packages
 * under another command name). Curated and small; each must appear in the PyPI ranking, which the
 * merge checks, so a typo cannot credit a name nobody downloads.
 */
const PYPI_SUPPLEMENT: Record<string, string[]> = {
  awscli: ['aws', 'aws_completer', 'aws.cmd'],
  'azure-cli': ['az'],
  gsutil: ['gsutil'],
  uv: ['uv', 'uvx'],
  ruff: ['ruff'],
  hatch: ['hatch'],
  coverage: ['coverage'],
  dvc: ['dvc'],
  'dbt-core': ['dbt'],
  'apache-airflow': ['airflow'],
  'huggingface-hub': ['huggingface-cli', 'hf'],
  cmake: ['cmake', 'cpack', 'ctest'],
  ninja: ['ninja'],
  setuptools: ['easy_install'],
  'aws-sam-cli': ['sam'],
  awsebcli: ['eb'],
  'linode-cli': ['linode-cli'],
  'oci-cli': ['oci'],
  'nodejs-bin': ['node', 'npm', 'npx'],
  pip: ['pip', 'pip3'],
  pipenv: ['pipenv'],
  pdm: ['pdm'],
};

function merge(): void {
  const npm = JSON.parse(readFileSync(join(CACHE, 'npm-bins.json'), 'utf8')) as NpmBins;
  const debian = JSON.parse(
    readFileSync(join(CACHE, 'debian-scripts.json'), 'utf8'),
  ) as DebianScripts;
  const ranks = pypiRanks();
  const npmOwners: Record<string, string[]> = {};
  const npmRank: Record<string, number> = {};
  for (const [name, [rank, , bins]] of Object.entries(npm.packages)) {
    for (const bin of bins) add(npmOwners, bin, name);
    if (bins.length) npmRank[name] = rank;
  }
  const pypiOwners: Record<string, string[]> = {};
  const pypiRank: Record<string, number> = {};
  for (const entry of Object.values(debian.packages)) {
    const owner = normalizePypiName(entry.name);
    for (const cmd of [...entry.console, ...entry.gui, ...entry.bin]) add(pypiOwners, cmd, owner);
    const rank = ranks.get(owner);
    if (rank) pypiRank[owner] = rank;
  }
  for (const [owner, commands] of Object.entries(PYPI_SUPPLEMENT)) {
    const normalized = normalizePypiName(owner);
    const rank = ranks.get(normalized);
    if (!rank) {
      console.error(`supplement: ${owner} is not in the PyPI ranking; skipped`);
      continue;
    }
    pypiRank[normalized] = rank;
    for (const cmd of commands) add(pypiOwners, cmd, normalized);
  }
  const sortKeys = (o: Record<string, string[]>) =>
    Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, o[k].sort()]),
    );
  const data = {
    description:
      'Generated by scripts/gen-owner-map.ts; do not edit. Command name → packages that legitimately provide it.',
    generated: new Date().toISOString().slice(0, 10),
    sources: {
      npm: `bin of the latest version of ${npm.packagesChecked} npm packages with >= ${npm.minDownloads} downloads a month (npm registry, ${npm.generated})`,
      pypi: `console/gui scripts of ${Object.keys(debian.packages).length} Debian bookworm python3 distributions (${debian.generated}), plus a curated supplement of ${Object.keys(PYPI_SUPPLEMENT).length} PyPI CLIs Debian does not package; ranks from the PyPI download list`,
    },
    npm: { owners: sortKeys(npmOwners), rank: npmRank },
    pypi: { owners: sortKeys(pypiOwners), rank: pypiRank },
  };
  mkdirSync(join(OUT, '..'), { recursive: true });
  writeFileSync(OUT, JSON.stringify(data, null, 0) + '\n');
  console.log(
    `wrote ${OUT}: npm ${Object.keys(npmOwners).length} commands, pypi ${Object.keys(pypiOwners).length} commands, ${statSync(OUT).size} bytes`,
  );
}

mkdirSync(CACHE, { recursive: true });
if (phase === 'npm' || phase === 'all') await npmPhase();
if (phase === 'debian' || phase === 'all') debianPhase();
if (phase === 'protected' || phase === 'all') protectedPhase();
if (phase === 'merge' || phase === 'all') merge();
