import { describe, expect, it } from '@jest/globals';
import { createLimiter } from '../../src/registry/index.js';

describe('createLimiter', () => {
  it('never runs more tasks at once than asked', async () => {
    const limit = createLimiter(2);
    let running = 0;
    let peak = 0;
    const task = async (value: number) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      return value * 2;
    };
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => limit(() => task(n))));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(peak).toBe(2);
  });

  it('treats a nonsense concurrency as one', async () => {
    const limit = createLimiter(0);
    expect(limit.concurrency).toBe(1);
  });
});
