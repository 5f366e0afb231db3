/** Clients: contacts and how each one is known to each bot. */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { integrations } from './bots';

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

/**
 * How one contact is known to one bot (Viber user ids are per bot, so identities are per integration).
 * Keyed by what every webhook looks it up by, (integration, messenger user), and `WITHOUT ROWID` in its
 * migration (0045): the row lives in that key's B-tree instead of a rowid table, a unique index on the
 * same columns and an id nothing looked an identity up by (issue 19).
 */
export const contactIdentities = sqliteTable('contact_identities', {
  contactId: text('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
  integrationId: text('integration_id').notNull().references(() => integrations.id, { onDelete: 'cascade' }),
  channel: text('channel').notNull(),
  externalId: text('external_id').notNull(),
  /** False after the client blocked the bot / unsubscribed: sends would fail permanently. */
  reachable: integer('reachable', { mode: 'boolean' }).notNull().default(true),
  /** Set once the greeting went out, so it is sent once per person per bot. */
  greetedAt: integer('greeted_at'),
  createdAt: integer('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.integrationId, t.externalId] }), index('contact_identities_contact').on(t.contactId)]);
