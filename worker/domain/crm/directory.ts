/**
 * The Contacts page's list: every contact not merged away, newest first, or those whose name, username,
 * phone, email or company match what was typed (contacts_directory_fts, accent-insensitive). Pages are
 * keyed by the contact's rowid, the FTS index's own order, so a page costs the same at 100k contacts
 * whether the query matches ten rows or ninety thousand.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { decodeCursor, pageOf } from '../../data/keyset';
import { ftsTerms } from '../../data/fts-query';
import type { ContactView } from './contacts';
import { limitLiteral } from '../../data/inline-limits';

/** A directory row: the contact's own fields, without the per-bot identities the contact page adds. */
export type DirectoryContact = Omit<ContactView, 'identities'>;

export interface DirectoryPage {
  items: DirectoryContact[];
  nextCursor: string | null;
}

const columns = sql.raw('c.id, c.name, c.username, c.phone, c.email, c.company, c.avatar_url AS avatarUrl, c.created_at AS createdAt, c.updated_at AS updatedAt, c.rowid AS rowNumber');

type Row = DirectoryContact & { rowNumber: number };

/** One page of the directory; `q` with no words at all lists everyone. A mangled cursor is a 400. */
export async function searchContacts(db: Db, input: { q?: string; cursor?: string; limit: number }): Promise<DirectoryPage> {
  const below = decodeCursor(input.cursor).at;
  const terms = input.q ? ftsTerms(input.q) : null;
  // The phone is indexed with its digits run together, so "+55 (11)" is searched as its words.
  const query = terms
    ? sql`SELECT ${columns} FROM contacts_directory_fts f JOIN contacts c ON c.rowid = f.rowid
          WHERE contacts_directory_fts MATCH ${terms} AND f.rowid < ${below} AND c.merged_into_id IS NULL
          ORDER BY f.rowid DESC LIMIT ${limitLiteral(input.limit + 1)}`
    : sql`SELECT ${columns} FROM contacts c INDEXED BY contacts_unmerged
          WHERE c.merged_into_id IS NULL AND c.rowid < ${below} ORDER BY c.rowid DESC LIMIT ${limitLiteral(input.limit + 1)}`;
  const rows = (await db.all<Row>(query));
  const { page, next } = pageOf(rows, input.limit, (r) => ({ at: r.rowNumber, id: r.id }));
  return { items: page.map(({ rowNumber: _, ...contact }) => contact), nextCursor: next };
}
