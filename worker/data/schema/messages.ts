/** Messages, the timeline's events, comments, per-user chat state and webhook bookkeeping. */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './people';
import { chats } from './chats';
import { attachmentsColumn, directionColumn, messageCode, originColumn, statusColumn } from './message-codes';

export * from './message-codes';

/**
 * A change to an already sent reply that the outbox still has to make on the messenger: `edit` pushes the
 * row's current text (`previousText` is what the client sees until it succeeds), `delete` removes it.
 */
export type PendingMessageOp = { kind: 'edit'; previousText: string; previousEditedAt: number | null } | { kind: 'delete' };

/**
 * The direction's code written as a literal: SQLite uses a partial index only when the query's WHERE
 * repeats the index's condition itself, and a bound parameter (drizzle's eq()) does not count; worse, a
 * statement binding one there is planned again on every run (test/unit/data/inline-limits.test.ts).
 */
export const isIncoming = sql`${sql.identifier('direction')} = ${messageCode('direction', 'in')}`;
export const isOutgoing = sql`${sql.identifier('direction')} = ${messageCode('direction', 'out')}`;

export const messages = sqliteTable('messages', {
  id: text('id').primaryKey(),
  chatId: text('chat_id').notNull().references(() => chats.id, { onDelete: 'cascade' }),
  direction: directionColumn().notNull(),
  origin: originColumn().notNull(),
  authorId: text('author_id').references(() => users.id),
  text: text('text').notNull().default(''),
  /** JSON array of attachments: {kind, key?, url?, fileName, mimeType, size, location?, contact?}. */
  // The default stays '[]' (changing it would rebuild the table); writers give [] explicitly, stored as ''.
  attachments: attachmentsColumn().notNull().default(sql`'[]'`),
  /** The messenger's id of this message (always a string: Viber tokens exceed 2^53). */
  externalId: text('external_id'),
  status: statusColumn().notNull(),
  error: text('error'),
  attempts: integer('attempts').notNull().default(0),
  /** How many pieces of a split outgoing message already reached the messenger: a retry resumes after them. */
  sentParts: integer('sent_parts').notNull().default(0),
  /** When the outbox may try again; null when nothing is pending. */
  nextAttemptAt: integer('next_attempt_at'),
  createdAt: integer('created_at').notNull(),
  editedAt: integer('edited_at'),
  /** An edit or delete of this sent reply still to be made on the messenger (see PendingMessageOp). */
  pendingOp: text('pending_op', { mode: 'json' }).$type<PendingMessageOp>(),
  /** When a manager deleted this reply (the timeline keeps it, marked deleted). */
  deletedAt: integer('deleted_at'),
}, (t) => [
  // Without id (migration 0038): 21 of its ~60 bytes per message. Every timeline read takes the chat's
  // range newest first and sorts only rows of the same millisecond by id ("RIGHT PART OF ORDER BY").
  index('messages_timeline').on(t.chatId, t.createdAt),
  // Each of these keeps only the rows its queries look for (a partial index), which is most of their
  // size at a million messages. A client message is stored once even if the messenger re-sends it under
  // a new update id; the outbox wants what is pending. A receipt finds our reply by the messenger's id
  // through its chat's timeline (IngestReader.outgoingMessage): an index of every reply's id for that
  // (messages_receipts, dropped in migration 0041) was ~19 bytes a message for Viber's receipts alone.
  uniqueIndex('messages_external').on(t.chatId, t.externalId).where(isIncoming),
  index('messages_pending').on(t.nextAttemptAt).where(sql`${sql.identifier('next_attempt_at')} IS NOT NULL`),
]);

export const eventTypes = [
  'opened', 'assigned', 'unassigned', 'closed', 'reopened', 'observers_changed', 'tags_changed',
  'opportunity_created', 'linked', 'unlinked', 'greeting_sent', 'auto_reply_sent', 'client_unsubscribed',
  'client_resubscribed', 'message_edited', 'commented', 'muted', 'unmuted', 'reassigned', 'contact_merged',
  'out_of_office_sent',
  'message_deleted', 'csat_asked', 'csat_rated', 'csat_commented', 'csat_cancelled',
] as const;
export type EventType = (typeof eventTypes)[number];

/**
 * WITHOUT ROWID, keyed (chat_id, created_at, id) (migration 0042): every read takes one chat's events in
 * time order (its timeline, its newest event's stamp, the live frames by chat and id), so the row lives in
 * that key's B-tree instead of a rowid table plus an index on the same columns and another on id (issue
 * 19). Ids stay unique as newId makes them; nothing looks an event up by its id alone.
 */
export const chatEvents = sqliteTable('chat_events', {
  id: text('id').notNull(),
  chatId: text('chat_id').notNull().references(() => chats.id, { onDelete: 'cascade' }),
  type: text('type', { enum: eventTypes }).notNull(),
  actorId: text('actor_id').references(() => users.id),
  data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
  createdAt: integer('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.chatId, t.createdAt, t.id] })]);

export const comments = sqliteTable('comments', {
  id: text('id').primaryKey(),
  chatId: text('chat_id').notNull().references(() => chats.id, { onDelete: 'cascade' }),
  authorId: text('author_id').notNull().references(() => users.id),
  text: text('text').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [index('comments_chat').on(t.chatId, t.createdAt)]);

/**
 * Per user and chat: notification mute and the read marker. Keyed chat first: the live frames read a
 * chat's readers on every webhook, and the inbox lists look rows up by both columns. WITHOUT ROWID
 * (migration 0036): the row lives in its key's B-tree.
 */
export const chatUserState = sqliteTable('chat_user_state', {
  chatId: text('chat_id').notNull().references(() => chats.id, { onDelete: 'cascade' }),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  muted: integer('muted', { mode: 'boolean' }).notNull().default(false),
  lastReadAt: integer('last_read_at').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.chatId, t.userId] })]);

/** Webhook dedup: the first insert wins, a redelivery hits the primary key and changes nothing. */
export const processedUpdates = sqliteTable('processed_updates', {
  integrationId: text('integration_id').notNull(),
  dedupKey: text('dedup_key').notNull(),
  receivedAt: integer('received_at').notNull(),
}, (t) => [primaryKey({ columns: [t.integrationId, t.dedupKey] }), index('processed_updates_age').on(t.receivedAt)]);

/**
 * Authenticated webhook updates Ponte could not use (a field of an unexpected shape): acknowledged so the
 * messenger does not retry them forever, and kept for an operator. Bounded: the body is cut at 16 KiB
 * (`raw_size` says how long it was), and each insert purges the integration's rows beyond the newest
 * 200 and those older than 30 days (worker/domain/ingest/unprocessable.ts).
 */
export const unprocessableUpdates = sqliteTable('unprocessable_updates', {
  id: text('id').primaryKey(),
  integrationId: text('integration_id').notNull(),
  channel: text('channel').notNull(),
  reason: text('reason').notNull(),
  rawBody: text('raw_body').notNull(),
  rawSize: integer('raw_size').notNull(),
  receivedAt: integer('received_at').notNull(),
}, (t) => [index('unprocessable_updates_integration').on(t.integrationId, t.receivedAt)]);
