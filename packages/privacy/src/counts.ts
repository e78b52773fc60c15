import { defaultK } from './kanon.js';
import { discreteLaplace, type RandomInt } from './noise.js';

/** One aggregate cell before release: what it counts, and the distinct individuals behind the count. */
export interface CountedCell {
  /** The cell's key in the ε ledger: the same key on every release of the same place and category. */
  readonly key: string;
  readonly count: number;
  readonly individuals: number;
}

/** Noise for a release's counts, each draw paid for from the cell's budget of the day. */
export interface CellNoise {
  /** ε of one count. */
  readonly epsilon: number;
  /**
   * Spends ε on one draw for the cell's count `value`; false when the cell's budget for the day is spent. (The value
   * names the draw where the noise is keyed: the same count made again is the same draw.)
   */
  take(key: string, epsilon: number, value?: number): boolean;
  /** Tests fix the randomness; otherwise `randomFor` or `crypto`. */
  readonly random?: RandomInt;
  /** Draws of their own for a cell's count (`keyedRandom`): the same noise each time the same count is made. */
  readonly randomFor?: (key: string, value: number) => RandomInt;
}

export interface ReleasedCount<C> {
  readonly cell: C;
  /** The count released: exact, or the noisy count of individuals. */
  readonly count: number;
  /** What the gateway checks k against at release: never an exact figure when the count is noisy. */
  readonly individuals: number;
  /** ε spent on the count; absent when it is exact. */
  readonly epsilon?: number;
}

export interface CountRelease<C> {
  readonly published: ReleasedCount<C>[];
  /** Cells withheld below k (exact, or noisy when noise is on). */
  readonly suppressed: number;
  /** Cells withheld because their budget for the day was spent. */
  readonly overBudget: number;
}

/**
 * Applies k to aggregate cells. Exact: a cell behind fewer than k distinct individuals is withheld whole. With noise,
 * each individual counts once per cell (so one draw of discrete Laplace noise with parameter ε hides any one of them),
 * the noise is added before the decision, and a cell is released only when its noisy count reaches k: nothing is
 * decided on an exact figure. A cell whose day's budget cannot pay for the draw is withheld and counted apart.
 */
export function releaseCounts<C extends CountedCell>(
  cells: readonly C[],
  k = defaultK,
  noise?: CellNoise,
): CountRelease<C> {
  if (!Number.isInteger(k) || k < 1) throw new RangeError('k is a positive integer');
  const published: ReleasedCount<C>[] = [];
  let suppressed = 0;
  let overBudget = 0;
  for (const cell of cells) {
    if (!noise) {
      if (cell.individuals >= k) published.push({ cell, count: cell.count, individuals: cell.individuals });
      else suppressed += 1;
      continue;
    }
    const noisy = noisyValue(noise, cell.key, cell.individuals);
    if (noisy === undefined) {
      overBudget += 1;
      continue;
    }
    if (noisy >= k) published.push({ cell, count: noisy, individuals: noisy, epsilon: noise.epsilon });
    else suppressed += 1;
  }
  return { published, suppressed, overBudget };
}

/**
 * One count with noise, paid for from the cell's budget (`key`), never below zero; undefined, spending nothing, when
 * the budget for the day cannot pay for it.
 */
export function noisyValue(noise: CellNoise, key: string, value: number): number | undefined {
  if (!noise.take(key, noise.epsilon, value)) return undefined;
  const random = noise.random ?? noise.randomFor?.(key, value);
  return Math.max(0, value + discreteLaplace(noise.epsilon, random));
}
