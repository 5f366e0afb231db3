/**
 * Ingest on a real weekly schedule with a chosen clock: the out-of-office reply outside hours (new,
 * open and reopened chats), the auto-reply inside, the greeting at any hour; and the burst read walks
 * the messages_timeline index, never the whole table.
 */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { database } from '../../../worker/data/db';
import { chatEvents, chats, messages, originCodes } from '../../../worker/data/schema';
import { clientText, db, ingest, ingestDeps, makeIntegration, uniq } from '../../support/factory';
import { close } from '../../support/chat-world';
import { recordingD1, type Recorded } from '../../support/recording-d1';

const weekdays = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ from: '09:00', to: '18:00' }]]));
const hours = JSON.stringify({ timeZone: 'America/Sao_Paulo', weekly: weekdays, holidays: ['2026-12-25'], outOfOfficeText: 'Voltamos segunda às 9h.' });
const SATURDAY_NOON = Date.parse('2026-12-05T15:00:00Z'); // 12:00 in São Paulo
const MONDAY_TEN = Date.parse('2026-12-07T13:00:00Z'); // 10:00 in São Paulo
const CHRISTMAS_TEN = Date.parse('2026-12-25T13:00:00Z'); // a Friday, a holiday

async function botMessages(integrationId: string, client: string) {
  const chat = await db().select({ id: chats.id }).from(chats).where(and(eq(chats.integrationId, integrationId), eq(chats.externalChatId, client))).get();
  const rows = await db().select({ origin: messages.origin }).from(messages).where(and(eq(messages.chatId, chat!.id), eq(messages.direction, 'out'))).orderBy(messages.createdAt).all();
  const events = await db().select({ type: chatEvents.type }).from(chatEvents).where(eq(chatEvents.chatId, chat!.id)).all();
  return { chatId: chat!.id, origins: rows.map((r) => r.origin), events: events.map((e) => e.type) };
}

const at = (t: number) => ({ ...ingestDeps(), now: () => t });

describe('ingest on business hours', () => {
  it('Saturday: the out-of-office reply, once; Monday 10:00 a new client gets the auto-reply', async () => {
    const integration = await makeIntegration({ businessHours: hours, autoReplyText: 'Um gestor responde já.', greetingText: 'Olá!' });
    const client = uniq();
    await ingest(integration, clientText(client, '/start', { start: true }), at(SATURDAY_NOON - 1000));
    await ingest(integration, clientText(client, 'Olá?'), at(SATURDAY_NOON));
    await ingest(integration, clientText(client, 'Alguém?'), at(SATURDAY_NOON + 60_000));
    const saturday = await botMessages(integration.id, client);
    // The greeting answers /start at any hour; the first text gets the out-of-office text, not the auto-reply.
    expect(saturday.origins).toEqual(['greeting', 'out_of_office']);
    expect(saturday.events).toContain('out_of_office_sent');

    // Monday inside hours: the open chat's next message gets nothing (as before hours existed).
    await ingest(integration, clientText(client, 'Bom dia'), at(MONDAY_TEN));
    expect((await botMessages(integration.id, client)).origins).toEqual(['greeting', 'out_of_office']);
    const other = uniq();
    await ingest(integration, clientText(other, 'Olá'), at(MONDAY_TEN));
    expect((await botMessages(integration.id, other)).origins).toEqual(['auto_reply']);
  });

  it('a holiday is closed: a chat reopened on it gets the out-of-office reply instead of the auto-reply', async () => {
    const integration = await makeIntegration({ businessHours: hours, autoReplyText: 'Um gestor responde já.' });
    const client = uniq();
    await ingest(integration, clientText(client, 'Olá'), at(MONDAY_TEN));
    const { chatId } = await botMessages(integration.id, client);
    await close(chatId);
    await ingest(integration, clientText(client, 'Feliz Natal! Uma dúvida'), at(CHRISTMAS_TEN));
    const after = await botMessages(integration.id, client);
    expect(after.origins).toEqual(['auto_reply', 'out_of_office']);
    expect(after.events).toContain('reopened');
  });

  it('messages of one client planned at the same moment outside hours get one out-of-office reply', async () => {
    const integration = await makeIntegration({ businessHours: hours });
    const client = uniq();
    await ingest(integration, clientText(client, 'Olá'), at(MONDAY_TEN - 1000));
    expect((await botMessages(integration.id, client)).origins).toEqual([]);
    await Promise.all([1, 2, 3, 4, 5].map((n) => ingest(integration, clientText(client, `sábado ${n}`), at(SATURDAY_NOON + n))));
    const after = await botMessages(integration.id, client);
    expect(after.origins).toEqual(['out_of_office']);
    expect(after.events.filter((e) => e === 'out_of_office_sent')).toHaveLength(1);
    const stored = await db().select().from(messages).where(eq(messages.chatId, after.chatId)).all();
    expect(stored.filter((m) => m.origin === 'client')).toHaveLength(6);
    const event = await db().select().from(chatEvents).where(and(eq(chatEvents.chatId, after.chatId), eq(chatEvents.type, 'out_of_office_sent'))).get();
    expect(event!.data).toEqual({ messageId: stored.find((m) => m.origin === 'out_of_office')!.id });
  });

  it('the burst read uses the messages_timeline index', async () => {
    const integration = await makeIntegration({ businessHours: hours });
    const client = uniq();
    await ingest(integration, clientText(client, 'Olá'), at(SATURDAY_NOON));
    const log: Recorded[] = [];
    await ingest(integration, clientText(client, 'De novo'), { ...at(SATURDAY_NOON + 1000), db: database(recordingD1(env.DB, log)) });
    const burstReads = log.filter((r) => r.sql.includes(`o.origin = '${originCodes.out_of_office}'`));
    expect(burstReads.length).toBeGreaterThan(0);
    for (const r of burstReads) {
      const plan = (await env.DB.prepare(`EXPLAIN QUERY PLAN ${r.sql}`).bind(...r.params).all<{ detail: string }>()).results.map((x) => x.detail);
      expect(plan.join('\n')).toMatch(/messages_timeline/);
      expect(plan.some((line) => /^SCAN (messages|o|a)\b/.test(line)), plan.join('\n')).toBe(false);
    }
    expect((await botMessages(integration.id, client)).origins).toEqual(['out_of_office']);
  });
});
