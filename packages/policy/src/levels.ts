import type { ReleaseLevel } from '@sangam/core';

/** Release levels from least to most revealing: an aggregate reveals less than an anonymised record. */
export const levelRank: Readonly<Record<ReleaseLevel, number>> = { aggregate: 0, 'anonymised-record': 1 };

/** True when `level` reveals no more than `ceiling`. */
export function atMost(level: ReleaseLevel, ceiling: ReleaseLevel): boolean {
  return levelRank[level] <= levelRank[ceiling];
}
