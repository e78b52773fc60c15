import { toInstant } from '@sangam/core';

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** An RFC 3339 date-time as canonical UTC text (which sorts as the instants it names), or undefined. */
export function instantOf(value: unknown): string | undefined {
  return typeof value === 'string' && rfc3339.test(value) ? toInstant(value) : undefined;
}

/** The instant `days` before `now`: the oldest observation time a resource keeps. */
export function retentionCutoff(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString();
}

/**
 * The oldest observation time a query reaches: the retention cutoff, to the whole minute before it. A record a
 * minute past its retention may still be served (the sweep deletes it later anyway), and every query of the same
 * minute reads the same bounds, so its rendered answer can be served again.
 */
export function retentionFloor(now: Date, days: number): string {
  return retentionCutoff(new Date(Math.floor(now.getTime() / 60_000) * 60_000), days);
}
