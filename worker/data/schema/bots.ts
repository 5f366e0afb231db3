/** Bots (integrations), their funnels and their manager queues. */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { assignmentRules, users } from './people';

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
  /** Ask the client for a 1–5 rating when a chat is closed (worker/domain/csat). */
  csatEnabled: integer('csat_enabled', { mode: 'boolean' }).notNull().default(false),
  /**
   * Business hours and the out-of-office text, JSON of worker/shared/business-hours.ts (validated on the
   * way in); null = always open. Plain text so the webhook, which reads this row, parses it once per value.
   */
  businessHours: text('business_hours'),
  createdAt: integer('created_at').notNull(),
});

export const integrationQueue = sqliteTable('integration_queue', {
  integrationId: text('integration_id').notNull().references(() => integrations.id, { onDelete: 'cascade' }),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
}, (t) => [primaryKey({ columns: [t.integrationId, t.userId] }), index('integration_queue_order').on(t.integrationId, t.position)]);
