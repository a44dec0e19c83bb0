// Issue 6's scale target: a 5,000-package lockfile diffs against its bumped twin in under 1 s and
// 300 MB. Not a jest test (timings never go into unit tests): run it with
//   npx tsx __tests__/manifests/bench/lockfile-diff.bench.ts
// and wire `measureLockfileDiffs()` into `npm run bench`.
import { collectDependencyChanges } from '../../../src/manifests/collect.js';
import { diffManifests } from '../../../src/manifests/diff.js';
import { parseManifest } from '../../../src/manifests/parse/index.js';
import type { ManifestFormat } from '../../../src/types.js';

const INTEGRITY = `sha512-${'A'.repeat(86)}==`;
const version = (bumped: boolean, i: number) => (bumped && i % 50 === 0 ? '1.2.4' : '1.2.3');

/** Synthetic lockfiles in each format's real layout: every 10th package nested, every 50th bumped. */
const GENERATORS: Partial<Record<ManifestFormat, (count: number, bumped: boolean) => string>> = {
  'package-lock': (count, bumped) => {
    const packages: Record<string, unknown> = { '': { name: 'big', version: '1.0.0' } };
    for (let i = 0; i < count; i++) {
      const v = version(bumped, i);
      const key = i % 10 === 0 ? `node_modules/p${i - 1}/node_modules/p${i}` : `node_modules/p${i}`;
      packages[key] = {
        version: v,
        resolved: `https://registry.npmjs.org/p${i}/-/p${i}-${v}.tgz`,
        integrity: INTEGRITY,
        license: 'MIT',
        dependencies: { [`p${i + 1}`]: '^1.0.0' },
      };
    }
    return JSON.stringify({ name: 'big', lockfileVersion: 3, requires: true, packages }, null, 2);
  },
  'yarn-lock': (count, bumped) => {
    let out = '# yarn lockfile v1\n\n\n';
    for (let i = 0; i < count; i++) {
      const v = version(bumped, i);
      out += `p${i}@^1.2.0:\n  version "${v}"\n  resolved "https://registry.yarnpkg.com/p${i}/-/p${i}-${v}.tgz#abc"\n  integrity ${INTEGRITY}\n  dependencies:\n    p${i + 1} "^1.0.0"\n\n`;
    }
    return out;
  },
  'pnpm-lock': (count, bumped) => {
    let packages = '';
    let snapshots = '';
    for (let i = 0; i < count; i++) {
      const v = version(bumped, i);
      packages += `  p${i}@${v}:\n    resolution: {integrity: ${INTEGRITY}}\n    engines: {node: '>=8'}\n\n`;
      snapshots += `  p${i}@${v}:\n    dependencies:\n      p${i + 1}: 1.2.3\n\n`;
    }
    return `lockfileVersion: '9.0'\n\nimporters:\n  .: {}\n\npackages:\n\n${packages}snapshots:\n\n${snapshots}`;
  },
  'uv-lock': (count, bumped) => {
    let out = 'version = 1\nrequires-python = ">=3.11"\n\n';
    for (let i = 0; i < count; i++) {
      const v = version(bumped, i);
      out += `[[package]]\nname = "p${i}"\nversion = "${v}"\nsource = { registry = "https://pypi.org/simple" }\nsdist = { url = "https://files.example/p${i}-${v}.tar.gz", hash = "sha256:${'a'.repeat(64)}", size = 1000 }\nwheels = [\n    { url = "https://files.example/p${i}-${v}-py3-none-any.whl", hash = "sha256:${'b'.repeat(64)}", size = 900 },\n]\n\n`;
    }
    return out;
  },
  requirements: (count, bumped) => {
    let out = '';
    for (let i = 0; i < count; i++) {
      out += `p${i}==${version(bumped, i)} \\\n    --hash=sha256:${'a'.repeat(64)}\n    # via p${i + 1}\n`;
    }
    return out;
  },
};

export interface LockfileDiffMeasurement {
  format: ManifestFormat;
  packages: number;
  megabytesPerSide: number;
  changes: number;
  millis: number;
  rssMegabytes: number;
}

export function measureLockfileDiffs(count = 5000): LockfileDiffMeasurement[] {
  return Object.entries(GENERATORS).map(([format, generate]) => {
    const base = generate!(count, false);
    const head = generate!(count, true);
    const started = performance.now();
    const changes = diffManifests(
      parseManifest('lock', format as ManifestFormat, base),
      parseManifest('lock', format as ManifestFormat, head),
    );
    return {
      format: format as ManifestFormat,
      packages: count,
      megabytesPerSide: base.length / 1e6,
      changes: changes.length,
      millis: performance.now() - started,
      rssMegabytes: process.memoryUsage().rss / 1e6,
    };
  });
}

const LOCKFILE_PATHS: Partial<Record<ManifestFormat, string>> = {
  'package-lock': 'package-lock.json',
  'yarn-lock': 'yarn.lock',
  'pnpm-lock': 'pnpm-lock.yaml',
  'uv-lock': 'uv.lock',
  requirements: 'requirements.txt',
};

/**
 * The whole dependency-file stage of a run on the same lockfiles: read both sides, parse, diff
 * (with source changes), registry settings, the dependency graph (for `via` and lockfile-only
 * additions) and the source checks of every change.
 */
export async function measureDependencyCollection(
  count = 5000,
): Promise<LockfileDiffMeasurement[]> {
  const results: LockfileDiffMeasurement[] = [];
  for (const [format, generate] of Object.entries(GENERATORS)) {
    const path = LOCKFILE_PATHS[format as ManifestFormat]!;
    const base = generate!(count, false);
    const head = generate!(count, true);
    const started = performance.now();
    const collected = await collectDependencyChanges(
      { readFile: async (_path, side) => (side === 'base' ? base : head) },
      [{ path, status: 'modified', format: format as ManifestFormat }],
      { registries: { npmRegistry: 'https://registry.npmjs.org', pypiUrl: 'https://pypi.org' } },
    );
    results.push({
      format: format as ManifestFormat,
      packages: count,
      megabytesPerSide: base.length / 1e6,
      changes: collected.changes.length,
      millis: performance.now() - started,
      rssMegabytes: process.memoryUsage().rss / 1e6,
    });
  }
  return results;
}

if (process.argv[1]?.endsWith('lockfile-diff.bench.ts')) {
  const print = (label: string, m: LockfileDiffMeasurement) =>
    console.log(
      `${label} ${m.format.padEnd(13)} ${m.packages} packages, ${m.megabytesPerSide.toFixed(1)} MB per side: ` +
        `${m.changes} changes in ${m.millis.toFixed(0)} ms, process RSS ${m.rssMegabytes.toFixed(0)} MB`,
    );
  for (const m of measureLockfileDiffs()) print('parse+diff   ', m);
  for (const m of await measureDependencyCollection()) print('whole stage  ', m);
}
