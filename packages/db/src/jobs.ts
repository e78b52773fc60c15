import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '@sangam/core';
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';
import { toDbTime } from './time.js';

/** A name for this process among the instances sharing a database: its host, its pid and a random part. */
export function instanceId(): string {
  return `${hostname().slice(0, 120)}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** A job that must run once per period across every process on the database (a checkpoint, a sweep). */
export interface BackgroundJob {
  readonly name: string;
  readonly intervalMs: number;
  run(): Promise<void>;
}

export interface BackgroundJobsOptions {
  readonly clock: Clock;
  /** This process's name in the lease; `instanceId()` unless given. */
  readonly holder?: string;
  /** How long a lease lasts unrenewed: a dead holder's jobs move to another process after this. */
  readonly leaseMs?: number;
  readonly onError?: (error: unknown, job: string) => void;
}

/**
 * Runs background jobs so that each runs once per period across every process on one database, SQLite or
 * PostgreSQL. A process holds a job's lease while it is alive (renewed three times a lease) and runs the job when
 * the period since its last run, by whichever process, is over. The lease and the last run are one row, changed by
 * single conditional statements, so two processes never both take a lease or both claim a period; when the holder
 * dies, its lease lapses and the next process to ask takes the job over where the last run left it.
 */
export class BackgroundJobs {
  readonly holder: string;
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;
  readonly #leaseMs: number;
  readonly #onError: (error: unknown, job: string) => void;
  readonly #jobs: BackgroundJob[] = [];
  readonly #running = new Map<string, Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #stopped = false;
  #asked = false;

  constructor(db: Kysely<Database>, options: BackgroundJobsOptions) {
    this.#db = db;
    this.#clock = options.clock;
    this.holder = options.holder ?? instanceId();
    this.#leaseMs = options.leaseMs ?? 15_000;
    this.#onError = options.onError ?? (() => {});
  }

  add(job: BackgroundJob): this {
    if (job.intervalMs <= 0) return this;
    this.#jobs.push(job);
    return this;
  }

  /** Asks for the leases now and then at a third of a lease (or the shortest period, when shorter). */
  start(): void {
    if (this.#timer || this.#jobs.length === 0) return;
    const every = Math.max(50, Math.min(this.#leaseMs / 3, ...this.#jobs.map((j) => j.intervalMs)));
    const tick = () => {
      this.#ticking ??= this.tick().finally(() => {
        this.#ticking = undefined;
      });
    };
    this.#timer = setInterval(tick, every);
    this.#timer.unref();
    tick();
  }

  /** One round: renews or takes each job's lease, and starts those whose period is over. */
  async tick(): Promise<void> {
    this.#asked = true;
    for (const job of this.#jobs) {
      if (this.#stopped) return;
      try {
        await this.#tickJob(job);
      } catch (error) {
        this.#onError(error, job.name);
      }
    }
  }

  /** Stops asking, waits for the runs in progress, and gives up the leases so another process takes over now. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#ticking;
    await Promise.all(this.#running.values());
    const names = this.#jobs.map((j) => j.name);
    if (names.length === 0 || !this.#asked) return;
    await releaseLeases(this.#db, names, this.holder).catch((error: unknown) =>
      this.#onError(error, names.join(', ')),
    );
  }

  async #tickJob(job: BackgroundJob): Promise<void> {
    const now = this.#clock.now();
    const lease = await takeLease(
      this.#db,
      { name: job.name, holder: this.holder, leaseMs: this.#leaseMs },
      now,
    );
    if (!lease.held || this.#running.has(job.name)) return;
    const last = lease.lastRunAt;
    if (last !== null && now.getTime() - Date.parse(last) < job.intervalMs) return;
    // Claims this period: only if the lease is still ours and nobody ran the job since the row was read.
    const claimed = await this.#db
      .updateTable('background_jobs')
      .set({ last_run_at: toDbTime(now), last_runner: this.holder, runs: sql<number>`runs + 1` })
      .where('name', '=', job.name)
      .where('holder', '=', this.holder)
      .where('last_run_at', last === null ? 'is' : '=', last)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return;
    const run = job
      .run()
      .catch((error: unknown) => this.#onError(error, job.name))
      .finally(() => this.#running.delete(job.name));
    this.#running.set(job.name, run);
  }
}

/** A lease on a named job: held by the one that asked, or by another until it lapses. */
export interface JobLease {
  readonly held: boolean;
  readonly holder: string;
  readonly expiresAt: string;
  readonly lastRunAt: string | null;
}

/**
 * Renews `holder`'s lease on a job, or takes one that lapsed, in one statement; says who holds it now. The lease
 * of a process that stops answering lapses after `leaseMs`, and the next to ask takes it.
 */
export async function takeLease(
  db: Kysely<Database>,
  lease: { readonly name: string; readonly holder: string; readonly leaseMs: number },
  now: Date,
): Promise<JobLease> {
  const expires = toDbTime(new Date(now.getTime() + lease.leaseMs));
  const taken = await db
    .insertInto('background_jobs')
    .values({ name: lease.name, holder: lease.holder, lease_expires_at: expires })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder: lease.holder, lease_expires_at: expires })
        .where((eb) =>
          eb.or([
            eb('background_jobs.holder', '=', lease.holder),
            eb('background_jobs.lease_expires_at', '<', toDbTime(now)),
          ]),
        ),
    )
    .returning(['last_run_at'])
    .executeTakeFirst();
  if (taken) return { held: true, holder: lease.holder, expiresAt: expires, lastRunAt: taken.last_run_at };
  const other = await db
    .selectFrom('background_jobs')
    .select(['holder', 'lease_expires_at', 'last_run_at'])
    .where('name', '=', lease.name)
    .executeTakeFirstOrThrow();
  return {
    held: false,
    holder: other.holder,
    expiresAt: other.lease_expires_at,
    lastRunAt: other.last_run_at,
  };
}

/** Gives a lease up at once (a process stopping), so the next to ask takes the job over without waiting. */
export async function releaseLeases(
  db: Kysely<Database>,
  names: readonly string[],
  holder: string,
): Promise<void> {
  if (names.length === 0) return;
  await db
    .updateTable('background_jobs')
    .set({ lease_expires_at: toDbTime(new Date(0)) })
    .where('name', 'in', names)
    .where('holder', '=', holder)
    .execute();
}
