/**
 * Cold history: messages of chats closed for a long time live in R2 (one gzip object per part), and D1
 * keeps the chat, its events and these pointers. See worker/domain/history/.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { chats } from './chats';
import { users } from './people';

/**
 * One R2 object of a chat's archived messages: the (created_at, id) range it holds, oldest to newest.
 * A row exists only once the messages it names left `messages` (both in one D1 batch), so reads never
 * see a message twice while a move is half done.
 */
export const archivedHistory = sqliteTable('archived_history', {
  objectKey: text('object_key').primaryKey(),
  chatId: text('chat_id').notNull().references(() => chats.id, { onDelete: 'cascade' }),
  firstAt: integer('first_at').notNull(),
  firstId: text('first_id').notNull(),
  lastAt: integer('last_at').notNull(),
  lastId: text('last_id').notNull(),
  messageCount: integer('message_count').notNull(),
  /** Compressed size of the object. */
  bytes: integer('bytes').notNull(),
  archivedAt: integer('archived_at').notNull(),
}, (t) => [index('archived_history_chat').on(t.chatId, t.lastAt, t.lastId)]);

/**
 * The retention an administrator set (one row, id 1); without a row the `ARCHIVE_AFTER_MONTHS` var of
 * wrangler.toml decides. 0 = history never leaves D1.
 */
export const archiveSettings = sqliteTable('archive_settings', {
  id: integer('id').primaryKey(),
  archiveAfterMonths: integer('archive_after_months').notNull(),
  updatedAt: integer('updated_at').notNull(),
  updatedBy: text('updated_by').references(() => users.id),
});

/**
 * Where the hourly move stopped walking closed chats (by last activity, then id), one row (id 1): each
 * run looks at a bounded slice after it and starts over from the oldest once it reached the cutoff, so
 * chats whose history already left D1 are not re-read on every run.
 */
export const archiveProgress = sqliteTable('archive_progress', {
  id: integer('id').primaryKey(),
  afterAt: integer('after_at').notNull(),
  afterId: text('after_id').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
