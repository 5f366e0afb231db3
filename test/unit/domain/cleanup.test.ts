import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import worker from '../../../worker/index';
import { DEDUP_RETENTION_MS, purgeStaleRows } from '../../../worker/domain/cleanup';
import { loginThrottle, processedUpdates, sessions } from '../../../worker/data/schema';
import { db, makeUser, uniq } from '../../support/factory';

const HOUR = 3600 * 1000;

async function count(table: typeof sessions | typeof processedUpdates | typeof loginThrottle): Promise<number> {
  const row = await db().get<{ n: number }>(sql`SELECT count(*) AS n FROM ${table}`);
  return row.n;
}

async function seed(now: number, n: { expired: number; dedupOld: number; throttleOld: number }) {
  const user = await makeUser('employee');
  const rows = (k: number, make: (i: number) => object) => Array.from({ length: k }, (_, i) => make(i));
  // Expired sessions and a live one.
  for (const chunk of chunks(rows(n.expired, (i) => ({ tokenHash: `exp-${uniq()}-${i}`, userId: user.id, createdAt: now - 30 * 24 * HOUR, expiresAt: now - HOUR, publicId: `p-${uniq()}-${i}` })), 10)) {
    await db().insert(sessions).values(chunk as (typeof sessions.$inferInsert)[]);
  }
  await db().insert(sessions).values({ tokenHash: `live-${uniq()}`, userId: user.id, createdAt: now, expiresAt: now + HOUR, publicId: `live-${uniq()}` });
  // Dedup rows: old ones, and one inside the 48 h window (a 47 h old redelivery must still be caught).
  for (const chunk of chunks(rows(n.dedupOld, (i) => ({ integrationId: 'int-1', dedupKey: `old-${uniq()}-${i}`, receivedAt: now - DEDUP_RETENTION_MS - HOUR })), 20)) {
    await db().insert(processedUpdates).values(chunk as (typeof processedUpdates.$inferInsert)[]);
  }
  await db().insert(processedUpdates).values({ integrationId: 'int-1', dedupKey: `recent-${uniq()}`, receivedAt: now - 47 * HOUR });
  for (const chunk of chunks(rows(n.throttleOld, (i) => ({ key: `account:old-${uniq()}-${i}`, failures: 3, lockedUntil: 0, updatedAt: now - 25 * HOUR })), 20)) {
    await db().insert(loginThrottle).values(chunk as (typeof loginThrottle.$inferInsert)[]);
  }
  await db().insert(loginThrottle).values({ key: `account:fresh-${uniq()}`, failures: 3, lockedUntil: 0, updatedAt: now - HOUR });
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function clearAll() {
  for (const t of [sessions, processedUpdates, loginThrottle]) await db().run(sql`DELETE FROM ${t}`);
}

describe('cleanup', () => {
  it('deletes expired sessions, dedup rows past 48 h and idle throttle keys, in bounded batches', async () => {
    await clearAll();
    const now = Date.now();
    await seed(now, { expired: 25, dedupOld: 60, throttleOld: 7 });
    // Batches of 10, two rounds: at most 20 of each table per run.
    expect(await purgeStaleRows(db(), now, 10, 2)).toEqual({ sessions: 20, processedUpdates: 20, loginThrottle: 7 });
    expect(await purgeStaleRows(db(), now, 10, 2)).toEqual({ sessions: 5, processedUpdates: 20, loginThrottle: 0 });
    expect(await purgeStaleRows(db(), now, 10, 10)).toEqual({ sessions: 0, processedUpdates: 20, loginThrottle: 0 });
    // What is still current stays.
    expect(await count(sessions)).toBe(1);
    expect(await count(processedUpdates)).toBe(1);
    expect(await count(loginThrottle)).toBe(1);
  });

  it('runs from the Cron Trigger (scheduled handler)', async () => {
    await clearAll();
    const now = Date.now();
    await seed(now, { expired: 3, dedupOld: 4, throttleOld: 2 });
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ scheduledTime: now, cron: '17 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await count(sessions)).toBe(1);
    expect(await count(processedUpdates)).toBe(1);
    expect(await count(loginThrottle)).toBe(1);
  });
});
