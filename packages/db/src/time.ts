/** Times are stored as ISO 8601 UTC text with milliseconds, which sorts the same as the instants it names. */
export function toDbTime(date: Date): string {
  return date.toISOString();
}

export function fromDbTime(value: string): Date {
  return new Date(value);
}
