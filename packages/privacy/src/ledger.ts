import { createHash } from 'node:crypto';
import type { CellNoise } from './counts.js';
import { keyedRandom, type RandomInt } from './noise.js';
import { utcOffset } from './zone.js';

/** ε in millionths: sums of many draws stay exact. */
export const toMicro = (epsilon: number): number => Math.round(epsilon * 1_000_000);

/** The local date (`YYYY-MM-DD`) of an instant in a time zone: the day a budget is counted in. */
export function localDay(timeZone: string): (ms: number) => string {
  const offset = utcOffset(timeZone);
  return (ms) => new Date(ms + offset(ms)).toISOString().slice(0, 10);
}

/** ε spent on the counts of one released cell of a resource on one local day. */
export interface EpsilonSpend {
  readonly resource: string;
  /** The local day (`YYYY-MM-DD`, in the adapter's time zone). */
  readonly day: string;
  /** The released cell's key: an H3 cell with its category, or an origin and destination. */
  readonly cell: string;
  readonly epsilonMicro: number;
  /** Noisy counts drawn, released or withheld alike: a withheld cell was decided on its noisy count too. */
  readonly draws: number;
  /** The periods (release times) paid for, where the noise is keyed: made again, they are not paid twice. */
  readonly periods: readonly string[];
}

/** What a resource's day has spent: ε per cell, and the cell and period pairs already paid for. */
export interface DaySpending {
  readonly spent: ReadonlyMap<string, number>;
  /** `cell|period`. */
  readonly paid: ReadonlySet<string>;
}

/** Where spending is kept across cycles and restarts: the gateway's database when the gateway hosts the adapter. */
export interface LedgerStore {
  /** ε already spent (millionths) per cell of a resource on a day, and the periods paid for. */
  spent(resource: string, day: string): Promise<DaySpending>;
  /** Adds a cycle's spending; called before anything drawn in the cycle is published. */
  add(spends: readonly EpsilonSpend[], budgetPerDay: number | undefined): Promise<void>;
}

/** A ledger that lives as long as its process: for tests and adapters run on their own. */
export function memoryLedgerStore(): LedgerStore & { readonly rows: Map<string, EpsilonSpend> } {
  const rows = new Map<string, EpsilonSpend>();
  return {
    rows,
    async spent(resource, day) {
      const prefix = `${resource}|${day}|`;
      const spent = new Map<string, number>();
      const paid = new Set<string>();
      for (const [key, row] of rows) {
        if (!key.startsWith(prefix)) continue;
        spent.set(row.cell, row.epsilonMicro);
        for (const period of row.periods) paid.add(`${row.cell}|${period}`);
      }
      return { spent, paid };
    },
    async add(spends) {
      for (const s of spends) {
        const key = `${s.resource}|${s.day}|${s.cell}`;
        const row = rows.get(key);
        rows.set(
          key,
          row
            ? {
                ...s,
                epsilonMicro: row.epsilonMicro + s.epsilonMicro,
                draws: row.draws + s.draws,
                periods: [...row.periods, ...s.periods],
              }
            : s,
        );
      }
    },
  };
}

/**
 * One cycle's view of the ε ledger: what earlier cycles spent, what this one draws, and the budget per cell and day
 * (from the MoU's dataset entry) that no cell may pass. A cell whose budget is spent is withheld for the rest of its
 * day: averaging its counts can never buy more accuracy than the budget allows.
 */
export class EpsilonLedger {
  readonly budgetPerDay: number | undefined;
  readonly #budgetMicro: number;
  readonly #store: LedgerStore;
  readonly #noiseKey: Uint8Array | undefined;
  /** Names the key among the periods paid for: under another key, the same count is a fresh draw, paid again. */
  readonly #keyId: string;
  /** resource|day → millionths spent per cell and the `cell|period` pairs paid, earlier cycles and this one. */
  readonly #days = new Map<string, { spent: Map<string, number>; paid: Set<string> }>();
  /** resource|day|cell → this cycle's spending. */
  readonly #spends = new Map<
    string,
    { resource: string; day: string; cell: string; micro: number; draws: number; periods: string[] }
  >();

  /** `noiseKey`: the adapter's secret for noise that is the same each time a count is made again. */
  constructor(store: LedgerStore, budgetPerDay?: number, noiseKey?: Uint8Array) {
    if (budgetPerDay !== undefined && !(budgetPerDay > 0)) throw new RangeError('a budget is above 0');
    this.#store = store;
    this.#noiseKey = noiseKey;
    this.#keyId = noiseKey ? createHash('sha256').update(noiseKey).digest('hex').slice(0, 12) : '';
    this.budgetPerDay = budgetPerDay;
    this.#budgetMicro = budgetPerDay === undefined ? Number.POSITIVE_INFINITY : toMicro(budgetPerDay);
  }

  /** Reads what was spent on a resource's day; needed once before `take` is asked about it. */
  async open(resource: string, day: string): Promise<void> {
    const key = `${resource}|${day}`;
    if (this.#days.has(key)) return;
    const before = await this.#store.spent(resource, day);
    this.#days.set(key, { spent: new Map(before.spent), paid: new Set(before.paid) });
  }

  /**
   * Spends ε on one noisy count of a cell when the day's budget allows it; false, spending nothing, when not. With
   * `period` (keyed noise: the same count made again draws the same noise), a period already paid for costs nothing.
   */
  take(resource: string, day: string, cell: string, epsilon: number, period?: string): boolean {
    const known = this.#days.get(`${resource}|${day}`);
    if (!known) throw new Error(`the ledger of ${resource} on ${day} was not opened`);
    if (period !== undefined && known.paid.has(`${cell}|${period}`)) return true;
    const micro = toMicro(epsilon);
    const before = known.spent.get(cell) ?? 0;
    if (before + micro > this.#budgetMicro) return false;
    known.spent.set(cell, before + micro);
    const key = `${resource}|${day}|${cell}`;
    const own = this.#spends.get(key) ?? { resource, day, cell, micro: 0, draws: 0, periods: [] };
    own.micro += micro;
    own.draws += 1;
    if (period !== undefined) {
      known.paid.add(`${cell}|${period}`);
      own.periods.push(period);
    }
    this.#spends.set(key, own);
    return true;
  }

  /**
   * Noise for one release of a resource's cells on a day (opened first), each draw paid for from this ledger. With
   * the noise key, a cell's draw follows from the resource, the cell and `period` (the release's time), so the same
   * count made again gets the same noise; `random` (tests) overrides it.
   */
  noise(
    resource: string,
    day: string,
    epsilon: number,
    options: { period?: string; random?: RandomInt } = {},
  ): CellNoise {
    const key = this.#noiseKey;
    // A period is paid once only where its noise repeats: keyed, and not overridden.
    const period =
      key && !options.random && options.period !== undefined ? `${options.period}#${this.#keyId}` : undefined;
    return {
      epsilon,
      take: (cell, e) => this.take(resource, day, cell, e, period),
      ...(options.random ? { random: options.random } : {}),
      ...(key && options.period !== undefined
        ? {
            randomFor: (cell: string) => keyedRandom(key, `${resource}|${options.period}|${cell}|${epsilon}`),
          }
        : {}),
    };
  }

  /** This cycle's spending, for the store. */
  spends(): EpsilonSpend[] {
    return [...this.#spends.values()].map((s) => ({
      resource: s.resource,
      day: s.day,
      cell: s.cell,
      epsilonMicro: s.micro,
      draws: s.draws,
      periods: s.periods,
    }));
  }

  /** Keeps this cycle's spending; the runtime calls it before the cycle's batches are published. */
  async commit(): Promise<void> {
    const spends = this.spends();
    if (spends.length > 0) await this.#store.add(spends, this.budgetPerDay);
    this.#spends.clear();
  }
}
