import {
  type DatabaseConnection,
  type Driver,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';

/**
 * Waiters for the one SQLite connection, served first come first served. kysely's own mutex wakes every waiter at
 * each release and all but one wait again: with a thousand queries queued (the streams woken by one ingestion),
 * each release costs a thousand wake-ups, and the queue drains in quadratic time.
 */
class FairMutex {
  #held = false;
  #queue: (() => void)[] = [];
  #head = 0;

  lock(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#queue.push(resolve));
  }

  unlock(): void {
    if (this.#head < this.#queue.length) {
      const next = this.#queue[this.#head] as () => void;
      this.#queue[this.#head] = noop;
      this.#head += 1;
      // Compacted now and then, not on every release (shift is linear in the queue's length).
      if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      next();
      return;
    }
    this.#queue = [];
    this.#head = 0;
    this.#held = false;
  }
}

const noop = () => {};

/** kysely's SQLite driver with a fair queue in front of its connection (its own lock is then never contended). */
class FairSqliteDriver extends SqliteDriver {
  readonly #mutex = new FairMutex();

  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    this.#mutex.unlock();
  }
}

/** kysely's SQLite dialect whose queued queries are served in order, each release waking one. */
export class FairSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new FairSqliteDriver(this.#config);
  }
}
