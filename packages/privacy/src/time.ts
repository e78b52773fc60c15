/** The default time bucket: 15 minutes. */
export const defaultBucketMinutes = 15;

/** The start of the `minutes`-long bucket (aligned to the epoch, so to the hour for divisors of 60) holding `at`. */
export function timeBucket(at: Date, minutes = defaultBucketMinutes): Date {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) throw new RangeError('1 to 1440 minutes');
  const size = minutes * 60_000;
  return new Date(Math.floor(at.getTime() / size) * size);
}
