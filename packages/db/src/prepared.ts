import { type Compilable, CompiledQuery, type Kysely } from 'kysely';

interface Plan {
  readonly sql: string;
  /** Each parameter of the compiled query: the name of a value given at run time, or a constant of the query. */
  readonly slots: readonly ({ readonly name: string } | { readonly value: unknown })[];
}

/**
 * A query built and compiled once per dialect, then run with new values: kysely builds and compiles a
 * query on every call, which on the release path's hot reads costs as much as running it. `build` gets a
 * placeholder for each named value and must use each as a plain parameter; a query whose shape changes with its
 * values (an `in` list of varying length, a condition only for some) is a separate prepared query per shape.
 */
export function prepared<DB, N extends string, R>(
  names: readonly N[],
  build: (db: Kysely<DB>, values: Readonly<Record<N, string>>) => Compilable<R>,
): (db: Kysely<DB>, values: Readonly<Record<N, unknown>>) => Promise<R[]> {
  // By dialect, not by handle: a transaction is a handle of its own, and compiles as its database does. (kysely's
  // executor is marked internal, but a transaction's shares its database's adapter, which is what SQL depends on.)
  const plans = new WeakMap<object, Plan>();
  const plan = (db: Kysely<DB>): Plan => {
    const dialect = db.getExecutor().adapter;
    const known = plans.get(dialect);
    if (known) return known;
    // Placeholders no caller's value could equal: found again among the compiled parameters by identity of text.
    const marks = Object.fromEntries(names.map((n, i) => [n, `\u0000prepared:${i}:${n}`])) as Record<
      N,
      string
    >;
    const compiled = build(db, marks).compile();
    const byMark = new Map(names.map((n) => [marks[n] as unknown, n]));
    const slots = compiled.parameters.map((p) => {
      const name = byMark.get(p);
      return name === undefined ? { value: p } : { name };
    });
    for (const n of names) {
      if (!slots.some((s) => 'name' in s && s.name === n))
        throw new Error(`prepared query: ${n} is not used`);
    }
    const made = { sql: compiled.sql, slots };
    plans.set(dialect, made);
    return made;
  };
  return async (db, values) => {
    const { sql, slots } = plan(db);
    const parameters = slots.map((s) => ('name' in s ? values[s.name as N] : s.value));
    return (await db.executeQuery(CompiledQuery.raw(sql, parameters))).rows as R[];
  };
}

/**
 * A many-row insert into one table, compiled once per dialect and number of rows per statement, then re-run with
 * new values: kysely parses and compiles every row of an insert on each call, which for the audit log's batches of
 * thousands of rows costs more than SQLite's own work. Rows go in statements of `rowsPerStatement`, the rest in
 * statements of falling powers of two, so a table has at most a handful of statement texts.
 */
export function preparedInsert<DB, T extends keyof DB & string>(
  table: T,
  columns: readonly (keyof DB[T] & string)[],
  rowsPerStatement = 128,
): (db: Kysely<DB>, rows: readonly { readonly [C in keyof DB[T]]?: unknown }[]) => Promise<void> {
  const texts = new WeakMap<object, Map<number, string>>();
  const textFor = (db: Kysely<DB>, count: number): string => {
    const dialect = db.getExecutor().adapter;
    let byCount = texts.get(dialect);
    if (!byCount) {
      byCount = new Map();
      texts.set(dialect, byCount);
    }
    let text = byCount.get(count);
    if (text === undefined) {
      // Every column of every row a parameter, in the order given: kysely lists a row's values in its columns' order.
      const row = Object.fromEntries(columns.map((c) => [c, 0]));
      const compiled = (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
        .insertInto(table)
        .values(Array.from({ length: count }, () => row))
        .compile();
      if (compiled.parameters.length !== count * columns.length)
        throw new Error(`prepared insert into ${table}: unexpected parameters`);
      text = compiled.sql;
      byCount.set(count, text);
    }
    return text;
  };
  return async (db, rows) => {
    for (let at = 0; at < rows.length; ) {
      const left = rows.length - at;
      const count = left >= rowsPerStatement ? rowsPerStatement : 2 ** Math.floor(Math.log2(left));
      const parameters: unknown[] = new Array(count * columns.length);
      let p = 0;
      for (let r = at; r < at + count; r += 1) {
        const row = rows[r] as Record<string, unknown>;
        for (const column of columns) parameters[p++] = row[column] ?? null;
      }
      await db.executeQuery(CompiledQuery.raw(textFor(db, count), parameters));
      at += count;
    }
  };
}
