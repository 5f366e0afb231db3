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
import { Column, fillPlaceholders, getTableColumns, getTableName, is, SQL, sql, Subquery } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
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
    if (!p) prepared.set(db, (p = withRowDecoders(build(db).prepare())));
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
        // A raw statement builds its SQL on every getQuery() (a prepared one keeps it): built once here.
        const query = raw.getQuery();
        // drizzle's D1 batch binds a raw statement's values on its `stmt`, which `db.run` never prepares.
        Object.assign(raw, { stmt: db.$client.prepare(query.sql), getQuery: () => query });
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
  const bound = Object.create(p) as PreparedLike;
  bound.getQuery = () => query;
  return { _prepare: () => bound } as unknown as Write;
}

interface MappedQuery {
  fields?: { path: string[]; field: unknown }[];
  customResultMapper?: unknown;
  mapAllResult(rows: unknown, isFromBatch?: boolean): unknown;
}
interface Decoder { mapFromDriverValue(value: unknown): unknown }

/**
 * drizzle maps every row by asking, for each column, what kind of field it is (a chain of `is()` checks),
 * which was the largest share of a known client's row mapping in tools/bench/profile.mjs. A template's
 * fields never change, so their decoders are found once. Only flat selections (no nested objects, whose
 * left-joined nulls drizzle folds) take this path; the rows come out as drizzle's own mapping gives them.
 */
function withRowDecoders<P extends PreparedLike>(prepared: P): P {
  const q = prepared as unknown as MappedQuery;
  if (!q.fields || q.customResultMapper || q.fields.some((f) => f.path.length !== 1)) return prepared;
  const keys = q.fields.map((f) => f.path[0]);
  const decoders = q.fields.map((f) => decoderOf(f.field));
  const mapRow = (values: unknown[]) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) row[keys[i]] = values[i] === null ? null : decoders[i].mapFromDriverValue(values[i]);
    return row;
  };
  // A batch hands D1's result objects (columns in select order, as drizzle's d1ToRawMapping reads them).
  const valuesOf = (rows: unknown, isFromBatch?: boolean) =>
    isFromBatch ? ((rows as { results: Record<string, unknown>[] }).results).map((r) => Object.values(r)) : (rows as unknown[][]);
  q.mapAllResult = (rows, isFromBatch) => valuesOf(rows, isFromBatch).map(mapRow);
  return prepared;
}

/** The field's decoder, found as drizzle's mapResultRow finds it (`decoder` is internal to drizzle's types). */
function decoderOf(field: unknown): Decoder {
  const decoderIn = (s: unknown) => (s as { decoder: Decoder }).decoder;
  if (is(field, Column)) return field;
  if (is(field, SQL)) return decoderIn(field);
  if (is(field, Subquery)) return decoderIn(field._.sql);
  return decoderIn((field as SQL.Aliased).sql);
}

type InsertOptions = { onConflictDoNothing?: boolean };
const insertTemplates = new WeakMap<Db, Map<string, PreparedLike>>();

/**
 * `db.insert(table).values(row)` for a batch, built once per handle, table and shape of row (which
 * columns it gives, which of them are null), then bound with the row's values: the inserts of a new
 * client's chat are a fixed few shapes. A null is built in rather than bound, because drizzle encodes a
 * bound value through its column (a JSON column would store the text "null"). A table whose left-out
 * column has a `$defaultFn` or `$onUpdateFn` is built afresh each time: a template would keep the first
 * call's generated value. So is a row with an SQL expression for a value (it is SQL, not a value to bind).
 */
export function insertRow<T extends SQLiteTable>(db: Db, table: T, row: T['$inferInsert'], options: InsertOptions = {}): Write {
  const given = Object.entries(row as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const build = (values: Record<string, unknown>) => {
    const insert = db.insert(table).values(values as T['$inferInsert']);
    return options.onConflictDoNothing ? insert.onConflictDoNothing() : insert;
  };
  if (generatedColumns(table).some((key) => (row as Record<string, unknown>)[key] === undefined) || given.some(([, v]) => is(v, SQL))) {
    return build(row as Record<string, unknown>) as unknown as Write;
  }

  let shape = `${getTableName(table)}:${options.onConflictDoNothing ? 'ignore' : ''}:`;
  const values: Record<string, unknown> = {};
  for (const [k, v] of given) {
    shape += v === null ? `${k}=null,` : `${k},`;
    if (v !== null) values[k] = v;
  }
  let templates = insertTemplates.get(db);
  if (!templates) insertTemplates.set(db, (templates = new Map()));
  let prepared = templates.get(shape);
  if (!prepared) {
    const slots = Object.fromEntries(given.map(([k, v]) => [k, v === null ? null : sql.placeholder(k)]));
    templates.set(shape, (prepared = (build(slots) as unknown as Buildable).prepare()));
  }
  return boundItem(prepared, values);
}

const generatedByTable = new WeakMap<SQLiteTable, string[]>();

/** The table's columns whose value drizzle generates when a row leaves them out ($defaultFn, $onUpdateFn). */
function generatedColumns(table: SQLiteTable): string[] {
  let keys = generatedByTable.get(table);
  if (!keys) {
    const columns = getTableColumns(table) as Record<string, { defaultFn?: unknown; onUpdateFn?: unknown }>;
    generatedByTable.set(table, (keys = Object.entries(columns).filter(([, col]) => col.defaultFn || col.onUpdateFn).map(([key]) => key)));
  }
  return keys;
}
