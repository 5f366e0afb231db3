/**
 * LIMITs are written into the SQL text, not bound. SQLite (3.47, the engine workerd and D1 run) lets the
 * planner weigh a bound LIMIT's value, so binding one expires the statement's plan: every run of a
 * statement with `LIMIT ?` was parsed and planned again (sqlite3_stmt_status REPREPARE counts one per
 * run). drizzle binds `.limit(n)`; a new client's webhook spent ~2.5% of the Worker's CPU re-preparing
 * its reads. A literal is planned once per distinct value, and the values are integers the code picks or
 * a schema bounds, so nothing a caller typed reaches the SQL text.
 */
import { sql, type SQL } from 'drizzle-orm';

/** `n` as SQL text, for a LIMIT inside a `sql` template. Only a non-negative safe integer is accepted. */
export function limitLiteral(n: number): SQL {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`A LIMIT must be a non-negative integer, not ${n}`);
  return sql.raw(String(n));
}

interface LimitBuilding {
  buildLimit(limit: unknown): SQL | undefined;
}

/**
 * Makes `.limit(n)` of every query built through `db` (select, update, delete) write `n` as a literal. It
 * replaces the dialect's buildLimit (drizzle-orm 0.45; test/unit/data/inline-limits.test.ts checks the
 * rendered SQL, so an upgrade that moves it fails there). Placeholders stay bound.
 */
export function inlineLimits(db: object): void {
  const dialect = (db as { dialect: LimitBuilding }).dialect;
  const bound = dialect.buildLimit.bind(dialect);
  dialect.buildLimit = (limit) => bound(typeof limit === 'number' && Number.isSafeInteger(limit) && limit >= 0 ? limitLiteral(limit) : limit);
}
