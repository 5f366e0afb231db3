/** A D1 binding that remembers every statement it prepares, with its parameters (for query-plan tests). */
export interface Recorded { sql: string; params: unknown[] }

export function recordingD1(real: D1Database, log: Recorded[]): D1Database {
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'prepare') {
        return (query: string) => {
          const entry: Recorded = { sql: query, params: [] };
          log.push(entry);
          const stmt = target.prepare(query);
          return new Proxy(stmt, {
            get(s, p) {
              if (p === 'bind') return (...params: unknown[]) => { entry.params = params; return s.bind(...params); };
              const v = Reflect.get(s, p, s);
              return typeof v === 'function' ? v.bind(s) : v;
            },
          });
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
