/**
 * Keyset cursors for every newest-first list (inbox groups, archive, timeline, search): a page ends at
 * (time, id), the next page is "strictly before that pair". Stable under inserts: rows that arrive
 * later sort above the cursor and never shift what the next page returns.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { badRequest } from '../shared/errors';

export interface Keyset {
  at: number;
  id: string;
}

/**
 * The first page starts above every real row. Always bounding the walk (rather than omitting the
 * condition) lets SQLite plan every page, the first included, as the same index range search.
 */
export const TOP: Keyset = { at: Number.MAX_SAFE_INTEGER, id: '' };

/** Opaque to clients: base64url of "time.id". */
export function encodeCursor(k: Keyset): string {
  return btoa(`${k.at}.${k.id}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The keyset a client sent back, TOP when absent; a mangled cursor is a 400. */
export function decodeCursor(cursor: string | undefined | null): Keyset {
  if (!cursor) return TOP;
  let text: string;
  try {
    text = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    throw invalidCursor();
  }
  const m = /^(\d{1,16})\.([0-9a-z]{1,64})$/.exec(text);
  if (!m || !Number.isSafeInteger(Number(m[1]))) throw invalidCursor();
  return { at: Number(m[1]), id: m[2] };
}

const invalidCursor = () => badRequest('invalid_cursor', 'The cursor is not one this server handed out');

/** `(atColumn, idColumn) < (k.at, k.id)`: a row-value range SQLite serves from an index ending in both. */
export function before(atColumn: SQLiteColumn, idColumn: SQLiteColumn, k: Keyset): SQL {
  return sql`(${atColumn}, ${idColumn}) < (${k.at}, ${k.id})`;
}

/** Takes one extra row to know whether another page exists; returns the page and its cursor. */
export function pageOf<T>(rows: T[], limit: number, key: (row: T) => Keyset): { page: T[]; next: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, next: rows.length > limit && last ? encodeCursor(key(last)) : null };
}
