/** True when `text` has a C0 control character or DEL (names, ids and other one-line fields must not). */
export function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * The JSON Pointer of the first string (or member name) in `value` that holds U+0000, which PostgreSQL cannot
 * store in text; undefined when there is none.
 */
export function findNulCharacter(value: unknown, pointer = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? pointer || '/' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = findNulCharacter(value[i], `${pointer}/${i}`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) {
      const path = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (key.includes('\u0000')) return path;
      const found = findNulCharacter(member, path);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * An instant as canonical UTC text (`2026-11-27T10:00:00.000Z`), or undefined when it does not name one. Schema
 * formats accept some text (a leap second, `…T23:59:60Z`) that Date cannot represent: check with this too.
 */
/**
 * An ISO 8601 instant written with its zone (`Z` or an offset), as canonical UTC text; undefined for anything else,
 * a local time without a zone among them (JavaScript would read it in the machine's zone).
 */
export function zonedInstant(value: string): string | undefined {
  const text = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.test(text))
    return undefined;
  return toInstant(text);
}

export function toInstant(value: string): string | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * One CSV cell (RFC 4180): quoted when needed; objects as JSON; text that a spreadsheet would run as a formula
 * (starting with =, +, -, @, tab or carriage return) is prefixed with a quote so it stays text (CSV injection).
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
