/**
 * The periodic cleanup (the Worker's Cron Trigger): rows that can no longer matter are deleted in
 * bounded batches, so one run never holds D1 for long and a backlog drains over a few runs.
 *  - sessions past their expiry (they already answer 401);
 *  - webhook dedup rows older than the messengers' retry window: Telegram retries a failed update for
 *    up to 24 h (docs/telegram.md §3.6); we keep 48 h so a late redelivery is still a no-op;
 *  - login throttle keys idle for a day (their lock ran out long before).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { loginThrottle, processedUpdates, sessions } from '../../data/schema';
import { THROTTLE_RETENTION_MS } from '../accounts';
import { limitLiteral } from '../../data/inline-limits';

export const DEDUP_RETENTION_MS = 48 * 3600 * 1000;
export const PURGE_BATCH = 500;
/** Rounds per table per run: at most PURGE_BATCH × PURGE_ROUNDS rows of each go in one run. */
export const PURGE_ROUNDS = 5;

export interface PurgeReport {
  sessions: number;
  processedUpdates: number;
  loginThrottle: number;
}

export async function purgeStaleRows(db: Db, now = Date.now(), batch = PURGE_BATCH, rounds = PURGE_ROUNDS): Promise<PurgeReport> {
  return {
    sessions: await drain(db, sql`DELETE FROM ${sessions} WHERE rowid IN (SELECT rowid FROM ${sessions} WHERE ${sessions.expiresAt} <= ${now} LIMIT ${limitLiteral(batch)})`, batch, rounds),
    processedUpdates: await drain(db, sql`DELETE FROM ${processedUpdates} WHERE rowid IN (SELECT rowid FROM ${processedUpdates} WHERE ${processedUpdates.receivedAt} < ${now - DEDUP_RETENTION_MS} LIMIT ${limitLiteral(batch)})`, batch, rounds),
    loginThrottle: await drain(db, sql`DELETE FROM ${loginThrottle} WHERE rowid IN (SELECT rowid FROM ${loginThrottle} WHERE ${loginThrottle.updatedAt} < ${now - THROTTLE_RETENTION_MS} LIMIT ${limitLiteral(batch)})`, batch, rounds),
  };
}

/** Runs one bounded DELETE until it deletes less than a full batch or the rounds run out. */
async function drain(db: Db, statement: SQL, batch: number, rounds: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < rounds; i++) {
    const res = await db.run(statement);
    const changes = res.meta.changes ?? 0;
    total += changes;
    if (changes < batch) break;
  }
  return total;
}
