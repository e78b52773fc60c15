import { seeded } from '@sangam/feeds';
import { describe, expect, it } from 'vitest';
import {
  discreteLaplaceVariance,
  EpsilonLedger,
  localDay,
  memoryLedgerStore,
  type RandomInt,
  releaseCounts,
  toMicro,
} from '../src/index.js';

const randomOf = (seed: number): RandomInt => {
  const next = seeded(seed);
  return (n) => Math.floor(next() * n);
};
const resource = 'yulu/bikes/fleet-states';

describe('the ε ledger', () => {
  it('adds up: each cell has spent ε times its draws, released or withheld, and never less than it released', async () => {
    const store = memoryLedgerStore();
    const random = randomOf(7);
    const epsilon = 0.5;
    const released = new Map<string, number>();
    for (let cycle = 0; cycle < 6; cycle += 1) {
      const ledger = new EpsilonLedger(store);
      await ledger.open(resource, '2026-11-16');
      // Cells of every size: some are withheld on their noisy count, and those draws are spent too.
      const cells = Array.from({ length: 40 }, (_, i) => ({ key: `cell-${i}`, count: i, individuals: i }));
      const out = releaseCounts(cells, 10, ledger.noise(resource, '2026-11-16', epsilon, { random }));
      for (const r of out.published) {
        expect(r.epsilon).toBe(epsilon);
        released.set(r.cell.key, (released.get(r.cell.key) ?? 0) + toMicro(r.epsilon ?? 0));
      }
      expect(out.published.length + out.suppressed).toBe(cells.length);
      await ledger.commit();
    }
    expect(store.rows.size).toBe(40);
    for (const row of store.rows.values()) {
      expect(row.draws).toBe(6);
      expect(row.epsilonMicro).toBe(6 * toMicro(epsilon));
      expect(row.epsilonMicro).toBeGreaterThanOrEqual(released.get(row.cell) ?? 0);
    }
  });

  it('stops releasing a cell whose budget for the day is spent, across cycles, until its next day', async () => {
    const store = memoryLedgerStore();
    const cell = [{ key: 'big', count: 500, individuals: 500 }];
    const release = async (day: string) => {
      const ledger = new EpsilonLedger(store, 2);
      await ledger.open(resource, day);
      const out = releaseCounts(cell, 10, ledger.noise(resource, day, 0.5, { random: randomOf(1) }));
      await ledger.commit();
      return out;
    };
    const monday = [];
    for (let i = 0; i < 6; i += 1) monday.push(await release('2026-11-16'));
    expect(monday.map((o) => o.published.length)).toEqual([1, 1, 1, 1, 0, 0]);
    expect(monday.map((o) => o.overBudget)).toEqual([0, 0, 0, 0, 1, 1]);
    expect(store.rows.get(`${resource}|2026-11-16|big`)?.epsilonMicro).toBe(toMicro(2));
    expect((await release('2026-11-17')).published).toHaveLength(1);
  });

  it('keeps averaging a day of snapshots from recovering a cell count within the budget', async () => {
    // A snapshot a quarter hour (96 a day) of 400 cells, ε 0.25 a snapshot. The analyst averages what it receives.
    const epsilon = 0.25;
    const truth = Array.from({ length: 400 }, (_, i) => 20 + (i % 60));
    const averaged = async (budget: number | undefined) => {
      const store = memoryLedgerStore();
      const random = randomOf(2026);
      const sums = truth.map(() => ({ total: 0, seen: 0 }));
      for (let snapshot = 0; snapshot < 96; snapshot += 1) {
        const ledger = new EpsilonLedger(store, budget);
        await ledger.open(resource, '2026-11-16');
        const cells = truth.map((count, i) => ({ key: `cell-${i}`, count, individuals: count, i }));
        for (const r of releaseCounts(cells, 10, ledger.noise(resource, '2026-11-16', epsilon, { random }))
          .published) {
          const sum = sums[r.cell.i] as { total: number; seen: number };
          sum.total += r.count;
          sum.seen += 1;
        }
        await ledger.commit();
      }
      const errors = sums.map((s, i) => s.total / s.seen - (truth[i] as number));
      return {
        rmse: Math.sqrt(errors.reduce((n, e) => n + e * e, 0) / errors.length),
        exact: errors.filter((e) => Math.abs(e) < 0.5).length / errors.length,
        snapshots: Math.max(...sums.map((s) => s.seen)),
      };
    };
    // Within a budget of 1 a cell and day: four snapshots, whose mean is off by the noise of four draws.
    const budgeted = await averaged(1);
    expect(budgeted.snapshots).toBe(4);
    const expected = Math.sqrt(discreteLaplaceVariance(epsilon) / 4);
    expect(
      budgeted.rmse,
      `error ${budgeted.rmse.toFixed(2)} (expected about ${expected.toFixed(2)})`,
    ).toBeGreaterThan(0.8 * expected);
    expect(budgeted.exact, `${(100 * budgeted.exact).toFixed(1)}% recovered`).toBeLessThan(0.25);
    // Without a budget the same analyst recovers most counts: that is what the budget prevents.
    const unbudgeted = await averaged(undefined);
    expect(unbudgeted.snapshots).toBe(96);
    expect(unbudgeted.rmse).toBeLessThan(budgeted.rmse / 3);
    expect(unbudgeted.exact).toBeGreaterThan(0.4);
  });

  it('draws the same noise for a count made again under the noise key, and independent noise elsewhere', async () => {
    const key = Buffer.alloc(32, 7);
    const cells = Array.from({ length: 300 }, (_, i) => ({ key: `cell-${i}`, count: 50, individuals: 50 }));
    const made = async (period: string, noiseKey: Uint8Array = key) => {
      const ledger = new EpsilonLedger(memoryLedgerStore(), undefined, noiseKey);
      await ledger.open(resource, '2026-11-16');
      return releaseCounts(cells, 10, ledger.noise(resource, '2026-11-16', 0.5, { period })).published.map(
        (r) => r.count,
      );
    };
    const first = await made('2026-11-16T10:00:00.000Z');
    // Made again (a restart, a repeated snapshot): the same figures, so repeating gives nothing to average.
    expect(await made('2026-11-16T10:00:00.000Z')).toEqual(first);
    // Another period, or another key, draws afresh; the draws vary as discrete Laplace noise should.
    expect(await made('2026-11-16T10:15:00.000Z')).not.toEqual(first);
    expect(await made('2026-11-16T10:00:00.000Z', Buffer.alloc(32, 8))).not.toEqual(first);
    const mean = first.reduce((n, c) => n + c, 0) / first.length;
    const variance = first.reduce((n, c) => n + (c - mean) ** 2, 0) / first.length;
    expect(Math.abs(mean - 50)).toBeLessThan(0.6);
    expect(variance).toBeGreaterThan(0.6 * discreteLaplaceVariance(0.5));
    expect(variance).toBeLessThan(1.5 * discreteLaplaceVariance(0.5));
  });

  it('pays once for the same count made again under the same noise key, and again for a changed count or key', async () => {
    const store = memoryLedgerStore();
    const made = async (period: string, noiseKey: Uint8Array, count = 40) => {
      const ledger = new EpsilonLedger(store, 3, noiseKey);
      await ledger.open(resource, '2026-11-16');
      const cells = [{ key: 'route-4', count, individuals: count }];
      const out = releaseCounts(cells, 10, ledger.noise(resource, '2026-11-16', 1, { period }));
      await ledger.commit();
      return out.published[0]?.count;
    };
    const key = Buffer.alloc(32, 1);
    const first = await made('2026-11-16T10:00:00.000Z', key);
    // A restart makes the same count again: the same noise, nothing more to pay, however often.
    for (let i = 0; i < 5; i += 1) expect(await made('2026-11-16T10:00:00.000Z', key)).toBe(first);
    expect(store.rows.get(`${resource}|2026-11-16|route-4`)?.draws).toBe(1);
    // The same period with a count that changed is a fresh draw: paid, so nothing about the change comes free.
    await made('2026-11-16T10:00:00.000Z', key, 41);
    expect(store.rows.get(`${resource}|2026-11-16|route-4`)?.draws).toBe(2);
    // Another period, and the same period under another key, are fresh draws: paid, up to the budget of 3.
    await made('2026-11-16T10:15:00.000Z', key);
    expect(await made('2026-11-16T10:00:00.000Z', Buffer.alloc(32, 2))).toBeUndefined();
    expect(store.rows.get(`${resource}|2026-11-16|route-4`)?.epsilonMicro).toBe(toMicro(3));
  });

  it('counts a day in the adapter’s time zone', () => {
    expect(localDay('Asia/Kolkata')(Date.parse('2026-11-16T18:29:00Z'))).toBe('2026-11-16');
    expect(localDay('Asia/Kolkata')(Date.parse('2026-11-16T18:30:00Z'))).toBe('2026-11-17');
    expect(localDay('UTC')(Date.parse('2026-11-16T23:59:59Z'))).toBe('2026-11-16');
  });
});
