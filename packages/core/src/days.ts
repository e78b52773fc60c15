import { DxError } from './errors.js';
import { toInstant } from './text.js';

/** Calendar days, inclusive, as `YYYY-MM-DD` in UTC: how usage is metered and reports are asked for. */
export interface DayRange {
  readonly from: string;
  readonly to: string;
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
const dayMs = 86_400_000;

/** Whether a text is a day that exists, `YYYY-MM-DD`. */
export function isDay(text: string): boolean {
  return dayPattern.test(text) && toInstant(`${text}T00:00:00Z`)?.startsWith(text) === true;
}

/** The day `days` after (or before, when negative) a day. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

/**
 * The days asked for (`from`, `to`, inclusive), checked: `to` is today by default and `from` counts `defaultDays`
 * back from it; a range spans at most `maxDays`. Refusals name the parameter (400 `invalidParameter`).
 */
export function dayRange(
  query: { from?: string | undefined; to?: string | undefined },
  now: Date,
  options: { defaultDays?: number; maxDays?: number } = {},
): DayRange {
  const defaultDays = options.defaultDays ?? 30;
  const maxDays = options.maxDays ?? 366;
  const to = query.to ?? now.toISOString().slice(0, 10);
  // The default start counts back from `to`, which must be a day for that (a bad one is reported below).
  const from = query.from ?? (isDay(to) ? addDays(to, -(defaultDays - 1)) : to);
  const errors = [
    ...(isDay(from) || from === to ? [] : [{ field: 'from', message: 'must be a day, YYYY-MM-DD' }]),
    ...(isDay(to) ? [] : [{ field: 'to', message: 'must be a day, YYYY-MM-DD' }]),
  ];
  if (errors.length > 0) throw DxError.validation(errors, 'invalidParameter');
  const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs;
  if (span < 0)
    throw DxError.validation([{ field: 'to', message: 'must not be before from' }], 'invalidParameter');
  if (span >= maxDays) {
    throw DxError.validation(
      [{ field: 'from', message: `the range spans at most ${maxDays} days` }],
      'invalidParameter',
    );
  }
  return { from, to };
}
