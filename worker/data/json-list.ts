/**
 * D1 binds at most 100 parameters per statement, so a list never becomes one `?` per item: it travels
 * as ONE JSON text parameter that SQLite unpacks with json_each (`key` is the index, `value` the item).
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/** `json_each(?)` over `items`: a table source for FROM / IN (SELECT value FROM …). */
export const jsonEach = (items: readonly unknown[]): SQL => sql`json_each(${JSON.stringify(items)})`;

/** `column IN (the items)` with one bound parameter however many items there are. */
export const inJsonList = (column: SQLWrapper, items: readonly (string | number)[]): SQL =>
  sql`${column} IN (SELECT list.value FROM ${jsonEach(items)} AS list)`;
