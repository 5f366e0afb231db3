/**
 * An authenticated update Ponte cannot use is acknowledged (a 5xx would make the messenger retry it
 * and hold the bot's later updates behind it) and kept here for an operator to look at
 * (`SELECT … FROM unprocessable_updates`). The table stays small by itself: bodies are cut at
 * RAW_KEEP characters, and each insert purges this integration's rows beyond the newest KEEP_ROWS
 * and those older than KEEP_MS, in the same batch.
 */
import { and, desc, eq, lt, notInArray, or } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { unprocessableUpdates } from '../../data/schema';
import { newId } from '../../shared/ids';

/** 16 Ki characters: at most 48 KB of UTF-8, well under D1's 100 KB statement. */
export const RAW_KEEP = 16 * 1024;
export const KEEP_ROWS = 200;
export const KEEP_MS = 30 * 24 * 3600 * 1000;

export async function recordUnprocessable(
  db: Db, integration: { id: string; channel: string }, reason: string, rawBody: string, t: number,
): Promise<void> {
  const newest = db.select({ id: unprocessableUpdates.id }).from(unprocessableUpdates)
    .where(eq(unprocessableUpdates.integrationId, integration.id))
    .orderBy(desc(unprocessableUpdates.receivedAt), desc(unprocessableUpdates.id))
    .limit(KEEP_ROWS);
  await db.batch([
    db.insert(unprocessableUpdates).values({
      id: newId(t), integrationId: integration.id, channel: integration.channel, reason: reason.slice(0, 1000),
      rawBody: cut(rawBody, RAW_KEEP), rawSize: new TextEncoder().encode(rawBody).length, receivedAt: t,
    }),
    db.delete(unprocessableUpdates).where(and(
      eq(unprocessableUpdates.integrationId, integration.id),
      or(lt(unprocessableUpdates.receivedAt, t - KEEP_MS), notInArray(unprocessableUpdates.id, newest)),
    )),
  ]);
}

/** The first `max` UTF-16 units, never ending in half of a surrogate pair. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
