/**
 * Statements drizzle builds ONCE per handle and isolate, with `sql.placeholder(...)` where values go,
 * then bound with each call's values. Building SQL (walking the query tree, escaping names, merging
 * chunks) was the largest share of a webhook's CPU in tools/bench/profile.mjs, and the webhook's
 * statements never change shape — only their values do.
 *
 * A template's `item` goes into `db.batch` like a builder. That leans on drizzle-orm 0.45's batch
 * contract: an item's `_prepare()` gives a prepared query whose `getQuery().params` are bound to its
 * `stmt`, and whose `mapResult(result, true)` maps the rows. test/unit/data/statement-template.test.ts
 * checks templates' rows against the builder's, in a batch and alone, so an upgrade that changes it fails there.
 */
import { fillPlaceholders, type SQL } from 'drizzle-orm';
import type { Db, Write } from './db';

interface PreparedLike {
  getQuery(): { sql: string; params: unknown[] };
  stmt?: D1PreparedStatement;
  all(values?: Record<string, unknown>): Promise<unknown>;
}

export interface Buildable {
  prepare(): PreparedLike;
}

export interface StatementTemplate<V extends Record<string, unknown>, Row> {
  /** For `db.batch`: the statement with `values` bound; its result is `Row[]` (a run's result for writes). */
  item(db: Db, values: V): Write;
  /** Runs it alone. */
  all(db: Db, values: V): Promise<Row[]>;
}

/** A select/update/insert builder made once per handle. `Row` is what one result row looks like. */
export function statementTemplate<V extends Record<string, unknown>, Row = unknown>(build: (db: Db) => Buildable): StatementTemplate<V, Row> {
  const prepared = new WeakMap<Db, PreparedLike>();
  const of = (db: Db) => {
    let p = prepared.get(db);
    if (!p) prepared.set(db, (p = build(db).prepare()));
    return p;
  };
  return {
    item: (db, values) => boundItem(of(db), values),
    all: async (db, values) => (await of(db).all(values)) as Row[],
  };
}

/**
 * A raw SQL statement (`sql\`…\``, e.g. INSERT … SELECT … WHERE EXISTS) made once per handle. Its batch
 * result is D1's run result.
 */
export function rawTemplate<V extends Record<string, unknown>>(build: () => SQL): Pick<StatementTemplate<V, never>, 'item'> {
  const prepared = new WeakMap<Db, PreparedLike>();
  return {
    item(db, values) {
      let p = prepared.get(db);
      if (!p) {
        const raw = db.run(build()) as unknown as PreparedLike;
        // drizzle's D1 batch binds a raw statement's values on its `stmt`, which `db.run` never prepares.
        Object.assign(raw, { stmt: db.$client.prepare(raw.getQuery().sql) });
        prepared.set(db, (p = raw));
      }
      return boundItem(p, values);
    },
  };
}

function boundItem(p: PreparedLike, values: Record<string, unknown>): Write {
  const { sql, params } = p.getQuery();
  const query = { sql, params: fillPlaceholders(params, values) };
  // The prepared query with this call's values: everything else (stmt, row mapping) is shared.
  const bound = Object.create(p, { getQuery: { value: () => query } }) as PreparedLike;
  return { _prepare: () => bound } as unknown as Write;
}

