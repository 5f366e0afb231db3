/**
 * Report rollups, kept by SQL triggers as chats, events and messages are written (migration
 * 0023_report_triggers.sql), so a report reads a few thousand small rows instead of scanning messages.
 * Hours are UTC hours since the epoch (`floor(ms / 3_600_000)`): a viewer's day in any whole-hour time
 * zone (DST included) is an exact run of hours. `user_key` is '' for "no manager" (a key cannot be NULL).
 * Every table here but report_buckets (keyed by its rowid) is `WITHOUT ROWID` in its migration (0030 to
 * 0036): a row is its key and a few sums, read and upserted by that key, so a key index would repeat it.
 */
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The summed columns every rollup grain keeps (hours, days, and their sums over every bot): counts and
 * sums in ms; averages are sum / count. A function, so each table gets its own column builders.
 */
const rollupSums = () => ({
  newChats: integer('new_chats').notNull().default(0),
  reopened: integer('reopened').notNull().default(0),
  closed: integer('closed').notNull().default(0),
  messagesIn: integer('messages_in').notNull().default(0),
  messagesOut: integer('messages_out').notNull().default(0),
  replies: integer('replies').notNull().default(0),
  frtCount: integer('frt_count').notNull().default(0),
  frtMs: integer('frt_ms').notNull().default(0),
  /**
   * The same first responses timed in the integration's business hours (equal to frt_* when it has none).
   * Counted by the trigger for integrations without hours, by JavaScript otherwise (report_business_pending).
   */
  frtBusinessCount: integer('frt_business_count').notNull().default(0),
  frtBusinessMs: integer('frt_business_ms').notNull().default(0),
  resolutionCount: integer('resolution_count').notNull().default(0),
  resolutionMs: integer('resolution_ms').notNull().default(0),
  waitCount: integer('wait_count').notNull().default(0),
  waitMs: integer('wait_ms').notNull().default(0),
  /** CSAT answers (csat_ratings) by the hour they were given, under the manager rated; average = sum / count. */
  csatCount: integer('csat_count').notNull().default(0),
  csatSum: integer('csat_sum').notNull().default(0),
});

/** Counts and sums per hour × integration × manager. Averages are sum / count; percentiles come from report_histograms. */
export const reportRollups = sqliteTable('report_rollups', {
  hour: integer('hour').notNull(),
  integrationId: text('integration_id').notNull(),
  userKey: text('user_key').notNull(),
  ...rollupSums(),
}, (t) => [primaryKey({ columns: [t.hour, t.integrationId, t.userKey] })]);

/** How many durations of `metric` fell in each fixed log-spaced bucket (worker/domain/reports/buckets.ts). */
export const reportHistograms = sqliteTable('report_histograms', {
  hour: integer('hour').notNull(),
  integrationId: text('integration_id').notNull(),
  userKey: text('user_key').notNull(),
  /** 'frt' | 'frt_business' | 'resolution' | 'wait' */
  metric: text('metric').notNull(),
  bucket: integer('bucket').notNull(),
  n: integer('n').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.hour, t.integrationId, t.userKey, t.metric, t.bucket] })]);

/** The lower bound (ms) of each histogram bucket: the triggers find a duration's bucket here. */
export const reportBuckets = sqliteTable('report_buckets', {
  bucket: integer('bucket').primaryKey(),
  lowerMs: integer('lower_ms').notNull().unique(),
});

/**
 * Where each chat's current conversation stands, for the triggers: when it opened (null once closed),
 * the client's first message in it, whether a manager answered it, since when it waits without a
 * manager, and whether its "new chat" is still to be counted (at its first assignment decision).
 */
export const reportChatState = sqliteTable('report_chat_state', {
  chatId: text('chat_id').primaryKey(),
  integrationId: text('integration_id').notNull(),
  userKey: text('user_key').notNull().default(''),
  openedAt: integer('opened_at'),
  firstInAt: integer('first_in_at'),
  replied: integer('replied').notNull().default(0),
  unassignedSince: integer('unassigned_since'),
  newPending: integer('new_pending').notNull().default(0),
});

/**
 * First responses of integrations with business hours, between the trigger that finds them and the
 * JavaScript that times them on the business calendar (a trigger cannot): the manager-reply batch counts
 * and deletes its own row (worker/domain/reports/business-frt.ts); the backfill counts all left after its
 * replay. A row that stays here is a first response not yet in the frt_business figures.
 */
export const reportBusinessPending = sqliteTable('report_business_pending', {
  chatId: text('chat_id').notNull(),
  /** The reply's time (ms): with the chat, what the reply's batch finds its row by. */
  at: integer('at').notNull(),
  integrationId: text('integration_id').notNull(),
  userKey: text('user_key').notNull(),
  firstInAt: integer('first_in_at').notNull(),
}, (t) => [primaryKey({ columns: [t.chatId, t.at] })]);

/** Open chats now per integration × manager (like chat_counts, which has no integration). */
export const reportOpenNow = sqliteTable('report_open_now', {
  integrationId: text('integration_id').notNull(),
  userKey: text('user_key').notNull(),
  n: integer('n').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.integrationId, t.userKey] })]);

/**
 * report_rollups summed per UTC day (`hour / 24`), kept from it by triggers (migration 0031): a long
 * report reads a row per day for the whole days of its range and only the hours at its edges
 * (worker/domain/reports/read.ts), about a twentieth of the rows an hourly read takes. Keyed by the
 * integration first: only a report filtered by bot or channel reads these (one over every bot reads the
 * user tables below), so its days are one range of the key.
 */
export const reportRollupDays = sqliteTable('report_rollup_days', {
  day: integer('day').notNull(),
  integrationId: text('integration_id').notNull(),
  userKey: text('user_key').notNull(),
  ...rollupSums(),
}, (t) => [primaryKey({ columns: [t.integrationId, t.day, t.userKey] })]);

/**
 * report_rollups summed over integrations, per hour and per UTC day, kept by triggers (migration 0035):
 * a report over every bot (no bot or channel filter, the usual one) reads these, about as many rows per
 * unit as there are managers rather than managers × bots.
 */
export const reportRollupUserHours = sqliteTable('report_rollup_user_hours', {
  hour: integer('hour').notNull(),
  userKey: text('user_key').notNull(),
  ...rollupSums(),
}, (t) => [primaryKey({ columns: [t.hour, t.userKey] })]);

export const reportRollupUserDays = sqliteTable('report_rollup_user_days', {
  day: integer('day').notNull(),
  userKey: text('user_key').notNull(),
  ...rollupSums(),
}, (t) => [primaryKey({ columns: [t.day, t.userKey] })]);

/** report_histograms summed per UTC day, kept the same way. */
export const reportHistogramDays = sqliteTable('report_histogram_days', {
  day: integer('day').notNull(),
  integrationId: text('integration_id').notNull(),
  userKey: text('user_key').notNull(),
  metric: text('metric').notNull(),
  bucket: integer('bucket').notNull(),
  n: integer('n').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.integrationId, t.day, t.userKey, t.metric, t.bucket] })]);

/**
 * report_histogram_days summed over integrations per eight-day block (`day / 8`), kept from it by
 * triggers (migration 0033). Durations spread over many buckets, so a day of them is almost as many rows
 * as its hours; without the integration and over eight days they fold about fourfold. A report with no
 * bot or channel filter reads its histograms here for the whole blocks of its range.
 */
export const reportHistogramBlocks = sqliteTable('report_histogram_blocks', {
  block: integer('block').notNull(),
  userKey: text('user_key').notNull(),
  metric: text('metric').notNull(),
  bucket: integer('bucket').notNull(),
  n: integer('n').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.block, t.userKey, t.metric, t.bucket] })]);

/** report_histogram_days summed over integrations (migration 0035): the days at the edges of a report over every bot. */
export const reportHistogramUserDays = sqliteTable('report_histogram_user_days', {
  day: integer('day').notNull(),
  userKey: text('user_key').notNull(),
  metric: text('metric').notNull(),
  bucket: integer('bucket').notNull(),
  n: integer('n').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.day, t.userKey, t.metric, t.bucket] })]);
