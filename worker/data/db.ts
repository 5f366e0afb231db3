import type { BatchItem } from 'drizzle-orm/batch';
import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema';

/** A drizzle handle over D1. Cheap to create; make one per request. */
export function database(d1: D1Database) {
  return drizzle(d1, { schema });
}

export type Db = ReturnType<typeof database>;
export type Write = BatchItem<'sqlite'>;
export { schema };

/** Runs writes as one D1 batch (a single transaction): all land or none do. D1 has no BEGIN. */
export async function runBatch(db: Db, items: Write[]): Promise<void> {
  if (items.length === 0) return;
  await db.batch(items as [Write, ...Write[]]);
}
