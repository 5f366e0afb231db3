/**
 * Issue 16 parts 3–4 through the Worker: the survey end to end with the real-shaped webhooks (a
 * Telegram callback_query, a Viber keyboard reply), the bot setting, and the edit / delete routes by
 * role, messenger and input.
 */
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { chats, csatRatings, messages } from '../../worker/data/schema';
import { encryptToken } from '../../worker/domain/integrations';
import { deliverMessage, postAgentMessage } from '../../worker/domain/outbound';
import { hmacSha256Hex } from '../../worker/messengers/crypto';
import { db, makeIntegration } from '../support/factory';
import { call } from '../support/http';
import { makeTeam, type Team, type TeamCookies } from '../support/team';
import { tg, TG_SECRET, vb } from '../support/webhook-calls';
import { messengerFake, TELEGRAM_TOKEN, VIBER_TOKEN, type MessengerFake } from '../support/messenger-fake';
import tgText from '../fixtures/telegram-text.json?raw';
import tgPress from '../fixtures/telegram-callback-query-csat.json?raw';
import vbText from '../fixtures/viber-message-text.json?raw';
import vbPress from '../fixtures/viber-message-keyboard-reply.json?raw';

const people = {} as Team;
const cookie = {} as TeamCookies;
beforeAll(() => makeTeam(people, cookie));

let fake: MessengerFake;
beforeEach(() => {
  fake = messengerFake().install();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function bot(channel: 'telegram' | 'viber', over: Parameters<typeof makeIntegration>[0] = {}) {
  const token = channel === 'telegram' ? TELEGRAM_TOKEN : VIBER_TOKEN;
  return makeIntegration({ channel, name: 'Loja Exemplo', tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, token), webhookSecret: channel === 'telegram' ? TG_SECRET : '', ...over });
}
const chatOf = async (integrationId: string) => (await db().select().from(chats).where(eq(chats.integrationId, integrationId)).get())!;
const card = async (chatId: string) => (await call('GET', `/api/chats/${chatId}`, { cookie: cookie.admin })).json() as Promise<Record<string, unknown>>;

describe('satisfaction survey through the webhooks', () => {
  it('Telegram: closing asks; the callback_query fixture rates 4, is answered, and shows in the card and the timeline', async () => {
    const integration = await bot('telegram', { csatEnabled: true });
    expect((await tg(integration.id, tgText)).status).toBe(200);
    const chat = await chatOf(integration.id);
    expect((await call('POST', `/api/chats/${chat.id}/close`, { cookie: cookie.ana })).status).toBe(200);
    expect(await card(chat.id)).toMatchObject({ csat: { state: 'asked', rating: null }, replyChanges: { edit: true, deleteWithinHours: 48 } });

    expect((await tg(integration.id, tgPress)).status).toBe(200);
    expect(fake.sent('answerCallbackQuery').map((c) => c.params)).toEqual([{ callback_query_id: '4382719465038276154', text: 'Thank you!' }]);
    expect(await card(chat.id)).toMatchObject({ status: 'closed', csat: { state: 'rated', rating: 4, comment: null } });
    const timeline = (await (await call('GET', `/api/chats/${chat.id}/timeline`, { cookie: cookie.admin })).json()) as { items: { kind: string; type?: string; data?: unknown; origin?: string }[] };
    expect(timeline.items.filter((i) => i.type === 'csat_rated').map((i) => i.data)).toEqual([expect.objectContaining({ rating: 4 })]);
    expect(timeline.items.filter((i) => i.origin === 'csat')).toHaveLength(2);

    // A redelivery of the same update changes nothing and is not answered again.
    expect((await tg(integration.id, tgPress)).status).toBe(200);
    expect(fake.sent('answerCallbackQuery')).toHaveLength(1);
    expect(await db().select().from(csatRatings).where(eq(csatRatings.chatId, chat.id)).all()).toHaveLength(1);
  });

  it('Viber: the keyboard reply fixture (text "4" with our tracking_data) rates the closed chat', async () => {
    const integration = await bot('viber', { csatEnabled: true });
    const sign = (raw: string) => hmacSha256Hex(VIBER_TOKEN, raw);
    expect((await vb(integration.id, vbText, await sign(vbText))).status).toBe(200);
    const chat = await chatOf(integration.id);
    await call('POST', `/api/chats/${chat.id}/close`, { cookie: cookie.admin });
    expect((await vb(integration.id, vbPress, await sign(vbPress))).status).toBe(200);
    expect(await card(chat.id)).toMatchObject({ status: 'closed', csat: { state: 'rated', rating: 4 }, replyChanges: null });
  });

  it('a bot that does not ask stores no survey on close', async () => {
    const integration = await bot('telegram');
    await tg(integration.id, tgText);
    const chat = await chatOf(integration.id);
    await call('POST', `/api/chats/${chat.id}/close`, { cookie: cookie.admin });
    expect(await card(chat.id)).toMatchObject({ csat: null });
  });

  it('PATCH /api/integrations/:id {csatEnabled}: admins only; a wrong type is 400 and changes nothing', async () => {
    const integration = await bot('telegram');
    const path = `/api/integrations/${integration.id}`;
    expect((await call('PATCH', path, { cookie: cookie.ana, body: { csatEnabled: true } })).status).toBe(403);
    expect((await call('PATCH', path, { cookie: cookie.admin, body: { csatEnabled: 'yes' } })).status).toBe(400);
    const res = await call('PATCH', path, { cookie: cookie.admin, body: { csatEnabled: true } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ csatEnabled: true });
  });
});

describe('PATCH / DELETE /api/chats/:id/messages/:messageId', () => {
  /** Ana's reply, delivered, in a chat of this channel. */
  async function anasReply(channel: 'telegram' | 'viber') {
    const integration = await bot(channel);
    if (channel === 'telegram') await tg(integration.id, tgText);
    else await vb(integration.id, vbText, await hmacSha256Hex(VIBER_TOKEN, vbText));
    const chat = await chatOf(integration.id);
    const { message } = await postAgentMessage({ db: db() }, { chatId: chat.id, authorId: people.ana.id, text: 'Entregamos em 48h.' });
    const messengers = { apiBase: (ch: string) => `http://${ch}.test`, encryptionKey: env.ENCRYPTION_KEY, fetch: fake.fetch };
    await deliverMessage({ db: db(), messengers, mediaUrl: async (k) => k }, message.id);
    return `/api/chats/${chat.id}/messages/${message.id}`;
  }
  const text = async (path: string) => (await db().select({ text: messages.text, deletedAt: messages.deletedAt }).from(messages).where(eq(messages.id, path.split('/').at(-1)!)).get())!;

  it('the author edits (202, the new text), another employee and the observer may not (403), an admin may', async () => {
    const path = await anasReply('telegram');
    expect((await call('PATCH', path, { cookie: cookie.bruno, body: { text: 'Bruno' } })).status).toBe(403);
    expect((await call('DELETE', path, { cookie: cookie.bruno })).status).toBe(403);
    // Olga observes nothing here: she does not even see the chat.
    expect((await call('PATCH', path, { cookie: cookie.olga, body: { text: 'Olga' } })).status).toBe(404);
    const own = await call('PATCH', path, { cookie: cookie.ana, body: { text: 'Entregamos em 24h.' } });
    expect(own.status).toBe(202);
    expect(await own.json()).toMatchObject({ text: 'Entregamos em 24h.', editedAt: expect.any(String) });
    expect((await call('PATCH', path, { cookie: cookie.admin, body: { text: 'Pelo admin' } })).status).toBe(202);
    const del = await call('DELETE', path, { cookie: cookie.admin });
    expect(del.status).toBe(202);
    expect(await del.json()).toMatchObject({ deletedAt: expect.any(String) });
  });

  it('bad input is 400 and changes nothing; the text may be 4,096 characters, not one more', async () => {
    const path = await anasReply('telegram');
    for (const body of [{}, { text: '' }, { text: '   ' }, { text: 5 }, { text: 'x'.repeat(4097) }]) {
      expect((await call('PATCH', path, { cookie: cookie.ana, body })).status).toBe(400);
    }
    expect(await text(path)).toEqual({ text: 'Entregamos em 48h.', deletedAt: null });
    expect((await call('PATCH', path, { cookie: cookie.ana, body: { text: 'y'.repeat(4096) } })).status).toBe(202);
    expect((await text(path)).text).toHaveLength(4096);
  });

  it('Viber: 409 not_supported for both, and the reply is untouched', async () => {
    const path = await anasReply('viber');
    const edit = await call('PATCH', path, { cookie: cookie.ana, body: { text: 'x' } });
    expect(edit.status).toBe(409);
    expect(await edit.json()).toMatchObject({ error: { code: 'not_supported' } });
    expect((await call('DELETE', path, { cookie: cookie.ana })).status).toBe(409);
    expect(await text(path)).toEqual({ text: 'Entregamos em 48h.', deletedAt: null });
  });

  it('an unknown message is 404', async () => {
    const path = await anasReply('telegram');
    const other = path.replace(/[^/]+$/, 'no-such-message');
    expect((await call('PATCH', other, { cookie: cookie.ana, body: { text: 'x' } })).status).toBe(404);
    expect((await call('DELETE', other, { cookie: cookie.ana })).status).toBe(404);
  });
});
