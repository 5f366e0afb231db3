/**
 * The first response time in business hours, timed in JavaScript because a trigger has no calendar.
 * The report trigger (migration 0027) counts it itself for an integration without business hours (it is
 * the raw time); for one with hours it leaves the first response in report_business_pending, and this
 * file counts it: in the manager's reply batch, right after the message insert (businessReplyWrites), or
 * after a backfill's replay (pendingBusinessSql). Either way it lands in report_rollups.frt_business_* and
 * the 'frt_business' histogram, so a report stays a rollup read.
 */
import { sql } from 'drizzle-orm';
import { batchableRun, type Db, type Write } from '../../data/db';
import { businessMillisBetween, scheduleFromColumn } from '../hours';
import { bucketOf } from './buckets';

const HOUR = 3_600_000;

/**
 * Milliseconds from the client's first message to the first reply that the integration was open: its
 * stored business hours (DST, holidays, ranges past midnight), or the raw time when none are set (or the
 * stored value does not parse, which the rest of the app also reads as "always open").
 */
export function businessFirstResponseMs(businessHoursColumn: string | null | undefined, firstInAt: number, at: number): number {
  const schedule = scheduleFromColumn(businessHoursColumn);
  return schedule ? businessMillisBetween(schedule, firstInAt, at) : Math.max(0, at - firstInAt);
}

/**
 * The writes that count a manager's reply in business hours, for the reply's own batch right AFTER its
 * message insert (whose trigger decides whether it is a first response and files it as pending). They
 * match nothing unless it was filed, so they go in every reply's batch: whether this reply is the
 * conversation's first is only certain inside that transaction. `firstInAt` and `businessHours` are read
 * before the batch (with the chat's other checks, no extra round trip); should a client's message have
 * started the conversation between that read and the batch, the raw time is counted, which is only the
 * milliseconds of that race.
 */
export function businessReplyWrites(db: Db, reply: { chatId: string; at: number; firstInAt: number | null; businessHours: string | null }): Write[] {
  const { chatId, at, firstInAt } = reply;
  const business = firstInAt === null ? null : businessFirstResponseMs(reply.businessHours, firstInAt, at);
  const ms = sql`CASE WHEN p.first_in_at = ${firstInAt} THEN ${business} ELSE max(0, p.at - p.first_in_at) END`;
  return [
    batchableRun(db, sql`INSERT INTO report_rollups (hour, integration_id, user_key, frt_business_count, frt_business_ms)
      SELECT CAST(p.at AS INTEGER) / 3600000, p.integration_id, p.user_key, 1, ${ms} FROM report_business_pending p WHERE p.chat_id = ${chatId} AND p.at = ${at}
      ON CONFLICT (hour, integration_id, user_key) DO UPDATE SET frt_business_count = frt_business_count + 1, frt_business_ms = frt_business_ms + excluded.frt_business_ms`),
    batchableRun(db, sql`INSERT INTO report_histograms (hour, integration_id, user_key, metric, bucket, n)
      SELECT CAST(p.at AS INTEGER) / 3600000, p.integration_id, p.user_key, 'frt_business', (SELECT max(bucket) FROM report_buckets WHERE lower_ms <= ${ms}), 1
      FROM report_business_pending p WHERE p.chat_id = ${chatId} AND p.at = ${at}
      ON CONFLICT (hour, integration_id, user_key, metric, bucket) DO UPDATE SET n = n + 1`),
    batchableRun(db, sql`DELETE FROM report_business_pending WHERE chat_id = ${chatId} AND at = ${at}`),
  ];
}

/** A first response waiting to be timed, with its integration's stored business hours. */
export interface PendingFirstResponse { chatId: string; at: number; integrationId: string; userKey: string; firstInAt: number; businessHours: string | null }

/** One page of pending first responses (the backfill counts a page, which deletes it, then asks again). */
export const PENDING_PAGE_SQL = `SELECT p.chat_id AS chatId, p.at, p.integration_id AS integrationId, p.user_key AS userKey, p.first_in_at AS firstInAt,
  i.business_hours AS businessHours FROM report_business_pending p LEFT JOIN integrations i ON i.id = p.integration_id ORDER BY p.chat_id, p.at LIMIT 500`;

const text = (v: string) => `'${v.replaceAll("'", "''")}'`;
const int = (v: number) => String(Math.trunc(Number(v)));
const CHUNK = 100; // rows per statement: well under D1's statement size

/**
 * Statements (plain SQL, no parameters: the backfill runs them through `wrangler d1 execute --file`) that
 * count `rows` into the rollups and histograms, summed per hour × integration × manager, and delete them
 * from report_business_pending.
 */
export function pendingBusinessSql(rows: readonly PendingFirstResponse[]): string[] {
  const sums = new Map<string, { count: number; ms: number }>();
  const buckets = new Map<string, number>();
  for (const r of rows) {
    const ms = businessFirstResponseMs(r.businessHours, Number(r.firstInAt), Number(r.at));
    const key = [int(Math.floor(Number(r.at) / HOUR)), text(r.integrationId), text(r.userKey)].join(', ');
    const s = sums.get(key) ?? { count: 0, ms: 0 };
    sums.set(key, { count: s.count + 1, ms: s.ms + ms });
    const bucketKey = `${key}, 'frt_business', ${bucketOf(ms)}`;
    buckets.set(bucketKey, (buckets.get(bucketKey) ?? 0) + 1);
  }
  const out: string[] = [];
  const chunks = <T>(items: T[]) => Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));
  // "WHERE true" lets SQLite read ON CONFLICT as the upsert clause after a SELECT.
  for (const part of chunks([...sums])) {
    out.push(`INSERT INTO report_rollups (hour, integration_id, user_key, frt_business_count, frt_business_ms)
      SELECT * FROM (VALUES ${part.map(([k, s]) => `(${k}, ${s.count}, ${int(s.ms)})`).join(', ')}) WHERE true
      ON CONFLICT (hour, integration_id, user_key) DO UPDATE SET frt_business_count = frt_business_count + excluded.frt_business_count, frt_business_ms = frt_business_ms + excluded.frt_business_ms`);
  }
  for (const part of chunks([...buckets])) {
    out.push(`INSERT INTO report_histograms (hour, integration_id, user_key, metric, bucket, n)
      SELECT * FROM (VALUES ${part.map(([k, n]) => `(${k}, ${n})`).join(', ')}) WHERE true
      ON CONFLICT (hour, integration_id, user_key, metric, bucket) DO UPDATE SET n = n + excluded.n`);
  }
  for (const part of chunks([...rows])) {
    out.push(`DELETE FROM report_business_pending WHERE ${part.map((r) => `(chat_id = ${text(r.chatId)} AND at = ${int(r.at)})`).join(' OR ')}`);
  }
  return out;
}
