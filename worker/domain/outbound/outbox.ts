/**
 * The outbox's shared rules. D1 is the source of truth: a row needs work while `next_attempt_at` is set
 * (outgoing messages in `sending`, incoming media not yet kept). Queue messages and the sweeper only say
 * "look at this row"; a worker first CLAIMS the row with a guarded UPDATE, so two copies of one queue
 * message never both send.
 */
import { and, asc, eq, isNotNull, lte, not, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { messageCode, messages } from '../../data/schema';
import type { LiveRows } from '../../data/live-reads';
import type { LiveChange } from '../live';

/** A queue message asks the consumer to look at one message row: deliver it (outgoing) or fetch its files (incoming). */
export interface OutboxMessage {
  messageId: string;
  /** Lets the consumer send different chats side by side and one chat's messages in order. */
  chatId?: string;
}

/** How long a claim keeps the sweeper away; longer than several sends with their 15 s timeouts. */
export const LEASE_MS = 120_000;
/** A queue copy arriving this much early is still treated as due (queue delays are approximate). */
export const DUE_SLACK_MS = 1_000;
/** Retryable failures before a message is marked failed. */
export const MAX_ATTEMPTS = 10;
/** Queues accept delays up to 12 h. */
export const MAX_DELAY_SECONDS = 12 * 3600;

/**
 * Waits after a failure with no delay from the messenger. Short at first: a burst of 5xx usually ends in
 * seconds, and a chat's head blocks its later replies. Ten attempts span about 19 minutes before the
 * message is marked failed for a person to retry.
 */
const BACKOFF_SECONDS = [2, 5, 10, 20, 30, 60, 120, 300, 600];

/** Seconds to wait after the `attempt`-th failure when the messenger gave no delay of its own. */
export function backoffSeconds(attempt: number): number {
  return BACKOFF_SECONDS[Math.min(Math.max(attempt, 1), BACKOFF_SECONDS.length) - 1];
}

/** Clamps a delay to what the Queue accepts, never below one second. */
export function queueDelay(seconds: number): number {
  return Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.ceil(seconds)));
}

/**
 * What one look at an outbox row led to; the consumer acks, or retries after `delaySeconds`. `next` is
 * the chat's following reply, which waited for this one to leave (messages of one chat leave in order).
 * `liveRows`: what the publish of `changes` needs, when the final write returned it (no read-back).
 */
export type OutboxOutcome =
  | { kind: 'done'; changes: LiveChange[]; next?: OutboxMessage; liveRows?: LiveRows }
  | { kind: 'skipped'; reason: string; changes: LiveChange[] }
  | { kind: 'retry'; delaySeconds: number; reason: string; changes: LiveChange[] };

/** Nothing to do for this copy (already sent, claimed elsewhere, ...): the consumer acks it. */
export const skipped = (reason: string): OutboxOutcome => ({ kind: 'skipped', reason, changes: [] });

/** A row taken by one worker: every later write must match both values, or someone else owns it now. */
export interface Claim {
  id: string;
  attempt: number;
  leaseUntil: number;
}

/** Takes the row if nobody did since we read it (`attempts` unchanged). Null when we lost the race. */
export async function claimRow(db: Db, row: { id: string; attempts: number }, t: number, extra?: SQL): Promise<Claim | null> {
  const claim = { id: row.id, attempt: row.attempts + 1, leaseUntil: t + LEASE_MS };
  const taken = await db
    .update(messages)
    .set({ attempts: claim.attempt, nextAttemptAt: claim.leaseUntil })
    .where(and(eq(messages.id, row.id), eq(messages.attempts, row.attempts), isNotNull(messages.nextAttemptAt), extra))
    .returning({ id: messages.id });
  return taken.length === 1 ? claim : null;
}

/**
 * The WHERE that keeps a write to the claimant (a later claim changes attempts and the lease). Takes
 * placeholders too, for a statement built once and bound per claim.
 */
export function claimed(claim: { [K in keyof Claim]: Claim[K] | Placeholder }): SQL {
  return and(eq(messages.id, claim.id), eq(messages.attempts, claim.attempt), eq(messages.nextAttemptAt, claim.leaseUntil))!;
}

/** Seconds until a row is due, or 0 when it is due now. */
export function secondsUntilDue(nextAttemptAt: number | null, t: number): number {
  if (nextAttemptAt === null || nextAttemptAt <= t + DUE_SLACK_MS) return 0;
  return queueDelay((nextAttemptAt - t) / 1000);
}

/**
 * An outgoing row that is not the oldest one still `sending` in its chat: it waits for the one before it,
 * whose delivery hands it on (see deliverMessage), so neither queue nor sweeper needs to look at it.
 */
export const waitsForAnOlderReply: SQL = sql`(${messages.direction} = ${messageCode('direction', 'out')} and exists (
  select 1 from ${messages} as older
  where older.chat_id = ${messages.chatId} and older.direction = ${messageCode('direction', 'out')} and older.status = ${messageCode('status', 'sending')}
    and (older.created_at < ${messages.createdAt} or (older.created_at = ${messages.createdAt} and older.id < ${messages.id}))))`;

/** Rows whose next attempt is at or before `dueBefore`, oldest first, each chat's head only: what the sweeper re-enqueues. */
export async function findDueMessages(db: Db, dueBefore: number, limit: number): Promise<OutboxMessage[]> {
  const rows = await db.select({ id: messages.id, chatId: messages.chatId }).from(messages)
    .where(and(lte(messages.nextAttemptAt, dueBefore), not(waitsForAnOlderReply)))
    .orderBy(asc(messages.nextAttemptAt)).limit(limit).all();
  return rows.map((r) => ({ messageId: r.id, chatId: r.chatId }));
}

/** The earliest pending next attempt, or null when the outbox is empty. */
export async function earliestPending(db: Db): Promise<number | null> {
  // ORDER BY + LIMIT 1 is a seek on messages_pending, which holds only the rows with a next attempt.
  const row = await db.select({ at: messages.nextAttemptAt }).from(messages)
    .where(isNotNull(messages.nextAttemptAt)).orderBy(asc(messages.nextAttemptAt)).limit(1).get();
  return row?.at ?? null;
}
