/** A copy of `record` without `fields` (direct identifiers), at any depth of nested objects and arrays. */
export function dropFields<T>(record: T, fields: readonly string[]): T {
  const drop = new Set(fields);
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) if (!drop.has(key)) out[key] = visit(inner);
    return out;
  };
  return visit(record) as T;
}
