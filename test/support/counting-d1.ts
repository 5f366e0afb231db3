/** A D1 binding that counts round trips (each batch, and each statement run on its own) and the statements they carried, and keeps the last batch's rows. */
export function countingD1(real: D1Database) {
  let trips = 0;
  let statements = 0;
  let lastBatch: D1Result[] = [];
  const realOf = new WeakMap<object, D1PreparedStatement>();
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        if (prop === 'bind') return (...args: unknown[]) => wrap(target.bind(...args));
        if (prop === 'all' || prop === 'run' || prop === 'first' || prop === 'raw') {
          return (...args: unknown[]) => { trips++; statements++; return (target[prop] as (...a: unknown[]) => unknown).apply(target, args); };
        }
        const value = (target as unknown as Record<PropertyKey, unknown>)[prop];
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    realOf.set(proxy, stmt);
    return proxy;
  };
  const d1 = {
    prepare: (query: string) => wrap(real.prepare(query)),
    batch: async (batch: D1PreparedStatement[]) => {
      trips++;
      statements += batch.length;
      return (lastBatch = await real.batch(batch.map((s) => realOf.get(s) ?? s)));
    },
    exec: (query: string) => { trips++; statements++; return real.exec(query); },
  } as unknown as D1Database;
  /** The rows the last batch returned, as D1 gave them (column names as stored). */
  const lastBatchRows = () => lastBatch.flatMap((r) => (r.results ?? []) as Record<string, unknown>[]);
  return { d1, trips: () => trips, statements: () => statements, lastBatchRows, reset: () => { trips = 0; statements = 0; } };
}
