/**
 * The rollups the triggers keep must equal the metrics computed again from the raw rows (an independent
 * TypeScript replay, test/support/report-reference.ts) after every kind of change: a new chat (assigned
 * or left for the queue), client messages, replies and the bot's auto-reply, close, reopen by hand and
 * by the client, assignment, unassignment, take. And the backfill (the stored rows replayed through the
 * same trigger) must rebuild exactly what was kept. Deleting a chat leaves what it did in the rollups.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { closeChat, reopenChat, setResponsible } from '../../../worker/domain/chats';
import { postAgentMessage } from '../../../worker/domain/outbound';
import { takeChat } from '../../../worker/domain/routing';
import backfillSql from '../../../worker/domain/reports/backfill.sql?raw';
import { PENDING_PAGE_SQL, pendingBusinessSql, type PendingFirstResponse } from '../../../worker/domain/reports';
import { backfillStatements, replayWindows } from '../../../tools/lib/reports-backfill.mjs';
import { setupAdmin } from '../../support/chat-world';
import { clientText, db, ingest, ingestDeps, makeIntegration, makeUser, uniq } from '../../support/factory';
import { comparable, keptRollups, referenceRollups } from '../../support/report-reference';

const MIN = 60_000;

async function expectConsistent(integrationId: string) {
  const kept = comparable(await keptRollups(integrationId));
  expect(kept).toEqual(comparable(await referenceRollups(integrationId)));
  // Open chats now: the kept counts against counting the chats.
  const direct = (await env.DB.prepare(`SELECT coalesce(responsible_id, '') AS k, count(*) AS n FROM chats WHERE integration_id = ? AND status = 'open' GROUP BY 1 ORDER BY 1`).bind(integrationId).all()).results;
  const openNow = (await env.DB.prepare('SELECT user_key AS k, n FROM report_open_now WHERE integration_id = ? AND n <> 0 ORDER BY 1').bind(integrationId).all()).results;
  expect(openNow).toEqual(direct);
  // The day tables (read by long reports) are the hours summed per UTC day.
  const cols = 'new_chats, reopened, closed, messages_in, messages_out, replies, frt_count, frt_ms, frt_business_count, frt_business_ms, resolution_count, resolution_ms, wait_count, wait_ms, csat_count, csat_sum';
  const sums = cols.split(', ').map((c) => `sum(${c}) AS ${c}`).join(', ');
  const rowsOf = async (sql: string) => (await env.DB.prepare(sql).bind(integrationId).all()).results;
  expect(await rowsOf(`SELECT day, user_key, ${cols} FROM report_rollup_days WHERE integration_id = ? ORDER BY 1, 2`))
    .toEqual(await rowsOf(`SELECT hour / 24 AS day, user_key, ${sums} FROM report_rollups WHERE integration_id = ? GROUP BY 1, 2 ORDER BY 1, 2`));
  expect(await rowsOf('SELECT day, user_key, metric, bucket, n FROM report_histogram_days WHERE integration_id = ? AND n <> 0 ORDER BY 1, 2, 3, 4'))
    .toEqual(await rowsOf('SELECT hour / 24 AS day, user_key, metric, bucket, sum(n) AS n FROM report_histograms WHERE integration_id = ? GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4'));
  return kept;
}

async function runBackfill() {
  const { reset, replay } = backfillStatements(backfillSql);
  const [bounds] = (await env.DB.prepare('SELECT min(created_at) AS lo, max(created_at) AS hi FROM (SELECT created_at FROM chat_events UNION ALL SELECT created_at FROM messages)').all<{ lo: number; hi: number }>()).results;
  const windows = replayWindows(bounds.lo, bounds.hi, 6 * 3_600_000);
  expect(windows.length).toBeGreaterThan(1); // the per-chat state has to carry over between windows
  await env.DB.batch(reset.map((s) => env.DB.prepare(s)));
  for (const [from, to] of windows) for (const s of replay(from, to)) await env.DB.prepare(s).run();
  // Then the first responses in business hours the trigger could not time, a page at a time.
  for (;;) {
    const page = (await env.DB.prepare(PENDING_PAGE_SQL).all<PendingFirstResponse>()).results;
    if (!page.length) break;
    await env.DB.batch(pendingBusinessSql(page).map((s) => env.DB.prepare(s)));
  }
}

// Weekdays 09:00–18:00 in São Paulo: the changes below start on a Monday evening there, after hours.
const HOURS = JSON.stringify({
  timeZone: 'America/Sao_Paulo', outOfOfficeText: '', holidays: [],
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ from: '09:00', to: '18:00' }]])),
});

describe('report rollups', () => {
  it.each([['without business hours', null], ['with business hours', HOURS]])('equal the metrics recomputed from raw rows after every kind of change, and the backfill rebuilds them (%s)', async (_, businessHours) => {
    const admin = await setupAdmin();
    const ana = await makeUser('employee');
    const bruno = await makeUser('employee');
    const integration = await makeIntegration({ autoReplyText: 'Já respondemos!', businessHours });
    let pick: string | null = ana.id;
    const deps = (at: number) => ({ db: db(), now: () => at });
    const t0 = Date.UTC(2026, 10, 2, 21, 30); // the changes run over midnight UTC
    const [c1, c2, c3] = [uniq(), uniq(), uniq()];
    const writes = (client: string, at: number) => ingest(integration, clientText(client, 'Olá'), { ...ingestDeps(async () => pick), now: () => at });
    const chatOf = async (client: string) => (await env.DB.prepare('SELECT id FROM chats WHERE external_chat_id = ?').bind(client).first<{ id: string }>())!.id;

    await writes(c1, t0); // new chat to Ana, with the bot's auto-reply
    const a = await chatOf(c1);
    await expectConsistent(integration.id);
    pick = null;
    await writes(c2, t0 + 5 * MIN); // new chat left for the queue
    const b = await chatOf(c2);
    await writes(c1, t0 + 7 * MIN); // client message in an open chat
    await expectConsistent(integration.id);
    await postAgentMessage(deps(t0 + 9 * MIN), { chatId: a, authorId: ana.id, text: 'Oi' }); // first response
    await postAgentMessage(deps(t0 + 11 * MIN), { chatId: a, authorId: bruno.id, text: 'Oi de novo' }); // a later reply
    await expectConsistent(integration.id);
    await takeChat(deps(t0 + 40 * MIN), { ...bruno, role: 'employee' }, b); // the wait ends
    await setResponsible(deps(t0 + 50 * MIN), admin, b, null); // unassigned again
    await setResponsible(deps(t0 + 65 * MIN), admin, b, ana.id); // assigned
    await setResponsible(deps(t0 + 70 * MIN), admin, b, bruno.id); // reassigned
    await expectConsistent(integration.id);
    await closeChat(deps(t0 + 80 * MIN), admin, a);
    await closeChat(deps(t0 + 3 * 60 * MIN), admin, b);
    await expectConsistent(integration.id);
    await reopenChat(deps(t0 + 4 * 60 * MIN), admin, b); // by hand
    pick = bruno.id;
    await writes(c1, t0 + 5 * 60 * MIN); // by the client
    await writes(c3, t0 + 6 * 60 * MIN);
    await postAgentMessage(deps(t0 + 6 * 60 * MIN + 90_000), { chatId: a, authorId: bruno.id, text: 'Voltou?' });
    const kept = await expectConsistent(integration.id);
    expect(Object.keys(kept.rollups).length).toBeGreaterThan(5);
    expect(Object.keys(kept.histograms).some((k) => k.includes('|wait|'))).toBe(true);
    expect(Object.keys(kept.histograms).some((k) => k.includes('|frt|'))).toBe(true);
    expect(Object.keys(kept.histograms).some((k) => k.includes('|frt_business|'))).toBe(true);
    // Nothing left untimed, and with hours the business figure is not just a copy of the raw one.
    expect(await env.DB.prepare('SELECT count(*) AS n FROM report_business_pending').first('n')).toBe(0);
    const sums = await env.DB.prepare('SELECT sum(frt_ms) AS raw, sum(frt_business_ms) AS business, sum(frt_count) AS n, sum(frt_business_count) AS nb FROM report_rollups WHERE integration_id = ?')
      .bind(integration.id).first<{ raw: number; business: number; n: number; nb: number }>();
    expect(sums!.nb).toBe(sums!.n);
    if (businessHours) expect(sums!.business).toBeLessThan(sums!.raw);
    else expect(sums!.business).toBe(sums!.raw);
    expect(Object.keys(kept.histograms).some((k) => k.includes('|resolution|'))).toBe(true);

    // The backfill, from the stored rows alone, gives back exactly what the triggers kept.
    await runBackfill();
    expect(comparable(await keptRollups(integration.id))).toEqual(kept);
    await expectConsistent(integration.id);

    // Deleting a chat: it leaves the open counts and the per-chat state; what it did stays counted.
    const c = await chatOf(c3);
    for (const t of ['messages', 'chat_events', 'chat_user_state', 'opportunities']) await env.DB.prepare(`DELETE FROM ${t} WHERE chat_id = ?`).bind(c).run();
    await env.DB.prepare('DELETE FROM chats WHERE id = ?').bind(c).run();
    expect(comparable(await keptRollups(integration.id))).toEqual(kept);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM report_chat_state WHERE chat_id = ?').bind(c).first('n')).toBe(0);
    const open = (await env.DB.prepare('SELECT sum(n) AS n FROM report_open_now WHERE integration_id = ?').bind(integration.id).first<{ n: number }>())!.n;
    expect(open).toBe((await env.DB.prepare(`SELECT count(*) AS n FROM chats WHERE integration_id = ? AND status = 'open'`).bind(integration.id).first<{ n: number }>())!.n);
  });

  it('keeps the histogram bounds the code reports with', async () => {
    const { bucketLowerMs } = await import('../../../worker/domain/reports');
    const rows = (await env.DB.prepare('SELECT lower_ms FROM report_buckets ORDER BY bucket').all<{ lower_ms: number }>()).results.map((r) => r.lower_ms);
    expect(rows).toEqual([...bucketLowerMs]);
  });
});
