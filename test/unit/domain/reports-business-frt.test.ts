/**
 * The first response time in business hours, on hand-built conversations written through the real
 * domain functions (ingest, replies, close) with a chosen clock and read back through reportOverview:
 * only the time the integration was open counts; without business hours it equals the raw time.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { closeChat } from '../../../worker/domain/chats';
import { postAgentMessage } from '../../../worker/domain/outbound';
import { overviewCsv, reportOverview } from '../../../worker/domain/reports';
import { clientText, db, ingest, ingestDeps, makeIntegration, makeUser, uniq } from '../../support/factory';
import { setupAdmin } from '../../support/chat-world';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Weekdays 09:00–18:00 in `timeZone`, as the integration's business_hours column holds them. */
const weekdays9to6 = (timeZone: string, days = ['mon', 'tue', 'wed', 'thu', 'fri']) => JSON.stringify({
  timeZone, outOfOfficeText: '', holidays: [], weekly: Object.fromEntries(days.map((d) => [d, [{ from: '09:00', to: '18:00' }]])),
});

async function conversation(businessHours: string | null) {
  const ana = await makeUser('employee');
  const integration = await makeIntegration({ businessHours });
  const client = uniq();
  const writes = (at: number) => ingest(integration, clientText(client, 'Olá'), { ...ingestDeps(async () => ana.id), now: () => at });
  const chatId = async () => (await env.DB.prepare('SELECT id FROM chats WHERE integration_id = ?').bind(integration.id).first<{ id: string }>())!.id;
  const reply = async (at: number) => postAgentMessage({ db: db(), now: () => at }, { chatId: await chatId(), authorId: ana.id, text: 'Oi!' });
  const report = (from: string, to: string, tz = 'UTC') => reportOverview(db(), { from, to, tz, integrationId: integration.id });
  return { ana, integration, writes, reply, chatId, report };
}

const pending = async () => env.DB.prepare('SELECT count(*) AS n FROM report_business_pending').first<number>('n');

describe('first response time in business hours', () => {
  // São Paulo is UTC−3 all year. Friday 16 October 2026, 17:30 there → Monday the 19th, 09:15.
  const friday1730 = Date.UTC(2026, 9, 16, 20, 30);
  const monday0915 = Date.UTC(2026, 9, 19, 12, 15);
  const raw = monday0915 - friday1730; // 63 h 45 min

  it('counts only the open time of a reply across a weekend and a night', async () => {
    const c = await conversation(weekdays9to6('America/Sao_Paulo'));
    await c.writes(friday1730);
    await c.reply(monday0915); // 30 min on Friday + 15 min on Monday
    await c.reply(monday0915 + 5 * MIN); // not a first response
    expect(await pending()).toBe(0); // timed in the reply's own batch

    const r = await c.report('2026-10-19', '2026-10-19', 'America/Sao_Paulo');
    expect(r.figures.firstResponse).toMatchObject({ count: 1, avgMs: raw });
    expect(r.figures.firstResponseBusiness).toMatchObject({ count: 1, avgMs: 45 * MIN });
    expect(Math.abs(r.figures.firstResponseBusiness.p50Ms! - 45 * MIN) / (45 * MIN)).toBeLessThan(0.09); // from its own histogram
    expect(r.series.firstResponseBusinessAvgMs).toEqual([45 * MIN]);
    expect(r.managers.find((m) => m.userId === c.ana.id)!.firstResponseBusiness).toMatchObject({ count: 1, avgMs: 45 * MIN });

    // A night: Tuesday 22:00 → Wednesday 09:30 is 11 h 30 min, 30 min of it open.
    await closeChat({ db: db(), now: () => monday0915 + HOUR }, await setupAdmin(), await c.chatId());
    await c.writes(Date.UTC(2026, 9, 21, 1, 0));
    await c.reply(Date.UTC(2026, 9, 21, 12, 30));
    const night = await c.report('2026-10-21', '2026-10-21', 'America/Sao_Paulo');
    expect(night.figures.firstResponse).toMatchObject({ count: 1, avgMs: 11.5 * HOUR });
    expect(night.figures.firstResponseBusiness).toMatchObject({ count: 1, avgMs: 30 * MIN });

    const csv = overviewCsv(night);
    expect(csv).toContain('first response (business hours) average (s),1800,');
    expect(csv).toContain('first response average (s),41400,');
  });

  it('equals the raw time when the integration has no business hours', async () => {
    const c = await conversation(null);
    await c.writes(friday1730);
    await c.reply(monday0915);
    const r = await c.report('2026-10-19', '2026-10-19', 'America/Sao_Paulo');
    expect(r.figures.firstResponse).toMatchObject({ count: 1, avgMs: raw });
    expect(r.figures.firstResponseBusiness).toEqual(r.figures.firstResponse);
    expect(r.series.firstResponseBusinessAvgMs).toEqual(r.series.firstResponseAvgMs);
  });

  it('reads the open hours on the wall clock across a daylight-saving change', async () => {
    // New York springs forward on Sunday 8 March 2026. Open every day 09:00–18:00 local.
    const c = await conversation(weekdays9to6('America/New_York', ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']));
    await c.writes(Date.UTC(2026, 2, 7, 22, 0)); // Saturday 17:00 EST
    await c.reply(Date.UTC(2026, 2, 9, 14, 0)); // Monday 10:00 EDT
    const r = await c.report('2026-03-09', '2026-03-09', 'America/New_York');
    expect(r.figures.firstResponse).toMatchObject({ count: 1, avgMs: 40 * HOUR });
    // Saturday 17–18 + Sunday 9–18 + Monday 9–10; a fixed EST offset would make Monday's part 0 (10 h in all).
    expect(r.figures.firstResponseBusiness).toMatchObject({ count: 1, avgMs: 11 * HOUR });
  });

  it("counts a reopened conversation's first reply as a new first response", async () => {
    const c = await conversation(weekdays9to6('America/Sao_Paulo'));
    const monday1000 = Date.UTC(2026, 9, 19, 13, 0);
    await c.writes(monday1000);
    await c.reply(monday1000 + 5 * MIN); // 5 min
    await closeChat({ db: db(), now: () => monday1000 + HOUR }, await setupAdmin(), await c.chatId());
    await c.writes(Date.UTC(2026, 9, 19, 20, 50)); // the client reopens it at 17:50
    await c.writes(Date.UTC(2026, 9, 19, 21, 30)); // and writes again at 18:30: the first message stays 17:50
    await c.reply(Date.UTC(2026, 9, 20, 12, 10)); // Tuesday 09:10: 10 + 10 min open
    await c.reply(Date.UTC(2026, 9, 20, 12, 20)); // not a first response
    expect(await pending()).toBe(0);

    const r = await c.report('2026-10-19', '2026-10-20', 'America/Sao_Paulo');
    expect(r.figures.reopened).toBe(1);
    expect(r.figures.firstResponse).toMatchObject({ count: 2, avgMs: Math.round((5 * MIN + 15 * HOUR + 20 * MIN) / 2) });
    expect(r.figures.firstResponseBusiness).toMatchObject({ count: 2, avgMs: Math.round((5 * MIN + 20 * MIN) / 2) });
    expect(r.series.firstResponseBusinessAvgMs).toEqual([5 * MIN, 20 * MIN]);
  });
});
