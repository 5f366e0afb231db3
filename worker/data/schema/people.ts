/** Staff: who may log in, their sessions, and the login throttle. */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
 * Per client address (key `address:<ip>`): attempts that did not succeed in the window starting at
 * `updated_at` (domain/accounts/login-throttle.ts).
 */
export const loginThrottle = sqliteTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lockedUntil: integer('locked_until').notNull().default(0),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [index('login_throttle_age').on(t.updatedAt)]);
