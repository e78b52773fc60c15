import { testBackend } from '@sangam/db/testing';
import { type Alliance, position, positions, startAlliance } from '@sangam/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedWindows } from '../src/subscriptions/feed.js';
import type { FeedCursor } from '../src/subscriptions/model.js';

/** The shared window of a resource's newest records, as the streams and webhooks of one process read it. */
describe(`the feed windows on ${testBackend()}`, () => {
  let a: Alliance;
  let bus = 0;
  beforeAll(async () => {
    a = await startAlliance();
  });
  afterAll(async () => {
    await a.gw.close();
  });

  /** Stores `n` new positions through the ingestion API. */
  async function publish(n: number): Promise<string[]> {
    const records = Array.from({ length: n }, (_, i) => position(a.clock, String(bus + i + 1), 1));
    bus += n;
    const answer = await a.ingest(positions, records);
    expect(answer.status).toBe(200);
    return records.map((r) => r.id);
  }

  const ids = (rows: { record: { id?: unknown } }[]) => rows.map((r) => r.record.id);

  it('a reader that asks while a notice’s read is under way gets what the notice told of', async () => {
    const feeds = new FeedWindows(a.gw.database.db, 100);
    const origin: FeedCursor = (await feeds.after(positions, { version: 0, position: -1 }, 1000)).at(-1)
      ?.cursor ?? { version: 0, position: -1 };
    const first = await publish(2);
    feeds.touch(positions);
    const held = await feeds.after(positions, origin, 100);
    expect(ids(held)).toEqual(first);

    const second = await publish(3);
    const version = (held.at(-1)?.cursor.version ?? 0) + 1;
    feeds.touch(positions, version);
    // The first reader starts the window's read; the second, a batch behind, asks before that read returns.
    const [ahead, behind] = await Promise.all([
      feeds.after(positions, held.at(-1)?.cursor ?? origin, 100),
      feeds.after(positions, origin, 100),
    ]);
    expect(ids(ahead)).toEqual(second);
    expect(ids(behind)).toEqual([...first, ...second]);
  });

  it('reads once for a notice however many listeners pass it on, and again for the next', async () => {
    const feeds = new FeedWindows(a.gw.database.db, 100);
    const origin = (await feeds.after(positions, { version: 0, position: -1 }, 1000)).at(-1)?.cursor ?? {
      version: 0,
      position: -1,
    };
    const told = await publish(1);
    const version = origin.version + 1;
    feeds.touch(positions, version);
    const read = await feeds.after(positions, origin, 100);
    expect(ids(read)).toEqual(told);
    const end = read.at(-1)?.cursor ?? origin;

    // The same notice from a second listener: nothing to read, so a record stored meanwhile, of which no notice
    // told yet, is not looked for.
    const untold = await publish(1);
    feeds.touch(positions, version);
    expect(await feeds.after(positions, end, 100)).toEqual([]);
    feeds.touch(positions, version + 1);
    expect(ids(await feeds.after(positions, end, 100))).toEqual(untold);
  });
});
