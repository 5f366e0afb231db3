import type { SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { drizzle } from 'drizzle-orm/d1';
import { inlineLimits } from './inline-limits';
import * as schema from './schema';

const open = (d1: D1Database) => {
  const db = drizzle(d1, { schema });
  inlineLimits(db);
  return db;
};
export type Db = ReturnType<typeof open>;

// Not cheap to create: drizzle walks the whole schema's relations each time (a CPU profile of the
// webhook had it at ~7% of the Worker's time). The handle holds no per-request state, so one per binding.
const handles = new WeakMap<D1Database, Db>();

/** The drizzle handle over a D1 binding, made once per binding and isolate. */
export function database(d1: D1Database): Db {
  let db = handles.get(d1);
  if (!db) handles.set(d1, (db = open(d1)));
  return db;
}
export type Write = BatchItem<'sqlite'>;
export { schema };

/** Runs writes as one D1 batch (a single transaction): all land or none do. D1 has no BEGIN. */
export async function runBatch(db: Db, items: Write[]): Promise<void> {
  if (items.length === 0) return;
  await db.batch(items as [Write, ...Write[]]);
}

/** Runs statements as one D1 batch (one transaction) and gives back their results, in order. */
export type BatchRunner = (statements: Write[]) => Promise<unknown[]>;

/** The plain BatchRunner: the statements as a batch of their own. */
export function batchAlone(db: Db): BatchRunner {
  return (statements) => db.batch(statements as [Write, ...Write[]]) as Promise<unknown[]>;
}

/**
 * `db.run(sql)` for a D1 batch: drizzle's d1 batch binds a raw statement's parameters on its `stmt`,
 * which `db.run` never prepares (drizzle-orm 0.45), so a raw statement with parameters fails in a batch.
 * (domain/ingest/known-chat.ts has the same few lines of its own, from before this one.)
 */
export function batchableRun(db: Db, query: SQL): Write {
  const raw = db.run(query);
  Object.assign(raw, { stmt: db.$client.prepare(raw.getQuery().sql) });
  return raw as unknown as Write;
}
