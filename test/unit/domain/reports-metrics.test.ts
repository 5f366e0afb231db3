/**
 * Every report metric on hand-built conversations, written through the real domain functions (ingest,
 * replies, close, reopen, assignment) with a chosen clock, then read back through reportOverview.
 */
import { describe, expect, it } from 'vitest';
import { closeChat, reopenChat, setResponsible } from '../../../worker/domain/chats';
import { postAgentMessage } from '../../../worker/domain/outbound';
import { askOnClose, rateWrite } from '../../../worker/domain/csat';
import { reportOverview } from '../../../worker/domain/reports';
import { clientText, db, ingest, ingestDeps, makeIntegration, makeUser, uniq } from '../../support/factory';
import { setupAdmin } from '../../support/chat-world';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** A client of `integration` whose texts arrive at chosen times, the queue giving new chats to `pick`. */
function clientOf(integration: Awaited<ReturnType<typeof makeIntegration>>, pick: () => string | null) {
  const client = uniq();
  return (at: number, text = 'Olá') => ingest(integration, clientText(client, text), { ...ingestDeps(async () => pick()), now: () => at });
}
const chatIdOf = async (integrationId: string) =>
  (await db().$client.prepare('SELECT id FROM chats WHERE integration_id = ? ORDER BY started_at DESC LIMIT 1').bind(integrationId).first<{ id: string }>())!.id;
const reply = (chatId: string, authorId: string, at: number) => postAgentMessage({ db: db(), now: () => at }, { chatId, authorId, text: 'Oi!' });
const at = (deps: number) => ({ db: db(), now: () => deps });

describe('report metrics', () => {
  it('counts a conversation, its reopening and every duration for the right manager', async () => {
    const admin = await setupAdmin();
    const ana = await makeUser('employee');
    const bruno = await makeUser('employee');
    const integration = await makeIntegration();
    const t0 = Date.UTC(2026, 9, 14, 10, 0);
    const writes = clientOf(integration, () => ana.id);

    await writes(t0); // new chat, to Ana
    const chatId = await chatIdOf(integration.id);
    await writes(t0 + MIN); // a second text: the conversation's first message stays the first
    await reply(chatId, ana.id, t0 + 5 * MIN); // first response: 5 min
    await reply(chatId, ana.id, t0 + 6 * MIN); // not a first response
    await closeChat(at(t0 + HOUR), admin, chatId); // resolution: 60 min, Ana's
    await writes(t0 + 2 * HOUR); // the client reopens it: back to Ana
    await reply(chatId, bruno.id, t0 + 2 * HOUR + 10 * MIN); // Bruno answers first this time: 10 min, his

    const r = await reportOverview(db(), { from: '2026-10-14', to: '2026-10-14', integrationId: integration.id });
    expect(r.figures).toMatchObject({ newChats: 1, reopened: 1, closed: 1, messagesIn: 3, messagesOut: 3, replies: 3, openNow: 1 });
    expect(r.figures.firstResponse).toMatchObject({ count: 2, avgMs: 7.5 * MIN });
    // Percentiles come from the log buckets: within 9% of the true median (5 min) and 90th (10 min).
    expect(Math.abs(r.figures.firstResponse.p50Ms! - 5 * MIN) / (5 * MIN)).toBeLessThan(0.09);
    expect(Math.abs(r.figures.firstResponse.p90Ms! - 10 * MIN) / (10 * MIN)).toBeLessThan(0.09);
    expect(r.figures.resolution).toMatchObject({ count: 1, avgMs: HOUR });
    expect(r.figures.unassignedWait.count).toBe(0);
    expect(r.figures.firstResponseBusiness).toEqual(r.figures.firstResponse); // no business hours: the raw time

    const row = (id: string) => r.managers.find((m) => m.userId === id)!;
    expect(row(ana.id)).toMatchObject({ newChats: 1, reopened: 1, closed: 1, messagesIn: 3, replies: 2, openNow: 1 });
    expect(row(ana.id).firstResponse).toMatchObject({ count: 1, avgMs: 5 * MIN });
    expect(row(bruno.id)).toMatchObject({ replies: 1, closed: 0, openNow: 0 });
    expect(row(bruno.id).firstResponse).toMatchObject({ count: 1, avgMs: 10 * MIN });

    // A manager filter narrows every figure to that manager.
    const onlyBruno = await reportOverview(db(), { from: '2026-10-14', to: '2026-10-14', integrationId: integration.id, userId: bruno.id });
    expect(onlyBruno.figures).toMatchObject({ newChats: 0, replies: 1, messagesIn: 0, closed: 0 });
    expect(onlyBruno.figures.firstResponse.count).toBe(1);
  });

  it('measures the wait without a manager and credits reassignment to whoever got the chat', async () => {
    const admin = await setupAdmin();
    const ana = await makeUser('employee');
    const bruno = await makeUser('employee');
    const integration = await makeIntegration();
    const t0 = Date.UTC(2026, 9, 15, 9, 0);
    await clientOf(integration, () => null)(t0); // nobody available: unassigned
    const chatId = await chatIdOf(integration.id);
    await setResponsible(at(t0 + 3 * MIN), admin, chatId, bruno.id); // waited 3 min, Bruno ended it
    await setResponsible(at(t0 + 10 * MIN), admin, chatId, null); // back to nobody
    await setResponsible(at(t0 + 15 * MIN), admin, chatId, ana.id); // waited 5 min, Ana ended it
    await setResponsible(at(t0 + 20 * MIN), admin, chatId, bruno.id); // a reassignment is no wait
    await reply(chatId, bruno.id, t0 + 30 * MIN); // first response 30 min after the client's text
    await closeChat(at(t0 + 40 * MIN), admin, chatId);
    await reopenChat(at(t0 + 50 * MIN), admin, chatId); // by hand, back to Bruno
    await setResponsible(at(t0 + 55 * MIN), admin, chatId, null);
    await closeChat(at(t0 + 58 * MIN), admin, chatId); // a wait that ends in a close is not counted

    const r = await reportOverview(db(), { from: '2026-10-15', to: '2026-10-15', integrationId: integration.id });
    expect(r.figures).toMatchObject({ newChats: 1, reopened: 1, closed: 2, messagesIn: 1, replies: 1, openNow: 0 });
    expect(r.figures.unassignedWait).toMatchObject({ count: 2, avgMs: 4 * MIN });
    expect(r.figures.resolution).toMatchObject({ count: 2, avgMs: Math.round((40 * MIN + 8 * MIN) / 2) });
    expect(r.figures.firstResponse).toMatchObject({ count: 1, avgMs: 30 * MIN });
    const row = (id: string | null) => r.managers.find((m) => m.userId === id)!;
    expect(row(null).newChats).toBe(1); // the new chat went to nobody
    expect(row(bruno.id)).toMatchObject({ reopened: 1, closed: 1, replies: 1 });
    expect(row(bruno.id).unassignedWait).toMatchObject({ count: 1, avgMs: 3 * MIN });
    expect(row(ana.id).unassignedWait).toMatchObject({ count: 1, avgMs: 5 * MIN });
    expect(row(null).closed).toBe(1); // closed while nobody had it
  });

  it('puts activity near midnight on the viewer\'s day, across a DST change, and compares with the period before', async () => {
    const ana = await makeUser('employee');
    const integration = await makeIntegration();
    const writes = (at: number) => clientOf(integration, () => ana.id)(at);
    // New York springs forward on 2026-03-08: that local day is 23 hours (05:00Z → 04:00Z next day).
    await writes(Date.UTC(2026, 2, 8, 4, 30)); // 23:30 EST on the 7th
    await writes(Date.UTC(2026, 2, 8, 5, 30)); // 00:30 EST on the 8th
    await writes(Date.UTC(2026, 2, 9, 3, 30)); // 23:30 EDT on the 8th
    await writes(Date.UTC(2026, 2, 9, 4, 30)); // 00:30 EDT on the 9th
    await writes(Date.UTC(2026, 2, 5, 12, 0)); // the previous period (5–7 March)

    const ny = await reportOverview(db(), { from: '2026-03-07', to: '2026-03-09', tz: 'America/New_York', integrationId: integration.id });
    expect(ny.series.days).toEqual(['2026-03-07', '2026-03-08', '2026-03-09']);
    expect(ny.series.newChats).toEqual([1, 2, 1]);
    const utc = await reportOverview(db(), { from: '2026-03-07', to: '2026-03-09', integrationId: integration.id });
    expect(utc.series.newChats).toEqual([0, 2, 2]);
    // São Paulo (UTC−3, no DST): its 8 March is 03:00Z → 03:00Z, so 03:30Z on the 9th is already the 9th there.
    const sp = await reportOverview(db(), { from: '2026-03-08', to: '2026-03-09', tz: 'America/Sao_Paulo', integrationId: integration.id });
    expect(sp.series.newChats).toEqual([2, 2]);
    // The previous period of 8–9 March in New York is 6–7 March: the chat of the 5th is outside it.
    const two = await reportOverview(db(), { from: '2026-03-08', to: '2026-03-09', tz: 'America/New_York', integrationId: integration.id });
    expect(two.range).toMatchObject({ previousFrom: '2026-03-06', previousTo: '2026-03-07' });
    expect(two.figures.newChats).toBe(3);
    expect(two.previous.newChats).toBe(1);
  });

  it('averages the CSAT answers of the period under the manager rated', async () => {
    const admin = await setupAdmin();
    const ana = await makeUser('employee');
    const bruno = await makeUser('employee');
    const integration = await makeIntegration({ csatEnabled: true });
    const t0 = Date.UTC(2026, 8, 1, 23, 0);
    const rated = async (managerId: string, rating: number, at: number) => {
      await clientOf(integration, () => managerId)(at);
      const chatId = await chatIdOf(integration.id);
      await closeChat({ db: db(), now: () => at + MIN }, admin, chatId);
      const asked = await askOnClose({ db: db(), now: () => at + MIN }, chatId);
      await db().batch([rateWrite(db(), asked.surveyId!, rating, at + 2 * MIN)]);
      await db().batch([rateWrite(db(), asked.surveyId!, 1, at + 3 * MIN)]); // a second press changes nothing
    };
    await rated(ana.id, 4, t0);
    await rated(bruno.id, 5, t0 + 10 * MIN);
    await rated(ana.id, 2, t0 + 90 * MIN); // rated on 2 September (UTC)
    const r = await reportOverview(db(), { from: '2026-09-01', to: '2026-09-01', integrationId: integration.id });
    expect(r.figures.csat).toEqual({ count: 2, average: 4.5 });
    expect(r.managers.find((m) => m.userId === ana.id)!.csat).toEqual({ count: 1, average: 4 });
    const next = await reportOverview(db(), { from: '2026-09-02', to: '2026-09-02', integrationId: integration.id });
    expect(next.figures.csat).toEqual({ count: 1, average: 2 });
    expect(next.previous.csat).toEqual({ count: 2, average: 4.5 });
  });

  it('narrows by channel and refuses a reversed, too long or unknown-zone range', async () => {
    const ana = await makeUser('employee');
    const viber = await makeIntegration({ channel: 'viber' });
    const t0 = Date.UTC(2026, 6, 1, 12);
    await clientOf(viber, () => ana.id)(t0);
    const onViber = await reportOverview(db(), { from: '2026-07-01', to: '2026-07-01', channel: 'viber', userId: ana.id });
    expect(onViber.figures.newChats).toBe(1);
    const onTelegram = await reportOverview(db(), { from: '2026-07-01', to: '2026-07-01', channel: 'telegram', userId: ana.id });
    expect(onTelegram.figures.newChats).toBe(0);
    await expect(reportOverview(db(), { from: '2026-07-02', to: '2026-07-01' })).rejects.toMatchObject({ status: 400, code: 'invalid_range' });
    await expect(reportOverview(db(), { from: '2025-01-01', to: '2026-01-02' })).rejects.toMatchObject({ status: 400, code: 'range_too_long' });
    await expect(reportOverview(db(), { from: '2025-01-01', to: '2026-01-01' })).resolves.toBeTruthy(); // 366 days: the maximum
    await expect(reportOverview(db(), { from: '2026-07-01', to: '2026-07-01', tz: 'Mars/Olympus' })).rejects.toMatchObject({ status: 400, code: 'invalid_time_zone' });
  });
});
