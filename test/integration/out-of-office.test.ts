/**
 * Business hours through the real webhook handler: outside hours a client's message gets the
 * out-of-office text instead of the auto-reply, once per burst (until a manager replies, or 12 hours),
 * inside hours the auto-reply as before; PATCH /api/integrations/:id carries the hours.
 */
import { env } from 'cloudflare:workers';
import { and, eq, sql } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { chatEvents, chats, integrations, messages } from '../../worker/data/schema';
import { encryptToken } from '../../worker/domain/integrations';
import { MAX_HOLIDAYS, MAX_RANGES_PER_DAY, type BusinessHoursInput } from '../../worker/shared/business-hours';
import { db, makeIntegration, makeUser } from '../support/factory';
import { call, loginAs } from '../support/http';
import { messengerFake, TELEGRAM_TOKEN, type MessengerFake } from '../support/messenger-fake';
import { tg, TG_SECRET } from '../support/webhook-calls';

const closedAlways: BusinessHoursInput = { timeZone: 'America/Sao_Paulo', weekly: {}, outOfOfficeText: 'Estamos fechados. Respondemos amanhã às 9h.' };
const openAlways: BusinessHoursInput = {
  timeZone: 'Europe/Lisbon', outOfOfficeText: 'Fechado',
  weekly: Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [{ from: '00:00', to: '24:00' }]])),
};

let updateId = 4_200_000;
function text(clientId: number, body: string) {
  const id = ++updateId;
  const from = { id: clientId, is_bot: false, first_name: 'Rita' };
  return JSON.stringify({ update_id: id, message: { message_id: id, from, chat: { ...from, type: 'private' }, date: 1764590000, text: body } });
}

async function bot(businessHours: BusinessHoursInput | null, autoReplyText = 'Obrigado! Um gestor responde já.') {
  return makeIntegration({
    channel: 'telegram', tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, TELEGRAM_TOKEN), webhookSecret: TG_SECRET, autoReplyText,
    businessHours: businessHours ? JSON.stringify(businessHours) : null,
  });
}

async function chatOf(integrationId: string, clientId: number) {
  const chat = await db().select().from(chats).where(and(eq(chats.integrationId, integrationId), eq(chats.externalChatId, String(clientId)))).get();
  const rows = chat ? await db().select().from(messages).where(eq(messages.chatId, chat.id)).orderBy(messages.createdAt, messages.id).all() : [];
  const events = chat ? (await db().select({ type: chatEvents.type }).from(chatEvents).where(eq(chatEvents.chatId, chat.id)).all()).map((e) => e.type) : [];
  return { chat: chat!, origins: rows.map((m) => m.origin), rows, events };
}
const count = (list: string[], what: string) => list.filter((x) => x === what).length;

let fake: MessengerFake;
let admin: string;
beforeAll(async () => {
  const user = await makeUser('admin');
  admin = await loginAs(user.email, user.password);
});
beforeEach(() => {
  fake = messengerFake().install();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('out of office', () => {
  it('outside hours: the out-of-office text instead of the auto-reply, once per burst', async () => {
    const { id } = await bot(closedAlways);
    const client = 7001;
    expect((await tg(id, text(client, 'Olá, estão abertos?'))).status).toBe(200);
    let chat = await chatOf(id, client);
    expect(chat.origins).toEqual(['client', 'out_of_office']);
    expect(chat.rows[1].text).toBe(closedAlways.outOfOfficeText);
    expect(chat.events).toContain('out_of_office_sent');
    expect(chat.events).not.toContain('auto_reply_sent');

    // The same burst: more messages (the second on the warm one-round-trip path) get nothing more.
    expect((await tg(id, text(client, 'Preciso de ajuda com a encomenda'))).status).toBe(200);
    expect((await tg(id, text(client, 'Alguém?'))).status).toBe(200);
    chat = await chatOf(id, client);
    expect(chat.origins).toEqual(['client', 'out_of_office', 'client', 'client']);

    // It goes out through the outbox like any reply.
    await vi.waitFor(async () => expect((await chatOf(id, client)).rows[1].status).toBe('sent'), { timeout: 10_000, interval: 100 });
    expect(fake.sent('sendMessage').some((c) => c.params.chat_id === client && c.params.text === closedAlways.outOfOfficeText)).toBe(true);

    // A manager's reply ends the burst: the client's next message outside hours starts a new one.
    expect((await call('POST', `/api/chats/${chat.chat.id}/messages`, { cookie: admin, body: { text: 'Vejo amanhã, Rita.' } })).status).toBe(202);
    expect((await tg(id, text(client, 'Obrigada!'))).status).toBe(200);
    expect((await tg(id, text(client, 'Até amanhã'))).status).toBe(200);
    chat = await chatOf(id, client);
    expect(count(chat.origins, 'out_of_office')).toBe(2);
    expect(count(chat.events, 'out_of_office_sent')).toBe(2);

    // Twelve hours after the last out-of-office reply the burst is over even without a reply.
    await db().update(messages).set({ createdAt: sql`${messages.createdAt} - ${13 * 3_600_000}` }).where(eq(messages.chatId, chat.chat.id));
    expect((await tg(id, text(client, 'Bom dia?'))).status).toBe(200);
    chat = await chatOf(id, client);
    expect(count(chat.origins, 'out_of_office')).toBe(3);
    expect(count(chat.origins, 'auto_reply')).toBe(0);
  });

  it('inside hours: the auto-reply, no out-of-office text', async () => {
    const { id } = await bot(openAlways);
    expect((await tg(id, text(7002, 'Olá'))).status).toBe(200);
    expect((await tg(id, text(7002, 'Tudo bem?'))).status).toBe(200);
    const chat = await chatOf(id, 7002);
    expect(chat.origins).toEqual(['client', 'auto_reply', 'client']);
    expect(chat.events).not.toContain('out_of_office_sent');
  });

  it('outside hours without an out-of-office text: no auto-reply either', async () => {
    const { id } = await bot({ ...closedAlways, outOfOfficeText: '' });
    expect((await tg(id, text(7003, 'Olá'))).status).toBe(200);
    expect((await chatOf(id, 7003)).origins).toEqual(['client']);
  });

  it('a change of hours applies at once, though the isolate keeps the integration row it read', async () => {
    const { id } = await bot(openAlways);
    expect((await tg(id, text(7004, 'Olá'))).status).toBe(200);
    expect((await tg(id, text(7004, 'Outra'))).status).toBe(200);
    const patched = await call('PATCH', `/api/integrations/${id}`, { cookie: admin, body: { businessHours: closedAlways } });
    expect(patched.status).toBe(200);
    expect((await tg(id, text(7004, 'E agora?'))).status).toBe(200);
    expect((await chatOf(id, 7004)).origins).toEqual(['client', 'auto_reply', 'client', 'client', 'out_of_office']);
  });
});

describe('PATCH /api/integrations/:id businessHours', () => {
  const day = (n: number) => Array.from({ length: n }, (_, i) => ({ from: `${String(i * 3).padStart(2, '0')}:00`, to: `${String(i * 3 + 2).padStart(2, '0')}:30` }));
  const holidays = (n: number) => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10));

  it('stores the hours at every maximum, GET shows them, other fields keep their meaning, null clears', async () => {
    const { id } = await bot(null);
    const full = { timeZone: 'America/Sao_Paulo', weekly: { mon: day(MAX_RANGES_PER_DAY), fri: [{ from: '22:00', to: '02:00' }] }, holidays: holidays(MAX_HOLIDAYS), outOfOfficeText: 'Fora do horário' };
    const res = await call('PATCH', `/api/integrations/${id}`, { cookie: admin, body: { businessHours: full } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { businessHours: { weekly: Record<string, unknown[]>; holidays: string[] } };
    expect(body.businessHours.weekly.mon).toHaveLength(MAX_RANGES_PER_DAY);
    expect(body.businessHours.weekly.sun).toEqual([]);
    expect(body.businessHours.holidays).toHaveLength(MAX_HOLIDAYS);

    // A PATCH without businessHours leaves them alone.
    expect((await call('PATCH', `/api/integrations/${id}`, { cookie: admin, body: { autoReplyText: 'Já vamos' } })).status).toBe(200);
    const list = (await (await call('GET', '/api/integrations', { cookie: admin })).json()) as { id: string; autoReplyText: string; businessHours: { outOfOfficeText: string } | null }[];
    expect(list.find((i) => i.id === id)).toMatchObject({ autoReplyText: 'Já vamos', businessHours: { outOfOfficeText: 'Fora do horário', timeZone: 'America/Sao_Paulo' } });

    const cleared = await call('PATCH', `/api/integrations/${id}`, { cookie: admin, body: { businessHours: null } });
    expect(((await cleared.json()) as { businessHours: unknown }).businessHours).toBeNull();
    expect((await db().select({ b: integrations.businessHours }).from(integrations).where(eq(integrations.id, id)).get())!.b).toBeNull();
  });

  it.each([
    ['one range too many', { timeZone: 'UTC', weekly: { mon: day(MAX_RANGES_PER_DAY + 1) } }],
    ['one holiday too many', { timeZone: 'UTC', holidays: holidays(MAX_HOLIDAYS + 1) }],
    ['an unknown zone', { timeZone: 'Mars/Olympus_Mons' }],
    ['a bad time', { timeZone: 'UTC', weekly: { mon: [{ from: '9:00', to: '18:00' }] } }],
    ['no zone', { weekly: {} }],
  ])('refuses %s with 400 and changes nothing', async (_what, businessHours) => {
    const { id } = await bot(closedAlways);
    const res = await call('PATCH', `/api/integrations/${id}`, { cookie: admin, body: { businessHours } });
    expect(res.status).toBe(400);
    expect(JSON.parse((await db().select({ b: integrations.businessHours }).from(integrations).where(eq(integrations.id, id)).get())!.b!)).toEqual(closedAlways);
  });

  it('an employee may not change them', async () => {
    const { id } = await bot(null);
    const ana = await makeUser('employee');
    const res = await call('PATCH', `/api/integrations/${id}`, { cookie: await loginAs(ana.email, ana.password), body: { businessHours: closedAlways } });
    expect(res.status).toBe(403);
  });
});
