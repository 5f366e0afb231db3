/**
 * A row a raw statement returned (`RETURNING *`: column names as stored, values as the driver gives
 * them) in the shape drizzle's `select().from(table)` gives: each column decoded by its own
 * `mapFromDriverValue`, as drizzle maps a row, so coded and JSON columns read the same either way.
 */
import { getTableColumns } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';

const columnsByTable = new WeakMap<SQLiteTable, [string, SQLiteColumn][]>();

export function decodeRow<T extends SQLiteTable>(table: T, stored: Record<string, unknown>): T['$inferSelect'] {
  let columns = columnsByTable.get(table);
  if (!columns) columnsByTable.set(table, (columns = Object.entries(getTableColumns(table) as Record<string, SQLiteColumn>)));
  const row: Record<string, unknown> = {};
  for (const [key, column] of columns) {
    const value = stored[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T['$inferSelect'];
}
