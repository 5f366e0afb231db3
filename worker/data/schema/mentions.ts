/** Mentions: a team comment calling colleagues in, one row per mentioned person, read or not. */
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './people';
import { chats } from './chats';
import { comments } from './messages';

export const mentions = sqliteTable('mentions', {
  id: text('id').primaryKey(),
  commentId: text('comment_id').notNull().references(() => comments.id, { onDelete: 'cascade' }),
  chatId: text('chat_id').notNull().references(() => chats.id, { onDelete: 'cascade' }),
  /** The person called in. */
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  authorId: text('author_id').notNull().references(() => users.id),
  createdAt: integer('created_at').notNull(),
  /** Set when the mentioned person reads the chat (or marks the mention read); null = unread. */
  readAt: integer('read_at'),
}, (t) => [
  uniqueIndex('mentions_comment_user').on(t.commentId, t.userId),
  // A person's list, newest first (keyset on created_at, id).
  index('mentions_user_time').on(t.userId, t.createdAt, t.id),
  // The badge count and "reading the chat clears it" touch only unread rows.
  index('mentions_user_unread').on(t.userId, t.chatId).where(sql`read_at IS NULL`),
  // Deleting a chat deletes its mentions (the foreign key's cascade): without this, a scan of them all.
  index('mentions_chat').on(t.chatId),
]);
