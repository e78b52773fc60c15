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
}

/** Where spending is kept across cycles and restarts: the gateway's database when the gateway hosts the adapter. */
export interface LedgerStore {
  /** ε already spent (millionths) per cell of a resource on a day. */
  spent(resource: string, day: string): Promise<ReadonlyMap<string, number>>;
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
      for (const [key, row] of rows) if (key.startsWith(prefix)) spent.set(row.cell, row.epsilonMicro);
      return spent;
    },
    async add(spends) {
      for (const s of spends) {
        const key = `${s.resource}|${s.day}|${s.cell}`;
        const row = rows.get(key);
        rows.set(
          key,
          row ? { ...s, epsilonMicro: row.epsilonMicro + s.epsilonMicro, draws: row.draws + s.draws } : s,
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
  /** resource|day → cell → millionths spent, earlier cycles and this one. */
  readonly #days = new Map<string, Map<string, number>>();
  /** resource|day|cell → this cycle's spending. */
  readonly #spends = new Map<
    string,
    { resource: string; day: string; cell: string; micro: number; draws: number }
  >();

  /** `noiseKey`: the adapter's secret for noise that is the same each time a count is made again. */
  constructor(store: LedgerStore, budgetPerDay?: number, noiseKey?: Uint8Array) {
    if (budgetPerDay !== undefined && !(budgetPerDay > 0)) throw new RangeError('a budget is above 0');
    this.#store = store;
    this.#noiseKey = noiseKey;
    this.budgetPerDay = budgetPerDay;
    this.#budgetMicro = budgetPerDay === undefined ? Number.POSITIVE_INFINITY : toMicro(budgetPerDay);
  }

  /** Reads what was spent on a resource's day; needed once before `take` is asked about it. */
  async open(resource: string, day: string): Promise<void> {
    const key = `${resource}|${day}`;
    if (!this.#days.has(key)) this.#days.set(key, new Map(await this.#store.spent(resource, day)));
  }

  /** Spends ε on one noisy count of a cell when the day's budget allows it; false, spending nothing, when not. */
  take(resource: string, day: string, cell: string, epsilon: number): boolean {
    const spent = this.#days.get(`${resource}|${day}`);
    if (!spent) throw new Error(`the ledger of ${resource} on ${day} was not opened`);
    const micro = toMicro(epsilon);
    const before = spent.get(cell) ?? 0;
    if (before + micro > this.#budgetMicro) return false;
    spent.set(cell, before + micro);
    const key = `${resource}|${day}|${cell}`;
    const own = this.#spends.get(key) ?? { resource, day, cell, micro: 0, draws: 0 };
    own.micro += micro;
    own.draws += 1;
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
    return {
      epsilon,
      take: (cell, e) => this.take(resource, day, cell, e),
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
    }));
  }

  /** Keeps this cycle's spending; the runtime calls it before the cycle's batches are published. */
  async commit(): Promise<void> {
    const spends = this.spends();
    if (spends.length > 0) await this.#store.add(spends, this.budgetPerDay);
    this.#spends.clear();
  }
}
