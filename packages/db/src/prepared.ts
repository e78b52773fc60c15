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
