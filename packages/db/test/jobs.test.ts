import { ManualClock } from '@sangam/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackgroundJobs, type DatabaseHandle } from '../src/index.js';
import { testBackend, testDatabase } from '../src/testing.js';

describe(`background jobs shared by several processes on ${testBackend()}`, () => {
  let handle: DatabaseHandle;
  const clock = new ManualClock('2031-05-01T00:00:00Z');
  beforeAll(async () => {
    handle = await testDatabase();
  });
  afterAll(async () => {
    await handle.destroy();
  });
  beforeEach(async () => {
    await handle.db.deleteFrom('background_jobs').execute();
  });

  /** Three instances of one job on one database, each counting its own runs. */
  const instances = (intervalMs: number, leaseMs = 15_000) =>
    ['a', 'b', 'c'].map((holder) => {
      const runs: string[] = [];
      const jobs = new BackgroundJobs(handle.db, {
        clock,
        holder,
        leaseMs,
        onError: (error) => {
          throw error;
        },
      }).add({
        name: 'checkpoint',
        intervalMs,
        run: async () => {
          runs.push(clock.now().toISOString());
        },
      });
      return { holder, jobs, runs };
    });
  const tickAll = async (all: ReturnType<typeof instances>) => {
    // Together, as processes would: the lease and the claim are single statements, so order does not matter.
    await Promise.all(all.map((i) => i.jobs.tick()));
  };
  const row = () =>
    handle.db
      .selectFrom('background_jobs')
      .selectAll()
      .where('name', '=', 'checkpoint')
      .executeTakeFirstOrThrow();

  it('runs a job once per period however many processes ask, and keeps it with the first to take it', async () => {
    const all = instances(60_000);
    for (let minute = 0; minute < 10; minute += 1) {
      // Each process asks every 5 s, as their timers would.
      for (let i = 0; i < 12; i += 1) {
        await tickAll(all);
        clock.advance(5_000);
      }
    }
    const runsOf = all.map((i) => i.runs.length);
    expect(runsOf.reduce((a, b) => a + b)).toBe(10);
    // One process held the job throughout: the lease is renewed long before it lapses.
    expect(runsOf.filter((n) => n > 0)).toHaveLength(1);
    const stored = await row();
    expect(Number(stored.runs)).toBe(10);
    expect(stored.last_runner).toBe(stored.holder);
  });

  it('moves to another process when the holder dies, without running twice in a period', async () => {
    const all = instances(60_000, 15_000);
    await tickAll(all);
    const first = all.find((i) => i.runs.length === 1);
    expect(first).toBeDefined();
    const survivors = all.filter((i) => i !== first);
    // The holder dies: it asks no more. Its lease lapses after 15 s; the period is not over until a minute.
    for (let s = 5; s <= 55; s += 5) {
      clock.advance(5_000);
      await tickAll(survivors);
    }
    expect(survivors.flatMap((i) => i.runs)).toEqual([]);
    const taker = (await row()).holder;
    expect(taker).not.toBe(first?.holder);
    clock.advance(5_000);
    await tickAll(survivors);
    expect(survivors.find((i) => i.holder === taker)?.runs).toHaveLength(1);
    expect(Number((await row()).runs)).toBe(2);
  });

  it('gives its leases up when stopped, so another process takes over at its next ask', async () => {
    const all = instances(1_000);
    await tickAll(all);
    const holder = (await row()).holder;
    const stopped = all.find((i) => i.holder === holder);
    await stopped?.jobs.stop();
    clock.advance(1_000);
    await tickAll(all.filter((i) => i !== stopped));
    const next = await row();
    expect(next.holder).not.toBe(holder);
    expect(next.last_runner).toBe(next.holder);
    expect(Number(next.runs)).toBe(2);
  });

  it('does not start a run while the last one of this process is still going', async () => {
    let release = () => {};
    let started = 0;
    const jobs = new BackgroundJobs(handle.db, { clock, holder: 'slow' }).add({
      name: 'sweep',
      intervalMs: 1_000,
      run: () => {
        started += 1;
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    await jobs.tick();
    clock.advance(5_000);
    await jobs.tick();
    expect(started).toBe(1);
    release();
    await jobs.stop();
    expect(started).toBe(1);
  });
});
