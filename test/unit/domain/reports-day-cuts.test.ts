/**
 * Reports read whole UTC days from report_rollup_days / report_histogram_days and only the hours between
 * a cut and its nearest midnight from the hourly tables (worker/domain/reports/day-cuts.ts). The day
 * tables are kept by triggers on the hourly ones, so they must equal the hours summed per day after
 * inserts, upserts and deletes, and so must the sums over every bot (report_rollup_user_hours / _days,
 * report_histogram_user_days, report_histogram_blocks) that a report with no bot filter reads; and a
 * report over any range, in any zone (DST, half-hour, 45-minute offsets), must equal summing the hourly
 * rows of each local day directly.
 */
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAt, mergedSpans, splitUnits } from '../../../worker/domain/reports/day-cuts';
import { reportOverview } from '../../../worker/domain/reports';
import { quantile } from '../../../worker/domain/reports/buckets';
import { previousRange, resolveRange } from '../../../worker/domain/reports/range';
import { database } from '../../../worker/data/db';
import { db, uniq } from '../../support/factory';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('day cuts', () => {
  it('read any run of hours (or days) exactly, each cut within half a day (or block) of a boundary', () => {
    fc.assert(fc.property(fc.constantFrom(24, 8), fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 1000 }), fc.array(fc.integer({ min: -5, max: 50 }), { minLength: 3200, maxLength: 3200 }), (size, from, length, values) => {
      const to = from + length;
      const hour = (h: number) => values[h];
      const split = splitUnits(from, to, size);
      let sum = 0;
      for (let d = split.unitFrom; d < split.unitTo; d++) for (let h = d * size; h < d * size + size; h++) sum += hour(h);
      for (const s of split.spans) {
        expect(s.to - s.from).toBeLessThanOrEqual(size / 2);
        for (let h = s.from; h < s.to; h++) sum += s.sign * hour(h);
      }
      let direct = 0;
      for (let h = from; h < to; h++) direct += hour(h);
      expect(sum).toBe(direct);
    }));
  });

  it('merge the spans of many cuts so a join meets each hour once', () => {
    const cuts = [3, 27, 51, 75, 90, 100, 101].map((h) => cutAt(h));
    const merged = mergedSpans(cuts);
    const covered = merged.flatMap((s) => Array.from({ length: s.to - s.from }, (_, i) => s.from + i));
    expect(new Set(covered).size).toBe(covered.length);
    for (const c of cuts) if (c.span) for (let h = c.span.from; h < c.span.to; h++) expect(covered).toContain(h);
  });
});

/** Hourly rows written the ways the app writes them: inserts, upserts that add, and deletes. */
async function writeHours(integrationId: string, rows: { hour: number; userKey: string; messagesIn: number; replies: number; bucket: number; n: number }[]) {
  const d1 = env.DB;
  const statements = rows.flatMap((r) => [
    d1.prepare(`INSERT INTO report_rollups (hour, integration_id, user_key, messages_in, replies, frt_count, frt_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (hour, integration_id, user_key) DO UPDATE SET messages_in = messages_in + excluded.messages_in, replies = replies + excluded.replies,
        frt_count = frt_count + excluded.frt_count, frt_ms = frt_ms + excluded.frt_ms`).bind(r.hour, integrationId, r.userKey, r.messagesIn, r.replies, r.n, r.n * 60_000),
    d1.prepare(`INSERT INTO report_histograms (hour, integration_id, user_key, metric, bucket, n) VALUES (?, ?, ?, 'frt', ?, ?)
      ON CONFLICT (hour, integration_id, user_key, metric, bucket) DO UPDATE SET n = n + excluded.n`).bind(r.hour, integrationId, r.userKey, r.bucket, r.n),
  ]);
  for (let i = 0; i < statements.length; i += 200) await d1.batch(statements.slice(i, i + 200));
}

async function expectDaysEqualHours(integrationId: string, userKeys: string[]) {
  const byDay = async (sql: string) => (await env.DB.prepare(sql).bind(integrationId).all()).results;
  expect(await byDay(`SELECT day, user_key, messages_in, replies, frt_count, frt_ms FROM report_rollup_days WHERE integration_id = ?
      AND (messages_in, replies, frt_count, frt_ms) <> (0, 0, 0, 0) ORDER BY 1, 2`))
    .toEqual(await byDay(`SELECT hour / 24 AS day, user_key, sum(messages_in) AS messages_in, sum(replies) AS replies, sum(frt_count) AS frt_count, sum(frt_ms) AS frt_ms
      FROM report_rollups WHERE integration_id = ? GROUP BY 1, 2 HAVING (sum(messages_in), sum(replies), sum(frt_count), sum(frt_ms)) <> (0, 0, 0, 0) ORDER BY 1, 2`));
  expect(await byDay('SELECT day, user_key, metric, bucket, n FROM report_histogram_days WHERE integration_id = ? AND n <> 0 ORDER BY 1, 2, 3, 4'))
    .toEqual(await byDay('SELECT hour / 24 AS day, user_key, metric, bucket, sum(n) AS n FROM report_histograms WHERE integration_id = ? GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4'));
  // The eight-day blocks have no integration: this test's user keys are its own.
  const keys = JSON.stringify(userKeys);
  const byBlock = async (sql: string) => (await env.DB.prepare(sql).bind(keys).all()).results;
  expect(await byBlock('SELECT block, user_key, metric, bucket, n FROM report_histogram_blocks WHERE user_key IN (SELECT value FROM json_each(?)) AND n <> 0 ORDER BY 1, 2, 3, 4'))
    .toEqual(await byBlock('SELECT hour / 24 / 8 AS block, user_key, metric, bucket, sum(n) AS n FROM report_histograms WHERE user_key IN (SELECT value FROM json_each(?)) GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4'));
  // So have the sums over every bot, per hour and per day.
  const sums = 'sum(messages_in) AS messages_in, sum(replies) AS replies, sum(frt_count) AS frt_count, sum(frt_ms) AS frt_ms';
  const nonZero = 'HAVING (sum(messages_in), sum(replies), sum(frt_count), sum(frt_ms)) <> (0, 0, 0, 0)';
  const mine = 'user_key IN (SELECT value FROM json_each(?))';
  expect(await byBlock(`SELECT hour, user_key, ${sums} FROM report_rollup_user_hours WHERE ${mine} GROUP BY 1, 2 ${nonZero} ORDER BY 1, 2`))
    .toEqual(await byBlock(`SELECT hour, user_key, ${sums} FROM report_rollups WHERE ${mine} GROUP BY 1, 2 ${nonZero} ORDER BY 1, 2`));
  expect(await byBlock(`SELECT day, user_key, ${sums} FROM report_rollup_user_days WHERE ${mine} GROUP BY 1, 2 ${nonZero} ORDER BY 1, 2`))
    .toEqual(await byBlock(`SELECT hour / 24 AS day, user_key, ${sums} FROM report_rollups WHERE ${mine} GROUP BY 1, 2 ${nonZero} ORDER BY 1, 2`));
  expect(await byBlock(`SELECT day, user_key, metric, bucket, n FROM report_histogram_user_days WHERE ${mine} AND n <> 0 ORDER BY 1, 2, 3, 4`))
    .toEqual(await byBlock(`SELECT hour / 24 AS day, user_key, metric, bucket, sum(n) AS n FROM report_histograms WHERE ${mine} GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4`));
}

describe('report day tables', () => {
  // 70 days of hours around the spring DST changes (America 2026-03-08, Europe 2026-03-29).
  const start = Date.UTC(2026, 1, 20);
  const firstHour = start / HOUR;
  // Each test its own managers: the blocks (and a manager filter) span every bot.
  const usersOf = (mine = uniq()) => [`${mine}-ana`, `${mine}-bruno`, `${mine}-carla`];
  const rowOf = (users: string[]) => fc.record({
    hour: fc.integer({ min: firstHour, max: firstHour + 70 * 24 - 1 }),
    userKey: fc.constantFrom(...users),
    messagesIn: fc.integer({ min: 0, max: 9 }),
    replies: fc.integer({ min: 0, max: 9 }),
    bucket: fc.integer({ min: 20, max: 40 }),
    n: fc.integer({ min: 1, max: 4 }),
  });

  it('stay the hours summed per day through inserts, upserts and deletes', async () => {
    const integrationId = `int-${uniq()}`;
    const users = usersOf();
    const rows = fc.sample(rowOf(users), { numRuns: 300, seed: 7 });
    await writeHours(integrationId, rows);
    await writeHours(integrationId, rows.slice(0, 100)); // the same keys again: upserts that add
    await expectDaysEqualHours(integrationId, users);
    await env.DB.prepare('DELETE FROM report_rollups WHERE integration_id = ? AND hour % 5 = 0').bind(integrationId).run();
    await env.DB.prepare('DELETE FROM report_histograms WHERE integration_id = ? AND hour % 3 = 0').bind(integrationId).run();
    await env.DB.prepare('UPDATE report_rollups SET messages_in = messages_in * 2 WHERE integration_id = ? AND hour % 7 = 1').bind(integrationId).run();
    await expectDaysEqualHours(integrationId, users);
    // A key moved in place (nothing in the app does this; the rekey trigger keeps the days right if it happens).
    await env.DB.prepare('UPDATE report_rollups SET hour = hour + 2405 WHERE integration_id = ? AND hour % 11 = 2').bind(integrationId).run();
    await env.DB.prepare('UPDATE report_histograms SET hour = hour + 2405, bucket = bucket + 1 WHERE integration_id = ? AND hour % 11 = 2').bind(integrationId).run();
    await expectDaysEqualHours(integrationId, users);
  });

  it('give every report, for one bot or one manager, the sums of its local days read straight from the hours, in any zone', async () => {
    const integrationId = `int-${uniq()}`;
    const users = usersOf();
    const rows = fc.sample(rowOf(users), { numRuns: 400, seed: 11 });
    await writeHours(integrationId, rows);
    const hourly = (await env.DB.prepare('SELECT hour, user_key AS userKey, messages_in AS messagesIn, replies, frt_count AS frtCount FROM report_rollups WHERE integration_id = ?')
      .bind(integrationId).all<{ hour: number; userKey: string; messagesIn: number; replies: number; frtCount: number }>()).results;
    const histogram = (await env.DB.prepare("SELECT hour, user_key AS userKey, bucket, n FROM report_histograms WHERE integration_id = ? AND metric = 'frt'")
      .bind(integrationId).all<{ hour: number; userKey: string; bucket: number; n: number }>()).results;

    const zones = ['UTC', 'America/Sao_Paulo', 'Europe/Berlin', 'America/St_Johns', 'Asia/Kolkata', 'Pacific/Chatham', 'Pacific/Kiritimati'];
    // One manager over every bot: the histograms come from the eight-day blocks too.
    const filters = [{ integrationId }, { userId: users[0] }, { userId: users[2] }];
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 69 }), fc.integer({ min: 1, max: 60 }), fc.constantFrom(...zones), fc.constantFrom(...filters), async (offset, length, tz, filter) => {
      const from = date(start + offset * DAY);
      const to = date(start + (offset + length - 1) * DAY);
      const report = await reportOverview(db(), { from, to, tz, ...filter });
      const range = resolveRange({ from, to, tz });
      const chosen = (r: { userKey: string }) => !('userId' in filter) || r.userKey === filter.userId;
      const inHours = (lo: number, hi: number) => hourly.filter((r) => r.hour >= lo && r.hour < hi && chosen(r));
      const sum = (rs: typeof hourly, k: 'messagesIn' | 'replies' | 'frtCount') => rs.reduce((a, r) => a + r[k], 0);
      const perDay = range.days.map((_, i) => inHours(range.dayStarts[i], range.dayStarts[i + 1]));
      expect(report.series.messagesIn).toEqual(perDay.map((rs) => sum(rs, 'messagesIn')));
      expect(report.series.replies).toEqual(perDay.map((rs) => sum(rs, 'replies')));
      const all = inHours(range.fromHour, range.toHour);
      expect(report.figures.firstResponse.count).toBe(sum(all, 'frtCount'));
      const prev = previousRange(range);
      expect(report.previous.messagesIn).toBe(sum(inHours(prev.fromHour, prev.toHour), 'messagesIn'));
      for (const key of users) {
        const theirs = all.filter((r) => r.userKey === key);
        const manager = report.managers.find((m) => m.userId === key);
        expect(manager?.replies ?? 0).toBe(sum(theirs, 'replies'));
      }
      const counts = new Map<number, number>();
      for (const h of histogram) if (h.hour >= range.fromHour && h.hour < range.toHour && chosen(h)) counts.set(h.bucket, (counts.get(h.bucket) ?? 0) + h.n);
      expect(report.figures.firstResponse.p50Ms).toBe(quantile(counts, 0.5));
      expect(report.figures.firstResponse.p90Ms).toBe(quantile(counts, 0.9));
    }), { numRuns: 40 });
  });

  it('reads every rollup table through its primary key, never a scan', async () => {
    const seen: { sql: string; binds: unknown[] }[] = [];
    const recording = {
      prepare: (sql: string) => ({ bind: (...binds: unknown[]) => { seen.push({ sql, binds }); return env.DB.prepare(sql).bind(...binds); } }),
      batch: (statements: D1PreparedStatement[]) => env.DB.batch(statements),
    } as unknown as D1Database;
    const range = { from: '2026-01-01', to: '2026-03-31', tz: 'America/Sao_Paulo' };
    // Over every bot: the sums over integrations and the eight-day blocks.
    await reportOverview(database(recording), range);
    const allBots = seen.splice(0).filter((s) => /report_(rollup|histogram)/.test(s.sql));
    expect(allBots.length).toBe(6);
    expect(allBots.filter((s) => s.sql.includes('report_histogram_blocks'))).toHaveLength(2);
    expect(allBots.filter((s) => /report_rollup_user_(days|hours)/.test(s.sql))).toHaveLength(4);
    expect(allBots.filter((s) => /report_rollups\b|report_rollup_days/.test(s.sql))).toHaveLength(0);
    // One bot: the tables that keep the integration.
    await reportOverview(database(recording), { ...range, integrationId: 'int-plan' });
    const oneBot = seen.splice(0).filter((s) => /report_(rollup|histogram)/.test(s.sql));
    expect(oneBot.filter((s) => /report_rollup_user|report_histogram_(user|blocks)/.test(s.sql))).toHaveLength(0);
    const rollupReads = [...allBots, ...oneBot];
    // The day tables lead with the integration: one bot's days are one range, not every bot's days filtered.
    for (const s of oneBot.filter((x) => /report_(rollup|histogram)_days/.test(x.sql))) {
      const plan = (await env.DB.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).bind(...s.binds).all<{ detail: string }>()).results.map((p) => p.detail);
      expect(plan.some((d) => /^SEARCH .*report_(rollup|histogram)_days.*\(integration_id=\? AND day>\? AND day<\?\)/.test(d)), `${s.sql}\n${plan.join('\n')}`).toBe(true);
    }
    for (const s of rollupReads) {
      const plan = (await env.DB.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).bind(...s.binds).all<{ detail: string }>()).results.map((p) => p.detail);
      const tableLines = plan.filter((d) => /report_(rollup|histogram)|\br\b/.test(d) && /^(SCAN|SEARCH)/.test(d));
      expect(tableLines.length, s.sql).toBeGreaterThan(0);
      for (const line of tableLines) expect(line, s.sql).toMatch(/^SEARCH .*(hour|day|block)>\?/);
    }
  });
});
