import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema';

/** A drizzle handle over D1. Cheap to create; make one per request. */
export function database(d1: D1Database) {
  return drizzle(d1, { schema });
}

export type Db = ReturnType<typeof database>;
export { schema };
