import { createHash, createHmac } from 'node:crypto';
import type { CellNoise } from './counts.js';
import { keyedRandom, type RandomInt } from './noise.js';
import { utcOffset } from './zone.js';

/**
 * A cell's name in the ledger: as it is where it is short printable ASCII (an H3 cell and a category, an origin and
 * destination), else a hash of it, so a feed's free text (a route, a vehicle type) can neither break the store nor
 * pass for another cell.
 */
export function ledgerCell(cell: string): string {
  return /^[\x21-\x7e]{1,100}$/.test(cell)
    ? cell
    : `sha256:${createHash('sha256').update(cell).digest('hex').slice(0, 40)}`;
}

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
  /**
   * The draws paid for, where the noise is keyed: each a token of the cell, period, ε and count under the noise key.
   * The same count made again is the same draw, and is not paid twice; a changed count is a new draw, paid.
   */
  readonly paid: readonly string[];
}

/** What a resource's day has spent: ε per cell, and the draws already paid for. */
export interface DaySpending {
  readonly spent: ReadonlyMap<string, number>;
  /** `cell|token`. */
  readonly paid: ReadonlySet<string>;
}

/** Where spending is kept across cycles and restarts: the gateway's database when the gateway hosts the adapter. */
export interface LedgerStore {
  /** ε already spent (millionths) per cell of a resource on a day, and the draws paid for. */
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
        for (const token of row.paid) paid.add(`${row.cell}|${token}`);
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
                paid: [...row.paid, ...s.paid],
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
  /** resource|day → millionths spent per cell and the `cell|token` draws paid, earlier cycles and this one. */
  readonly #days = new Map<string, { spent: Map<string, number>; paid: Set<string> }>();
  /** resource|day|cell → this cycle's spending. */
  readonly #spends = new Map<
    string,
    { resource: string; day: string; cell: string; micro: number; draws: number; paid: string[] }
  >();

  /** `noiseKey`: the adapter's secret for noise that is the same each time the same count is made again. */
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
    if (this.#days.has(key)) return;
    const before = await this.#store.spent(resource, day);
    this.#days.set(key, { spent: new Map(before.spent), paid: new Set(before.paid) });
  }

  /**
   * Spends ε on one noisy count of a cell when the day's budget allows it; false, spending nothing, when not. A
   * `draw` token already paid for (keyed noise: the same count made again draws the same noise) costs nothing.
   */
  take(resource: string, day: string, cell: string, epsilon: number, draw?: string): boolean {
    const known = this.#days.get(`${resource}|${day}`);
    if (!known) throw new Error(`the ledger of ${resource} on ${day} was not opened`);
    const name = ledgerCell(cell);
    if (draw !== undefined && known.paid.has(`${name}|${draw}`)) return true;
    const micro = toMicro(epsilon);
    const before = known.spent.get(name) ?? 0;
    if (before + micro > this.#budgetMicro) return false;
    known.spent.set(name, before + micro);
    const key = `${resource}|${day}|${name}`;
    const own = this.#spends.get(key) ?? { resource, day, cell: name, micro: 0, draws: 0, paid: [] };
    own.micro += micro;
    own.draws += 1;
    if (draw !== undefined) {
      known.paid.add(`${name}|${draw}`);
      own.paid.push(draw);
    }
    this.#spends.set(key, own);
    return true;
  }

  /**
   * Noise for one release of a resource's cells on a day (opened first), each draw paid for from this ledger. With
   * the noise key, a draw follows from the resource, `period` (the release's time), the cell, ε and the exact count:
   * the same count made again gets the same noise and is not paid again; a count that changed is a fresh draw, paid.
   * `random` (tests) overrides the key.
   */
  noise(
    resource: string,
    day: string,
    epsilon: number,
    options: { period?: string; random?: RandomInt } = {},
  ): CellNoise {
    const key = this.#noiseKey;
    const { period, random } = options;
    if (random) return { epsilon, take: (cell, e) => this.take(resource, day, cell, e), random };
    if (!key || period === undefined)
      return { epsilon, take: (cell, e) => this.take(resource, day, cell, e) };
    const label = (cell: string, value: number) =>
      `${resource}\u0000${period}\u0000${cell}\u0000${epsilon}\u0000${value}`;
    // The token names the draw without telling the count to anyone without the key.
    const token = (cell: string, value: number) =>
      createHmac('sha256', key)
        .update(`paid\u0000${label(cell, value)}`)
        .digest('hex')
        .slice(0, 32);
    return {
      epsilon,
      take: (cell, e, value) =>
        this.take(resource, day, cell, e, value === undefined ? undefined : token(cell, value)),
      randomFor: (cell, value) => keyedRandom(key, label(cell, value)),
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
      paid: s.paid,
    }));
  }

  /** Keeps this cycle's spending; the runtime calls it before the cycle's batches are published. */
  async commit(): Promise<void> {
    const spends = this.spends();
    if (spends.length > 0) await this.#store.add(spends, this.budgetPerDay);
    this.#spends.clear();
  }
}
