/**
 * Ponte's whole relational model. Times are integer milliseconds since the epoch (sortable, compact);
 * the HTTP layer turns them into ISO strings. Ids are time-ordered strings from `newId()`.
 *
 * Sized for 100k chats / 1M messages: every inbox list is a keyset scan of one index ending in
 * (last_message_at, id), and the timeline is a keyset scan of (chat_id, created_at, id).
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const roles = ['admin', 'employee', 'observer'] as const;
export type Role = (typeof roles)[number];

/** A person's own say on whether they take new chats now (one per person, every bot). */
export const userStatuses = ['available', 'away'] as const;
export type UserStatus = (typeof userStatuses)[number];

/** Which queue members a bot hands chats to: everyone, those available, or those available with the app open. */
export const assignmentRules = ['everyone', 'available', 'available_online'] as const;
export type AssignmentRule = (typeof assignmentRules)[number];

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull(),
  name: text('name').notNull(),
  role: text('role', { enum: roles }).notNull(),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  passwordHash: text('password_hash').notNull(),
  passwordSalt: text('password_salt').notNull(),
  /** Bumped on role change / deactivation so open sockets and sessions notice. */
  version: integer('version').notNull().default(1),
  /** Set by the person (or an admin); the queues skip `away` unless the bot assigns to everyone. */
  status: text('status', { enum: userStatuses }).notNull().default('available'),
  createdAt: integer('created_at').notNull(),
}, (t) => [uniqueIndex('users_email_unique').on(t.email)]);

export const sessions = sqliteTable('sessions', {
  /** SHA-256 of the cookie token: a database leak does not leak live sessions. */
  tokenHash: text('token_hash').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
  /** The id a user sees and revokes a session by: never the token hash. Set on every new session. */
  publicId: text('public_id'),
  /** Refreshed at most every few minutes, so a session list shows which devices are in use. */
  lastSeenAt: integer('last_seen_at'),
  userAgent: text('user_agent'),
}, (t) => [index('sessions_user').on(t.userId), uniqueIndex('sessions_public_id').on(t.publicId), index('sessions_expiry').on(t.expiresAt)]);

/**
 * Failed logins per account (key `account:<email>`, unknown emails too so answers never reveal which
 * exist): after a few failures the key is locked for a time that doubles with each further failure.
 */
export const loginThrottle = sqliteTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lockedUntil: integer('locked_until').notNull().default(0),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [index('login_throttle_age').on(t.updatedAt)]);

export const funnels = sqliteTable('funnels', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const funnelStages = sqliteTable('funnel_stages', {
  id: text('id').primaryKey(),
  funnelId: text('funnel_id').notNull().references(() => funnels.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  position: integer('position').notNull(),
}, (t) => [uniqueIndex('funnel_stages_order').on(t.funnelId, t.position)]);

export const integrations = sqliteTable('integrations', {
  id: text('id').primaryKey(),
  channel: text('channel').notNull(),
  /** The bot's own name as the messenger reports it: the chat's "source". */
  name: text('name').notNull(),
  externalBotId: text('external_bot_id'),
  /** AES-GCM ciphertext `v2.base64(iv).base64(data)` under a key derived from ENCRYPTION_KEY (token-vault.ts). */
  tokenEncrypted: text('token_encrypted').notNull(),
  /** `sha256:<hex>` of the secret registered with the messenger (older rows: the secret, until migrated). */
  webhookSecret: text('webhook_secret').notNull(),
  greetingText: text('greeting_text').notNull().default(''),
  autoReplyText: text('auto_reply_text').notNull().default(''),
  funnelId: text('funnel_id').references(() => funnels.id, { onDelete: 'set null' }),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  /** Set when an admin disconnects the bot: it leaves every list, its chats and history stay. */
  removedAt: integer('removed_at'),
  /** Optional cap of open chats per manager for round-robin; null = no cap. */
  maxOpenChatsPerManager: integer('max_open_chats_per_manager'),
  assignmentRule: text('assignment_rule', { enum: assignmentRules }).notNull().default('available'),
  /** A client message with no manager reply for this long moves the chat to the next manager; null = off. */
  reassignAfterMinutes: integer('reassign_after_minutes'),
  createdAt: integer('created_at').notNull(),
});

export const integrationQueue = sqliteTable('integration_queue', {
  integrationId: text('integration_id').notNull().references(() => integrations.id, { onDelete: 'cascade' }),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
}, (t) => [primaryKey({ columns: [t.integrationId, t.userId] }), index('integration_queue_order').on(t.integrationId, t.position)]);

export const contacts = sqliteTable('contacts', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  username: text('username'),
  phone: text('phone'),
  email: text('email'),
  company: text('company'),
  avatarUrl: text('avatar_url'),
  /**
   * Set when this contact was merged into another: old links answer {mergedInto}, it is no longer listed.
   * Indexed alone, so the directory walks (merged_into_id IS NULL, rowid DESC) straight from the index.
   */
  mergedIntoId: text('merged_into_id'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  index('contacts_name').on(t.name), index('contacts_unmerged').on(t.mergedIntoId),
  // Duplicate suggestions look up the same phone / email on every contact page.
  index('contacts_phone').on(t.phone), index('contacts_email').on(t.email),
]);

/** How one contact is known to one bot (Viber user ids are per bot, so identities are per integration). */
export const contactIdentities = sqliteTable('contact_identities', {
  id: text('id').primaryKey(),
  contactId: text('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
  integrationId: text('integration_id').notNull().references(() => integrations.id, { onDelete: 'cascade' }),
  channel: text('channel').notNull(),
  externalId: text('external_id').notNull(),
  /** False after the client blocked the bot / unsubscribed: sends would fail permanently. */
  reachable: integer('reachable', { mode: 'boolean' }).notNull().default(true),
  /** Set once the greeting went out, so it is sent once per person per bot. */
  greetedAt: integer('greeted_at'),
  createdAt: integer('created_at').notNull(),
}, (t) => [uniqueIndex('contact_identities_external').on(t.integrationId, t.externalId), index('contact_identities_contact').on(t.contactId)]);

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
}, (t) => [
  // One conversation per client per bot: it is reopened, never duplicated.
  uniqueIndex('chats_external').on(t.integrationId, t.externalChatId),
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

export const messageDirections = ['in', 'out'] as const;
export const messageStatuses = ['received', 'sending', 'sent', 'delivered', 'seen', 'failed'] as const;
export type MessageStatus = (typeof messageStatuses)[number];
/** Who produced a message: the client, a manager, or the bot's automatic texts. */
export const messageOrigins = ['client', 'agent', 'greeting', 'auto_reply'] as const;

export const messages = sqliteTable('messages', {
  id: text('id').primaryKey(),
  chatId: text('chat_id').notNull().references(() => chats.id, { onDelete: 'cascade' }),
  direction: text('direction', { enum: messageDirections }).notNull(),
  origin: text('origin', { enum: messageOrigins }).notNull(),
  authorId: text('author_id').references(() => users.id),
  text: text('text').notNull().default(''),
  /** JSON array of attachments: {kind, key?, url?, fileName, mimeType, size, location?, contact?}. */
  attachments: text('attachments', { mode: 'json' }).$type<unknown[]>().notNull().default(sql`'[]'`),
  /** The messenger's id of this message (always a string: Viber tokens exceed 2^53). */
  externalId: text('external_id'),
  status: text('status', { enum: messageStatuses }).notNull(),
  error: text('error'),
  attempts: integer('attempts').notNull().default(0),
  /** How many pieces of a split outgoing message already reached the messenger: a retry resumes after them. */
  sentParts: integer('sent_parts').notNull().default(0),
  /** When the outbox may try again; null when nothing is pending. */
  nextAttemptAt: integer('next_attempt_at'),
  createdAt: integer('created_at').notNull(),
  editedAt: integer('edited_at'),
}, (t) => [
  index('messages_timeline').on(t.chatId, t.createdAt, t.id),
  // A client message is stored once even if the messenger re-sends it under a new update id.
  uniqueIndex('messages_external').on(t.chatId, t.direction, t.externalId),
  index('messages_receipts').on(t.externalId),
  index('messages_pending').on(t.nextAttemptAt),
]);

export const eventTypes = [
  'opened', 'assigned', 'unassigned', 'closed', 'reopened', 'observers_changed', 'tags_changed',
  'opportunity_created', 'linked', 'unlinked', 'greeting_sent', 'auto_reply_sent', 'client_unsubscribed',
  'client_resubscribed', 'message_edited', 'commented', 'muted', 'unmuted', 'reassigned', 'contact_merged',
] as const;
export type EventType = (typeof eventTypes)[number];

export const chatEvents = sqliteTable('chat_events', {
  id: text('id').primaryKey(),
  chatId: text('chat_id').notNull().references(() => chats.id, { onDelete: 'cascade' }),
  type: text('type', { enum: eventTypes }).notNull(),
  actorId: text('actor_id').references(() => users.id),
  data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
  createdAt: integer('created_at').notNull(),
}, (t) => [index('chat_events_timeline').on(t.chatId, t.createdAt, t.id)]);

export const comments = sqliteTable('comments', {
  id: text('id').primaryKey(),
  chatId: text('chat_id').notNull().references(() => chats.id, { onDelete: 'cascade' }),
  authorId: text('author_id').notNull().references(() => users.id),
  text: text('text').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [index('comments_chat').on(t.chatId, t.createdAt)]);

/** Per user and chat: notification mute and the read marker. */
export const chatUserState = sqliteTable('chat_user_state', {
  chatId: text('chat_id').notNull().references(() => chats.id, { onDelete: 'cascade' }),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  muted: integer('muted', { mode: 'boolean' }).notNull().default(false),
  lastReadAt: integer('last_read_at').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.userId, t.chatId] })]);

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

export const opportunityOutcomes = ['won', 'lost'] as const;

export const opportunities = sqliteTable('opportunities', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  contactId: text('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
  funnelId: text('funnel_id').notNull().references(() => funnels.id),
  stageId: text('stage_id').notNull().references(() => funnelStages.id),
  amount: real('amount'),
  responsibleId: text('responsible_id').references(() => users.id),
  chatId: text('chat_id').references(() => chats.id, { onDelete: 'set null' }),
  /** null while open; a won or lost opportunity leaves the board. */
  outcome: text('outcome', { enum: opportunityOutcomes }),
  outcomeReason: text('outcome_reason'),
  closedAt: integer('closed_at'),
  /** When it last moved to another stage (its age on the board's column), with the stage it came from. */
  stageChangedAt: integer('stage_changed_at'),
  previousStageId: text('previous_stage_id'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  index('opportunities_contact').on(t.contactId), index('opportunities_chat').on(t.chatId),
  // The board: one column (the open opportunities of a stage) newest first, and its totals.
  index('opportunities_board').on(t.funnelId, t.outcome, t.stageId, t.createdAt, t.id),
]);

export const tasks = sqliteTable('tasks', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  assigneeId: text('assignee_id').references(() => users.id),
  dueAt: integer('due_at'),
  done: integer('done', { mode: 'boolean' }).notNull().default(false),
  /** A task created from a contact's page (a merge moves it to the survivor). */
  contactId: text('contact_id'),
  createdBy: text('created_by').references(() => users.id),
  createdAt: integer('created_at').notNull(),
}, (t) => [index('tasks_assignee_due').on(t.assigneeId, t.done, t.dueAt), index('tasks_contact').on(t.contactId)]);

export const projects = sqliteTable('projects', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  createdBy: text('created_by').references(() => users.id),
  createdAt: integer('created_at').notNull(),
});

export const linkKinds = ['task', 'project'] as const;

export const chatLinks = sqliteTable('chat_links', {
  chatId: text('chat_id').notNull().references(() => chats.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: linkKinds }).notNull(),
  linkedId: text('linked_id').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.chatId, t.kind, t.linkedId] }), index('chat_links_target').on(t.kind, t.linkedId)]);
