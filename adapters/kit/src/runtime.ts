import type { Clock } from '@sangam/core';
import { EpsilonLedger, type LedgerStore, memoryLedgerStore } from '@sangam/privacy';
import type { AdapterConfig } from './config.js';
import { FeedClient, FeedError } from './feed.js';
import { type AdapterHealth, initialHealth } from './health.js';
import { adapterNoiseKey } from './ledger.js';
import { Outbox, type PendingBatch } from './outbox.js';
import { type Publisher, publishChunk } from './publisher.js';
import { backoffMs, Circuit } from './retry.js';

/** What one poll of a feed gives: the batches to publish and what health counts. */
export interface PollResult {
  /** Nothing changed since the last poll (the feed answered 304): nothing to publish. */
  readonly unchanged?: boolean;
  readonly batches: readonly PendingBatch[];
  readonly recordsIn: number;
  readonly cellsSuppressed: number;
  /** Cells withheld because their ε budget for the day was spent. */
  readonly cellsOverBudget?: number;
  /** Of the records read, those left out because they do not fit the partner's data model. */
  readonly recordsLeftOut?: number;
  /** The feed's own time of its data. */
  readonly dataTime?: string;
  /** The feed's `ttl`: polling sooner would only fetch the same data. */
  readonly ttlSeconds?: number;
  /** Called once the batches are acknowledged: where a logic moves its cursor, so a crash repeats, never skips. */
  readonly published?: () => void;
}

export type LogLevel = 'debug' | 'info' | 'warn';

/** What the release rule lets an adapter publish now. */
export type PublishTerms =
  | {
      readonly publish: true;
      readonly k: number;
      readonly recordsAllowed: boolean;
      /** The MoU's ε budget per released cell and day for the dataset; none: noise is not budgeted. */
      readonly epsilonPerDay?: number;
    }
  | { readonly publish: false; readonly reason: string };

/** What the gateway made of the batches one cycle sent. */
interface PublishCounts {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Records of batches refused for good and set aside in the dead-letter file. */
  setAside: number;
  /** The first reasons given for refusals. */
  reasons: string[];
}

/**
 * A refusal that sending again cannot change (the resource is gone, the batch malformed or too large). Rate limits,
 * authentication (fixable by configuration) and server failures are retried instead.
 */
function refusedForGood(error: unknown): boolean {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' && [400, 404, 409, 413, 415, 422].includes(status);
}

export interface PollContext {
  readonly config: AdapterConfig;
  readonly feed: FeedClient;
  /** The k that applies now (the MoU's `minimumCellCount` for the dataset, 10 by default). */
  readonly k: number;
  /** Whether the MoU allows records (release level `anonymised-record`), not only aggregates, for the dataset. */
  readonly recordsAllowed: boolean;
  /** The ε ledger: every noisy count is paid for from it, within the MoU's budget per cell and day. */
  readonly ledger: EpsilonLedger;
  readonly now: Date;
}

/** A feed family's logic: read, validate, anonymise, aggregate. It throws a `FeedError` when the feed is at fault. */
export interface AdapterLogic {
  poll(context: PollContext): Promise<PollResult>;
}

export interface RuntimeOptions {
  readonly config: AdapterConfig;
  readonly logic: AdapterLogic;
  readonly publisher: Publisher;
  /**
   * The terms of this adapter's dataset under its MoU (k, and whether records are allowed), asked before each
   * cycle; `publish: false` (no MoU in force, the provider gone from it) means nothing is read or sent, and why.
   */
  readonly terms?: () => Promise<PublishTerms>;
  /** Called with every change of health (to store it where the status API reads it). */
  readonly onHealth?: (health: AdapterHealth) => Promise<void> | void;
  /** Where ε spent is kept (the gateway's database when hosted); in memory when absent. */
  readonly ledger?: LedgerStore;
  /** Where the runtime says what it does; routine progress is `debug`, trouble `warn`, the rest `info`. */
  readonly log?: (event: string, detail: Record<string, unknown>, level: LogLevel) => void;
  /** Retry timing: first backoff step and its cap, circuit threshold and cooldown. */
  readonly retry?: { baseMs?: number; capMs?: number; threshold?: number; cooldownMs?: number };
  /** Called once when the runtime stops, to release what the host made for it (a publishing client). */
  readonly onStop?: () => Promise<void>;
  /** The source of "now" for polls, health, the circuit and the outbox: the gateway's clock when hosted. */
  readonly clock: Clock;
}

/**
 * Runs one adapter: polls on its schedule (the configured interval, or the feed's ttl when longer), backs off with
 * jitter and opens a circuit on failures, publishes through a durable outbox, and keeps its health. Nothing a feed
 * does can stop the loop: every failure becomes health, and the last good data stays published, marked stale.
 */
export class AdapterRuntime {
  readonly #options: RuntimeOptions;
  readonly #feed: FeedClient;
  readonly #outbox: Outbox;
  readonly #circuit: Circuit;
  readonly #clock: Clock;
  readonly #ledger: LedgerStore;
  #noiseKey: Buffer | undefined;
  #health: AdapterHealth;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  /** Those waiting for the end of the cycle under way (or the next one). */
  #waiting: ((health: AdapterHealth) => void)[] = [];

  constructor(options: RuntimeOptions) {
    this.#options = options;
    const { config } = options;
    this.#feed = new FeedClient({
      timeoutMs: config.timeoutMs,
      maxBytes: config.maxBytes,
      allowHosts: config.allowHosts ?? [],
    });
    this.#clock = options.clock;
    this.#ledger = options.ledger ?? memoryLedgerStore();
    this.#outbox = new Outbox(config.stateDir, config.name, this.#clock);
    this.#circuit = new Circuit(
      options.retry?.threshold ?? 5,
      options.retry?.cooldownMs ?? 60_000,
      this.#clock,
    );
    this.#health = initialHealth(config.name, config.kind, config.provider);
  }

  get health(): AdapterHealth {
    return this.#health;
  }

  /** Starts polling; the first poll runs at once. */
  start(): void {
    this.#schedule(0);
  }

  /** Runs one cycle now (replaying the outbox first), without scheduling another; resolves when it is done. */
  async runOnce(): Promise<AdapterHealth> {
    await this.#cycle(false);
    return this.#health;
  }

  /** Resolves with the health at the end of the cycle under way, or of the next one if none is. */
  cycleDone(): Promise<AdapterHealth> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
    for (const resolve of this.#waiting.splice(0)) resolve(this.#health);
    await this.#feed.close();
    await this.#options.onStop?.();
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#cycle(true).finally(() => {
        this.#running = undefined;
      });
    }, delayMs);
  }

  async #cycle(scheduleNext: boolean): Promise<void> {
    const started = this.#clock.now();
    let nextMs = this.#options.config.pollSeconds * 1000;
    try {
      // Asked first: under no MoU in force, not even what the outbox holds goes out.
      let terms: PublishTerms = { publish: true, k: 10, recordsAllowed: true };
      try {
        if (this.#options.terms) terms = await this.#options.terms();
      } catch (error) {
        // Terms that cannot be read allow nothing; the feed is not at fault, so its circuit is left alone.
        terms = { publish: false, reason: `the MoU's terms could not be read: ${(error as Error).message}` };
      }
      const { epsilon } = this.#options.config.privacy;
      if (terms.publish && terms.epsilonPerDay !== undefined && epsilon === undefined) {
        // A budget spends ε: exact counts would spend it all at once, so nothing goes out until noise is set.
        terms = {
          publish: false,
          reason: `the MoU sets an ε budget of ${terms.epsilonPerDay} a cell and day for the dataset: the adapter must add noise (privacy.epsilon)`,
        };
      }
      if (!terms.publish) {
        await this.#stopPublishing(terms.reason, started);
        return;
      }
      await this.#replayOutbox();
      if (!this.#circuit.allows()) {
        nextMs = this.#circuit.waitMs();
        return;
      }
      if (epsilon !== undefined)
        this.#noiseKey ??= adapterNoiseKey(this.#options.config.stateDir, this.#options.config.name);
      const ledger = new EpsilonLedger(this.#ledger, terms.epsilonPerDay, this.#noiseKey);
      const result = await this.#options.logic.poll({
        config: this.#options.config,
        feed: this.#feed,
        k: terms.k,
        recordsAllowed: terms.recordsAllowed,
        ledger,
        now: started,
      });
      // Spent before anything drawn goes out: a crash in between leaves ε spent on nothing, never the reverse.
      await ledger.commit();
      let counts: PublishCounts = { accepted: 0, duplicates: 0, rejected: 0, setAside: 0, reasons: [] };
      if (!result.unchanged && result.batches.length > 0) {
        this.#outbox.hold(result.batches);
        counts = await this.#publishAll(result.batches);
        this.#outbox.clear();
      }
      result.published?.();
      this.#circuit.succeeded();
      if (result.ttlSeconds !== undefined) nextMs = Math.max(nextMs, result.ttlSeconds * 1000);
      const { accepted, duplicates, rejected } = counts;
      const { lastError, staleSince, ...rest } = this.#health;
      const at = this.#clock.now().toISOString();
      // The feed was read, but the gateway took none of what was sent: the city gets nothing from this partner,
      // which is a failure to report, not health (a data model changed, the feed's clock runs ahead, ...). The
      // feed is read afresh next time, so the same documents are sent again rather than passed over as unchanged.
      const sent = accepted + duplicates + rejected + counts.setAside > 0;
      const refusedAll = sent && accepted + duplicates === 0;
      if (refusedAll) this.#feed.forget();
      // A cycle that sent nothing (the feed unchanged, no hour due) shows nothing new: failing stays failing.
      const failing = refusedAll || (!sent && this.#health.state === 'failing');
      const failure = refusedAll
        ? {
            at,
            problem: 'rejected' as const,
            message:
              `the gateway refused every record sent: ${counts.reasons.join('; ') || 'no reason given'}`.slice(
                0,
                500,
              ),
          }
        : lastError;
      await this.#update({
        ...rest,
        state: failing ? 'failing' : 'healthy',
        ...(failing && failure ? { lastError: failure, staleSince: staleSince ?? at } : {}),
        lastAttemptAt: started.toISOString(),
        ...(failing ? {} : { lastSuccessAt: at }),
        ...(result.dataTime ? { dataTime: result.dataTime } : {}),
        recordsIn: this.#health.recordsIn + result.recordsIn,
        recordsOut: this.#health.recordsOut + accepted,
        duplicates: this.#health.duplicates + duplicates,
        rejected: this.#health.rejected + rejected,
        cellsSuppressed: this.#health.cellsSuppressed + result.cellsSuppressed,
        cellsOverBudget: (this.#health.cellsOverBudget ?? 0) + (result.cellsOverBudget ?? 0),
        // Health saved before this count existed has none.
        recordsLeftOut: (this.#health.recordsLeftOut ?? 0) + (result.recordsLeftOut ?? 0),
        consecutiveFailures: 0,
        circuit: this.#circuit.state,
      });
    } catch (error) {
      // The documents a failed poll read may have been refused after their validators were kept: the next poll
      // fetches everything afresh, so a 304 can never pass off refused or stale data as current.
      this.#feed.forget();
      this.#circuit.failed();
      const problem = error instanceof FeedError ? error.problem : 'publish';
      const message = error instanceof Error ? error.message : String(error);
      const retry = this.#options.retry;
      nextMs = Math.max(
        this.#circuit.waitMs(),
        backoffMs(this.#circuit.failures, retry?.baseMs ?? 1000, retry?.capMs ?? nextMs),
      );
      this.#options.log?.('poll failed', { adapter: this.#options.config.name, problem, message }, 'warn');
      await this.#update({
        ...this.#health,
        // Stale once something was published; failing stays failing; starting while nothing ever was.
        state: this.#health.lastSuccessAt
          ? 'stale'
          : this.#health.state === 'failing'
            ? 'failing'
            : 'starting',
        lastAttemptAt: started.toISOString(),
        lastError: { at: this.#clock.now().toISOString(), problem, message: message.slice(0, 500) },
        staleSince: this.#health.staleSince ?? this.#clock.now().toISOString(),
        consecutiveFailures: this.#circuit.failures,
        circuit: this.#circuit.state,
      });
    } finally {
      if (scheduleNext && !this.#stopped) {
        this.#health = {
          ...this.#health,
          nextPollAt: new Date(this.#clock.now().getTime() + nextMs).toISOString(),
        };
        this.#schedule(nextMs);
      }
      for (const resolve of this.#waiting.splice(0)) resolve(this.#health);
    }
  }

  /** Publishes nothing this cycle because the release rule says so; health says why until that changes. */
  async #stopPublishing(reason: string, at: Date): Promise<void> {
    if (this.#health.state !== 'stopped') {
      this.#options.log?.(
        'stopped by the release rule',
        { adapter: this.#options.config.name, reason },
        'warn',
      );
    }
    await this.#update({
      ...this.#health,
      state: 'stopped',
      lastAttemptAt: at.toISOString(),
      lastError: { at: at.toISOString(), problem: 'stopped', message: reason.slice(0, 500) },
    });
  }

  /** Publishes what a previous run left in the outbox before anything new. */
  async #replayOutbox(): Promise<void> {
    const pending = this.#outbox.pending();
    if (pending.length === 0) return;
    this.#options.log?.(
      'replaying the outbox',
      {
        adapter: this.#options.config.name,
        batches: pending.length,
      },
      'info',
    );
    await this.#publishAll(pending);
    this.#outbox.clear();
  }

  async #publishAll(batches: readonly PendingBatch[]): Promise<PublishCounts> {
    const totals = { accepted: 0, duplicates: 0, rejected: 0, setAside: 0, reasons: [] as string[] };
    for (const batch of batches) {
      for (let i = 0; i < batch.records.length; i += publishChunk) {
        const chunk = batch.records.slice(i, i + publishChunk);
        let result: Awaited<ReturnType<Publisher['publish']>>;
        try {
          result = await this.#options.publisher.publish(batch.resource, chunk);
        } catch (error) {
          if (!refusedForGood(error)) throw error;
          const reason = `${(error as { status: number }).status}: ${(error as Error).message}`.slice(0, 500);
          this.#outbox.deadLetter({ resource: batch.resource, records: chunk }, reason);
          totals.setAside += chunk.length;
          if (totals.reasons.length < 3) totals.reasons.push(reason);
          this.#health = { ...this.#health, deadLettered: this.#health.deadLettered + 1 };
          this.#options.log?.(
            'batch refused for good; set aside',
            { resource: batch.resource, reason },
            'warn',
          );
          continue;
        }
        totals.accepted += result.accepted;
        totals.duplicates += result.duplicates;
        totals.rejected += result.rejected;
        if (result.rejected > 0) {
          for (const reason of result.reasons) if (totals.reasons.length < 3) totals.reasons.push(reason);
          this.#options.log?.(
            'records rejected',
            { resource: batch.resource, reasons: result.reasons },
            'warn',
          );
        }
        this.#options.log?.(
          'published',
          {
            adapter: this.#options.config.name,
            resource: batch.resource,
            records: Math.min(publishChunk, batch.records.length - i),
          },
          'debug',
        );
      }
    }
    return totals;
  }

  async #update(health: AdapterHealth): Promise<void> {
    this.#health = health;
    try {
      await this.#options.onHealth?.(health);
    } catch (error) {
      this.#options.log?.('health could not be stored', { message: (error as Error).message }, 'warn');
    }
  }
}
