/** The default k: no released cell counts fewer individuals (as MDS reports use). */
export const defaultK = 10;

export interface Cell {
  readonly count: number;
}

/**
 * k-anonymity suppression of aggregate cells: a cell that counts fewer than `k` is withheld whole (never published
 * with a small number, never rounded up) and counted as suppressed.
 */
export function suppressBelowK<C extends Cell>(
  cells: readonly C[],
  k = defaultK,
): { published: C[]; suppressed: number } {
  if (!Number.isInteger(k) || k < 1) throw new RangeError('k is a positive integer');
  const published = cells.filter((c) => c.count >= k);
  return { published, suppressed: cells.length - published.length };
}
