import { describe, expect, it } from 'vitest';
import { TimeSlices } from '../src/index.js';

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // Work that holds the event loop.
  }
};

describe('work in time slices', () => {
  it('lets what waits run between slices, and counts its own time without the waits', async () => {
    const begun = performance.now();
    const slices = new TimeSlices(5);
    let others = 0;
    const other = () => {
      others += 1;
      if (others < 1000) setImmediate(other);
    };
    setImmediate(other);
    const waits: number[] = [];
    for (let step = 0; step < 8; step += 1) {
      busy(2);
      if (slices.due()) {
        const before = others;
        const started = performance.now();
        await slices.next();
        waits.push(performance.now() - started);
        // Something else ran while the work waited.
        expect(others).toBeGreaterThan(before);
      }
    }
    expect(waits.length).toBeGreaterThanOrEqual(2);
    // Its own time is the busy time (8 × 2 ms at least), never the time it spent waiting in between.
    expect(slices.spent).toBeGreaterThanOrEqual(16);
    const waited = waits.reduce((a, b) => a + b, 0);
    // The test's clock around each wait starts before and stops after the slices' own (by the time it takes to
    // resume a promise, which grows on a loaded machine): a millisecond a wait is allowed for that.
    expect(slices.spent).toBeLessThanOrEqual(performance.now() - begun - waited + waits.length);
  });

  it('is not due before its slice is used up', () => {
    const slices = new TimeSlices(10_000);
    busy(1);
    expect(slices.due()).toBe(false);
  });
});
