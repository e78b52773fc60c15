import { EventEmitter } from 'node:events';
import pg from 'pg';

/**
 * What a committed change tells the processes that hold live work about it: a channel and a small JSON payload of
 * keys (a resource and its data version, a consent id), never data. On PostgreSQL it travels by `NOTIFY`, so every
 * gateway process on the database hears it, this one too; on SQLite it stays in the process.
 *
 * A notice is sent after its change commits and may be lost (a process that dies in between, a dropped listening
 * connection): whoever listens also looks for itself now and then, and takes a notice as "look now", never as the
 * only news.
 */
export interface Notices {
  notify(channel: NoticeChannel, payload: object): void;
  /** Calls `listener` with each payload of the channel; returns what stops it. */
  listen(channel: NoticeChannel, listener: (payload: unknown) => void): () => void;
  close(): Promise<void>;
}

/** The channels in use: new records of a resource, and a change to what the release rule reads. */
export type NoticeChannel = 'sangam_records' | 'sangam_policy';

/** PostgreSQL caps a payload at 8000 bytes; ours are a few keys. */
const maxPayloadBytes = 7900;

/** Notices that stay in this process. */
export class LocalNotices implements Notices {
  readonly #events = new EventEmitter().setMaxListeners(0);

  notify(channel: NoticeChannel, payload: object): void {
    // After the caller's commit, not inside it: a listener's work never runs on the committing call's stack.
    queueMicrotask(() => this.#events.emit(channel, payload));
  }

  listen(channel: NoticeChannel, listener: (payload: unknown) => void): () => void {
    this.#events.on(channel, listener);
    return () => this.#events.off(channel, listener);
  }

  async close(): Promise<void> {
    this.#events.removeAllListeners();
  }
}

/**
 * Notices over PostgreSQL `LISTEN/NOTIFY`: one connection of its own listens (opened at the first `listen`, and
 * opened again if it drops); notices go out through the pool.
 */
export class PostgresNotices implements Notices {
  readonly #pool: pg.Pool;
  readonly #url: string;
  readonly #local = new LocalNotices();
  readonly #channels = new Set<NoticeChannel>();
  #client: pg.Client | undefined;
  #connecting: Promise<void> | undefined;
  #closed = false;

  constructor(url: string) {
    this.#url = url;
    this.#pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 10_000 });
    this.#pool.on('error', () => {});
  }

  notify(channel: NoticeChannel, payload: object): void {
    const text = JSON.stringify(payload);
    if (Buffer.byteLength(text) > maxPayloadBytes) throw new Error(`a notice of ${channel} is too large`);
    // Lost if the database is unreachable now; listeners look for themselves as well.
    this.#pool.query('select pg_notify($1, $2)', [channel, text]).catch(() => {});
  }

  listen(channel: NoticeChannel, listener: (payload: unknown) => void): () => void {
    const stop = this.#local.listen(channel, listener);
    if (!this.#channels.has(channel)) {
      this.#channels.add(channel);
      void this.#connect().then(() => this.#client?.query(`listen ${channel}`).catch(() => {}));
    }
    return stop;
  }

  /** Resolves once the listening connection is open, with every channel listened to. */
  ready(): Promise<void> {
    return this.#connect();
  }

  #connect(): Promise<void> {
    if (this.#client || this.#closed) return Promise.resolve();
    this.#connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.#url });
      client.on('error', () => this.#drop(client));
      client.on('end', () => this.#drop(client));
      client.on('notification', (message) => {
        if (!message.payload) return;
        try {
          this.#local.notify(message.channel as NoticeChannel, JSON.parse(message.payload) as object);
        } catch {
          // Not one of ours.
        }
      });
      await client.connect();
      for (const channel of this.#channels) await client.query(`listen ${channel}`);
      this.#client = client;
    })()
      .catch(() => {
        // Tried again at the next listen or drop; meanwhile listeners look for themselves.
        setTimeout(() => void this.#reconnect(), 1000).unref();
      })
      .finally(() => {
        this.#connecting = undefined;
      });
    return this.#connecting;
  }

  #drop(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    client.removeAllListeners('notification');
    void client.end().catch(() => {});
    if (!this.#closed) setTimeout(() => void this.#reconnect(), 100).unref();
  }

  async #reconnect(): Promise<void> {
    if (!this.#closed && this.#channels.size > 0) await this.#connect();
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = undefined;
    await this.#local.close();
    if (client) await client.end().catch(() => {});
    await this.#pool.end().catch(() => {});
  }
}
