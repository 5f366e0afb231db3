import type { BatchItem } from 'drizzle-orm/batch';
import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema';

const open = (d1: D1Database) => drizzle(d1, { schema });
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
