/** Canned responses: ready answers an agent drops into the composer with `/shortcut`. */
import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './people';

export const cannedResponses = sqliteTable('canned_responses', {
  id: text('id').primaryKey(),
  /** null: shared with the whole team (admins manage them); else the one person who sees and uses it. */
  ownerId: text('owner_id').references(() => users.id, { onDelete: 'cascade' }),
  /** Lower case, so `/Oi` and `/oi` are one shortcut. */
  shortcut: text('shortcut').notNull(),
  title: text('title').notNull(),
  /** May hold variables such as {{contact.first_name}}; only known ones are ever stored. */
  text: text('text').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  // One shortcut per scope: once among the shared ones, once among each person's own (NULL owners are
  // distinct in a unique index, hence the partial index for the shared scope). The second also serves
  // listing one person's own, and the shared ones (owner_id IS NULL).
  uniqueIndex('canned_responses_shared_shortcut').on(t.shortcut).where(sql`owner_id IS NULL`),
  uniqueIndex('canned_responses_owner_shortcut').on(t.ownerId, t.shortcut),
]);
