/** Whether `name` is a time zone this runtime knows (IANA names such as `Asia/Kolkata`, or `UTC`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Offsets change only at whole quarter hours of UTC (every zone's transitions fall on them): one lookup per slot. */
const slotMs = 900_000;

/**
 * The offset from UTC, in milliseconds, of a time zone at an instant (positive east of Greenwich), daylight saving
 * included. Remembered per quarter hour, since an adapter asks it once per record.
 */
export function utcOffset(timeZone: string): (ms: number) => number {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return () => 0;
  if (!isTimeZone(timeZone)) throw new RangeError(`${timeZone} is not a time zone`);
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const slots = new Map<number, number>();
  return (ms) => {
    const slot = Math.floor(ms / slotMs);
    let offset = slots.get(slot);
    if (offset === undefined) {
      const at = slot * slotMs;
      const part = Object.fromEntries(
        format.formatToParts(new Date(at)).map((p) => [p.type, Number(p.value)]),
      );
      const local = Date.UTC(
        part.year as number,
        (part.month as number) - 1,
        part.day as number,
        part.hour as number,
        part.minute as number,
        part.second as number,
      );
      offset = local - at;
      if (slots.size > 10_000) slots.clear();
      slots.set(slot, offset);
    }
    return offset;
  };
}
