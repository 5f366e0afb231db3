/** Chats, the inbox counts kept by triggers, observers and tags. */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './people';
import { integrations } from './bots';
import { contacts } from './contacts';

export const chatStatuses = ['open', 'closed'] as const;

export const chats = sqliteTable('chats', {
  id: text('id').primaryKey(),
  integrationId: text('integration_id').notNull().references(() => integrations.id),
  /** Denormalised from the integration so the archive's channel filter is one index. */
  channel: text('channel').notNull(),
  contactId: text('contact_id').notNull().references(() => contacts.id),
  externalChatId: text('external_chat_id').notNull(),
  status: text('status', { enum: chatStatuses }).notNull(),
  responsibleId: text('responsible_id').references(() => users.id),
  /** Who had it before it was closed/unassigned: a reopened chat goes back to them. */
  lastResponsibleId: text('last_responsible_id').references(() => users.id),
  startedAt: integer('started_at').notNull(),
  lastMessageAt: integer('last_message_at').notNull(),
  lastMessagePreview: text('last_message_preview').notNull().default(''),
  /** Last client message time: unread = this > the user's read marker. */
  lastInboundAt: integer('last_inbound_at'),
  closedAt: integer('closed_at'),
  /** Opened by a start / conversation_started with no real text yet: the first text gets the auto-reply. */
  awaitingFirstText: integer('awaiting_first_text', { mode: 'boolean' }).notNull().default(false),
  /** The client message (id) that already moved this chat for want of a reply: once per message. */
  noReplyReassignedFor: text('no_reply_reassigned_for'),
  /**
   * Whether anyone ever opened this chat's live room. Until then its changes reach no Durable Object: no
   * one can be listening, and a view that opens later starts from the REST timeline anyway. Most chats
   * are answered by the bot and seen only in lists, so this spares each one an object (and its storage)
   * made just to keep frames nobody reads. Existing chats count as opened (migration 0039).
   */
  roomOpened: integer('room_opened', { mode: 'boolean' }).notNull().default(true),
}, (t) => [
  // One conversation per client per bot: it is reopened, never duplicated.
  uniqueIndex('chats_external').on(t.integrationId, t.externalChatId),
  // The list indexes end in id, though it is half of each entry: a tag or observer filter (`id IN …`)
  // then rejects a chat from the index alone. Without it every chat walked past costs a read of its row
  // (tried for issue 19: a filtered archive walk went from 23 to 89 ms on the bench's 100k chats).
  index('chats_group').on(t.status, t.responsibleId, t.lastMessageAt, t.id),
  index('chats_status_activity').on(t.status, t.lastMessageAt, t.id),
  index('chats_activity').on(t.lastMessageAt, t.id),
  index('chats_integration_activity').on(t.integrationId, t.lastMessageAt, t.id),
  index('chats_channel_activity').on(t.channel, t.lastMessageAt, t.id),
  index('chats_responsible_activity').on(t.responsibleId, t.lastMessageAt, t.id),
  index('chats_started').on(t.startedAt, t.id),
  index('chats_contact').on(t.contactId),
]);

/**
 * How many chats are in each (status, responsible) pair, as seen by `viewer`: '' for staff (every chat),
 * an observer's user id for the chats they observe. The inbox's four counts come from a few of these
 * rows instead of counting 80k closed chats on every page. Kept by triggers on `chats` and
 * `chat_observers` (migration 0006) in the same transaction as the change, so it cannot drift.
 * `responsible_key` is '' for unassigned (a primary key cannot hold NULL).
 */
export const chatCounts = sqliteTable('chat_counts', {
  viewer: text('viewer').notNull(),
  status: text('status', { enum: chatStatuses }).notNull(),
  responsibleKey: text('responsible_key').notNull(),
  n: integer('n').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.viewer, t.status, t.responsibleKey] })]);

export const chatObservers = sqliteTable('chat_observers', {
  chatId: text('chat_id').notNull().references(() => chats.id, { onDelete: 'cascade' }),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.chatId, t.userId] }), index('chat_observers_user').on(t.userId, t.chatId)]);

export const tags = sqliteTable('tags', {
  id: text('id').primaryKey(),
  /** Display form as first typed. */
  name: text('name').notNull(),
  /** Lower-cased, trimmed: "VIP" and "vip " are one tag. */
  key: text('key').notNull(),
}, (t) => [uniqueIndex('tags_key').on(t.key)]);

export const chatTags = sqliteTable('chat_tags', {
  chatId: text('chat_id').notNull().references(() => chats.id, { onDelete: 'cascade' }),
  tagId: text('tag_id').notNull().references(() => tags.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.chatId, t.tagId] }), index('chat_tags_tag').on(t.tagId, t.chatId)]);
