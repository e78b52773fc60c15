import type { Database, Kysely } from '@sangam/db';
import type { StoredRecord } from '../records/store.js';
import type { FeedCursor } from './model.js';

/** A record of a resource's feed as delivery reads it: parsed once, whoever it goes to. */
export interface FeedRecord {
  readonly cursor: FeedCursor;
  readonly observedAt: string;
  readonly individuals: number | null;
  readonly record: StoredRecord;
}

const before = (a: FeedCursor, b: FeedCursor) =>
  a.version < b.version || (a.version === b.version && a.position < b.position);

/** The newest records of one resource, in feed order, read from the database once for every subscriber. */
class Window {
  records: FeedRecord[] = [];
  /** Everything after this place up to the last record is held (the window's start is exclusive). */
  from: FeedCursor;
  /** Whether the database may hold records after the window: set by a notice or a poll, cleared by a read. */
  stale = true;
  /** The newest data version a notice named: the streams and webhooks of a process hear each notice once each. */
  heard = 0;
  reading: Promise<void> | undefined;
  /** The part last handed out: the streams standing at the same place share it rather than each copying it. */
  part: { readonly first: number; readonly limit: number; readonly rows: FeedRecord[] } | undefined;

  constructor(from: FeedCursor) {
    this.from = from;
  }

  get end(): FeedCursor {
    return this.records.at(-1)?.cursor ?? this.from;
  }
}

/**
 * The feeds subscribers read, shared: when a resource has new records, its window reads them from the database
 * once and every subscriber standing inside the window takes its part from memory, so a thousand streams of a
 * resource cost one read and one parse per record, not a thousand. A subscriber behind the window (resuming from
 * long ago) reads the database itself. A window keeps `size` records at most.
 */
export class FeedWindows {
  readonly #db: Kysely<Database>;
  readonly #size: number;
  readonly #windows = new Map<string, Window>();

  constructor(db: Kysely<Database>, size: number) {
    this.#db = db;
    this.#size = size;
  }

  /**
   * The resource may have new records (a poll), or has them up to data `version` (a notice): its window reads them
   * at the next ask. A notice heard already (by another listener of this process) asks for no second read.
   */
  touch(resource?: string, version?: number): void {
    if (resource === undefined) {
      for (const w of this.#windows.values()) w.stale = true;
      return;
    }
    const window = this.#windows.get(resource);
    if (!window) return;
    if (version !== undefined) {
      if (version <= window.heard) return;
      window.heard = version;
    }
    window.stale = true;
  }

  /** Up to `limit` records of `resource` after `cursor`, in feed order. */
  async after(resource: string, cursor: FeedCursor, limit: number): Promise<FeedRecord[]> {
    let window = this.#windows.get(resource);
    if (!window) {
      // A window opens where its first reader stands.
      window = new Window(cursor);
      this.#windows.set(resource, window);
    }
    if (before(cursor, window.from)) return this.#read(resource, cursor, limit);
    // Nothing is new for a reader at the window's end until a notice or a poll marks the window stale. A read under
    // way began after the last notice: it brings what that notice told of, so a reader waits for it rather than
    // taking the window as it stood (and staying a notice behind).
    if (window.stale) await this.#refresh(resource, window);
    else if (window.reading) await window.reading;
    const first = this.#firstAfter(window, cursor);
    if (first < 0) return [];
    const part = window.part;
    if (part && part.first === first && part.limit === limit) return part.rows;
    const rows = window.records.slice(first, first + limit);
    window.part = { first, limit, rows };
    return rows;
  }

  /** Index of the first held record after `cursor`, or -1. */
  #firstAfter(window: Window, cursor: FeedCursor): number {
    let low = 0;
    let high = window.records.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (before(cursor, (window.records[mid] as FeedRecord).cursor)) high = mid;
      else low = mid + 1;
    }
    return low < window.records.length ? low : -1;
  }

  /** Reads what is new after the window's end, once for every reader waiting on it. */
  async #refresh(resource: string, window: Window): Promise<void> {
    // A notice that came while a read was under way asks for another (a window filling from far back reads once
    // per ask, so one reader's wait stays bounded).
    let reads = 0;
    do await this.#readOnce(resource, window);
    while (window.stale && ++reads < 2);
  }

  #readOnce(resource: string, window: Window): Promise<void> {
    if (!window.reading) {
      window.stale = false;
      window.reading = (async () => {
        // At most a window's worth per read: a window that opened far back fills over several reads.
        let taken = 0;
        for (;;) {
          const chunk = Math.min(2000, this.#size - taken);
          const fresh = await this.#read(resource, window.end, chunk);
          // The records held change: a part handed out before may now be short of them, or stand elsewhere.
          if (fresh.length > 0) window.part = undefined;
          window.records.push(...fresh);
          taken += fresh.length;
          if (fresh.length < chunk) break;
          if (taken >= this.#size) {
            window.stale = true;
            break;
          }
        }
        const over = window.records.length - this.#size;
        if (over > 0) {
          window.from = (window.records[over - 1] as FeedRecord).cursor;
          window.records.splice(0, over);
          window.part = undefined;
        }
      })().finally(() => {
        window.reading = undefined;
      });
    }
    return window.reading;
  }

  async #read(resource: string, cursor: FeedCursor, limit: number): Promise<FeedRecord[]> {
    const rows = await this.#db
      .selectFrom('records')
      .select(['body', 'individuals', 'feed_version', 'feed_position', 'observed_at'])
      .where('resource_id', '=', resource)
      // A row-value comparison: both databases walk the feed index from the cursor on.
      .where((eb) =>
        eb(eb.refTuple('feed_version', 'feed_position'), '>', eb.tuple(cursor.version, cursor.position)),
      )
      .orderBy('feed_version')
      .orderBy('feed_position')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      cursor: { version: Number(r.feed_version), position: Number(r.feed_position) },
      observedAt: r.observed_at,
      individuals: r.individuals === null ? null : Number(r.individuals),
      record: JSON.parse(r.body) as StoredRecord,
    }));
  }

  /** Forgets the window of a resource nobody reads any more. */
  drop(resource: string): void {
    this.#windows.delete(resource);
  }
}
