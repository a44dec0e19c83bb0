import { describe, expect, it } from '@jest/globals';
import { CASES, measureDependencyCollection } from './lockfile-diff.bench.js';

// The bench's synthetic lockfiles must be files pkg-gate reads, or its figures measure an error
// path. Small sizes here: the timings themselves live in `npm run bench`, never in tests.
const RECORDS_ROOTS = new Set([
  'package-lock v3',
  'package-lock v1',
  'yarn 1',
  'yarn 4 (Berry)',
  'pnpm 9',
  'bun.lock',
  'uv.lock',
  'poetry.lock',
  'pdm.lock',
]);

describe('lockfile bench cases', () => {
  it.each(CASES.map((c) => c.label))(
    '%s parses and diffs into the bumped packages',
    async (label) => {
      const [measured] = await measureDependencyCollection(150, label);
      // Every 50th package is bumped: p0, p50, p100.
      expect(measured.changes).toBe(3);
      // p0 is the direct dependency; the bumped packages after it are reached through the chain.
      expect(measured.withVia).toBe(RECORDS_ROOTS.has(label) ? 2 : 0);
    },
  );
});
