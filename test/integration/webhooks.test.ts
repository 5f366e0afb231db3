/**
 * POST /webhooks/{channel}/{id} with the protocol fixtures, byte for byte, through the Worker's real
 * fetch handler (waitUntil work included): verification, size limits, ingest, greeting / auto-reply,
 * media kept in R2, receipts.
 */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { chatEvents, chats, contactIdentities, contacts, messages } from '../../worker/data/schema';
import { encryptToken } from '../../worker/domain/integrations';
import { db, makeIntegration } from '../support/factory';
import { hook, stored, tg, TG_SECRET, vb } from '../support/webhook-calls';
import { messengerFake, TELEGRAM_TOKEN, VIBER_TOKEN, type MessengerFake } from '../support/messenger-fake';
import tgStart from '../fixtures/telegram-start.json?raw';
import tgText from '../fixtures/telegram-text.json?raw';
import tgPhoto from '../fixtures/telegram-photo.json?raw';
import tgEdited from '../fixtures/telegram-edited.json?raw';
import tgSecond from '../fixtures/telegram-from-second-user.json?raw';
import tgBlocked from '../fixtures/telegram-my-chat-member-blocked.json?raw';
import tgDeeplink from '../fixtures/telegram-start-deeplink.json?raw';
import vbWebhook from '../fixtures/viber-webhook.json?raw';
import vbStarted from '../fixtures/viber-conversation-started.json?raw';
import vbSubscribed from '../fixtures/viber-subscribed.json?raw';
import vbText from '../fixtures/viber-message-text.json?raw';
import vbPicture from '../fixtures/viber-message-picture.json?raw';
import vbDelivered from '../fixtures/viber-delivered.json?raw';
import vbSeen from '../fixtures/viber-seen.json?raw';
import vbFailed from '../fixtures/viber-failed.json?raw';
import vbUnsubscribed from '../fixtures/viber-unsubscribed.json?raw';

/** docs/viber.md §4.5, computed over the exact fixture bytes with VIBER_TOKEN. */
const SIG = {
  webhook: '532956fe7c567c34d76b24ec521fb9319c817b41ddc4f7b80d478005d76b3d05',
  started: 'f0aaffbb029477a8861caf0f2f04c6070b7ec4feb1a08f0a4ef747ef9f757761',
  subscribed: '46fecb513db11acc2adcc5770ddf942e4462e5f856e3620af41e2aabc3f9191a',
  text: '37c4ecbe05e5686182e08f59112bfa2d4c05562cd0fcb2008c3936cb702d1c34',
  picture: 'f1df85134e791f51efd8ca680ab078e25060491c32655605ff0253f3c52f2783',
  delivered: '556af779b26de041f29be520c5545d6006f7a19656476249b5afdca95d529c1d',
  seen: 'd65b6ee5008c34b8b9dc284a9776498c4d11e958cf51d0311ae0aa7d51273e0e',
  failed: '6399b9e981146baf5c2a12bbcd8754f9d79fd070fbc6ad4fecdf3eec445813b7',
  unsubscribed: '7f1536ff433805e615b3faaae72272ee483374de49d85456aaeb2259aee46a84',
};

async function chatOf(integrationId: string, externalChatId: string) {
  const chat = await db().select().from(chats).where(and(eq(chats.integrationId, integrationId), eq(chats.externalChatId, externalChatId))).get();
  const rows = chat ? await db().select().from(messages).where(eq(messages.chatId, chat.id)).orderBy(messages.createdAt, messages.id).all() : [];
  const events = chat ? (await db().select({ type: chatEvents.type }).from(chatEvents).where(eq(chatEvents.chatId, chat.id)).all()).map((e) => e.type) : [];
  return { chat, messages: rows, events };
}

let fake: MessengerFake;
beforeEach(() => {
  fake = messengerFake().install();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('Telegram webhook', () => {
  let id: string;
  beforeAll(async () => {
    const integration = await makeIntegration({
      channel: 'telegram', name: 'Loja Exemplo', tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, TELEGRAM_TOKEN), webhookSecret: TG_SECRET,
      greetingText: 'Olá! Bem-vindo à Loja Exemplo.', autoReplyText: 'Obrigado! Um gestor responde já.',
    });
    id = integration.id;
  });

  it('a forged or missing secret is 401 and stores nothing', async () => {
    const before = await stored(id);
    expect((await tg(id, tgStart, 'tg_wh_forged')).status).toBe(401);
    const missing = await hook(`/webhooks/telegram/${id}`, tgStart);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    // The body is parsed before the secret is checked, but a forged request still learns only "401":
    // a malformed body with a forged secret is 401, and with an unknown integration 404.
    expect((await tg(id, '{"not":"an update"', 'tg_wh_forged')).status).toBe(401);
    expect((await tg('nope', '{"not":"an update"')).status).toBe(404);
    expect(await stored(id)).toEqual(before);
  });

  it('/start from a new person: contact and chat, greeting once, delivered with sendMessage', async () => {
    const res = await tg(id, tgStart);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const { chat, messages: rows, events } = await chatOf(id, '5123456789');
    expect(chat).toMatchObject({ status: 'open', awaitingFirstText: true });
    const contact = await db().select().from(contacts).where(eq(contacts.id, chat!.contactId)).get();
    expect(contact).toMatchObject({ name: 'Ana Souza', username: 'ana_souza' });
    // Same millisecond: compare as a set (the timeline's tie-break is the random part of the id).
    expect(rows.map((m) => [m.direction, m.origin, m.text]).sort()).toEqual([['in', 'client', '/start'], ['out', 'greeting', 'Olá! Bem-vindo à Loja Exemplo.']]);
    expect(events).toContain('greeting_sent');

    // Another /start (a new update id) does not greet again.
    expect((await tg(id, tgStart.replace('734512001', '734512101'))).status).toBe(200);
    expect((await chatOf(id, '5123456789')).messages.filter((m) => m.origin === 'greeting')).toHaveLength(1);

    // The outbox delivers the greeting through the real queue consumer.
    await vi.waitFor(async () => expect((await chatOf(id, '5123456789')).messages.find((m) => m.origin === 'greeting')?.status).toBe('sent'), { timeout: 10_000, interval: 100 });
    const send = fake.sent('sendMessage').find((c) => c.params.text === 'Olá! Bem-vindo à Loja Exemplo.');
    expect(send?.params).toEqual({ chat_id: 5123456789, text: 'Olá! Bem-vindo à Loja Exemplo.' });
    expect(send?.token).toBe(TELEGRAM_TOKEN);
  });

  it('the first text gets the auto-reply; a replay is stored once', async () => {
    expect((await tg(id, tgText)).status).toBe(200);
    const before = await stored(id);
    const replay = await tg(id, tgText);
    expect(replay.status).toBe(200);
    expect(await stored(id)).toEqual(before);
    const { messages: rows } = await chatOf(id, '5123456789');
    expect(rows.filter((m) => m.text === 'Olá! Vocês entregam em Lisboa? O meu pedido é o 4821.')).toHaveLength(1);
    expect(rows.filter((m) => m.origin === 'auto_reply')).toHaveLength(1);
  });

  it('a photo is stored with its caption and the largest size is fetched into R2', async () => {
    expect((await tg(id, tgPhoto)).status).toBe(200);
    const photo = (await chatOf(id, '5123456789')).messages.find((m) => m.text === 'A caixa chegou assim, amassada 😕')!;
    const [attachment] = photo.attachments as { key?: string; pending?: boolean; fileName: string; mimeType: string }[];
    expect(attachment).toMatchObject({ kind: 'photo', fileName: 'file_3.jpg', mimeType: 'image/jpeg' });
    expect(attachment.pending).toBeUndefined();
    expect(photo.nextAttemptAt).toBeNull();
    const object = await env.MEDIA.get(attachment.key!);
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(fake.fileBytes);
    expect(fake.sent('getFile').at(-1)?.params.file_id).toBe('AgACAgQAAxkBAAMDZqx1k3Vb0x8M2bC1nR7yQwABHs9kAAJ4wjEbq2RhUXnW3bE0Yk8fAQADAgADeQADNgQ');
  });

  it('an edit replaces the text and leaves a trace', async () => {
    expect((await tg(id, tgEdited)).status).toBe(200);
    const { messages: rows, events } = await chatOf(id, '5123456789');
    expect(rows.find((m) => m.externalId === '2')).toMatchObject({ text: 'Olá! Vocês entregam em Lisboa? O meu pedido é o 4812.' });
    expect(events).toContain('message_edited');
  });

  it('a second person gets their own chat; blocking the bot marks them unreachable', async () => {
    expect((await tg(id, tgSecond)).status).toBe(200);
    const john = await chatOf(id, '6234567890');
    expect(john.messages.map((m) => m.text)).toContain('Thanks! Could you send the invoice as a PDF please?');
    expect((await tg(id, tgBlocked)).status).toBe(200);
    const identity = await db().select().from(contactIdentities).where(and(eq(contactIdentities.integrationId, id), eq(contactIdentities.externalId, '6234567890'))).get();
    expect(identity?.reachable).toBe(false);
    expect((await chatOf(id, '6234567890')).events).toContain('client_unsubscribed');
  });

  it('a deep-link /start greets the new person', async () => {
    expect((await tg(id, tgDeeplink)).status).toBe(200);
    const rui = await chatOf(id, '5987654321');
    expect(rui.messages.map((m) => m.origin).sort()).toEqual(['client', 'greeting']);
  });

  it('a client writing to a closed chat reopens it and gets the auto-reply again', async () => {
    const { chat } = await chatOf(id, '6234567890');
    // No close action in this scope: close the chat as the inbox would.
    await db().update(chats).set({ status: 'closed', closedAt: Date.now() }).where(eq(chats.id, chat!.id));
    const again = tgSecond.replace('734512005', '734512205').replace('"message_id":7', '"message_id":17');
    expect((await tg(id, again)).status).toBe(200);
    const after = await chatOf(id, '6234567890');
    expect(after.chat?.status).toBe('open');
    expect(after.events).toContain('reopened');
    expect(after.messages.filter((m) => m.origin === 'auto_reply')).toHaveLength(2);
  });

  it('malformed → 400, over 1 MiB → 413 (declared or streamed), unknown / disabled / wrong channel → 404', async () => {
    const before = await stored(id);
    const bad = await tg(id, '{"not":"an update"');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'malformed_update' } });
    expect((await tg(id, '{"no_update_id":true}')).status).toBe(400);
    const huge = `{"update_id":1,"message":{"text":"${'x'.repeat(1024 * 1024)}"}}`;
    expect((await tg(id, huge)).status).toBe(413);
    const streamed = new Blob([huge]).stream();
    expect((await tg(id, streamed as unknown as string)).status).toBe(413);
    expect((await tg('nope', tgText)).status).toBe(404);
    expect((await hook(`/webhooks/viber/${id}`, tgText)).status).toBe(404);
    expect((await hook(`/webhooks/whatsapp/${id}`, tgText)).status).toBe(404);
    const disabled = await makeIntegration({ webhookSecret: TG_SECRET, enabled: false });
    expect((await tg(disabled.id, tgText)).status).toBe(404);
    // The right secret with a form body is still not a Telegram update.
    const form = await hook(`/webhooks/telegram/${id}`, tgText, { 'x-telegram-bot-api-secret-token': TG_SECRET, 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(await stored(id)).toEqual(before);
  });
});

describe('Viber webhook', () => {
  let id: string;
  const maria = 'pYq3V2xKc0Gm7tWbE1uLrA==';
  beforeAll(async () => {
    const integration = await makeIntegration({
      channel: 'viber', name: 'Loja Exemplo', tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, VIBER_TOKEN), webhookSecret: '',
      greetingText: 'Olá! Bem-vindo à Loja Exemplo.', autoReplyText: 'Recebemos a sua mensagem.',
    });
    id = integration.id;
  });

  it('a forged signature or a changed body is 401 and stores nothing', async () => {
    const before = await stored(id);
    expect((await vb(id, vbText, SIG.text.replace(/^./, '0'))).status).toBe(401);
    expect((await vb(id, vbText.replace('4821', '4822'), SIG.text)).status).toBe(401);
    expect((await hook(`/webhooks/viber/${id}`, vbText)).status).toBe(401);
    expect(await stored(id)).toEqual(before);
  });

  it('the set_webhook check is acknowledged', async () => {
    const res = await vb(id, vbWebhook, SIG.webhook);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('conversation_started answers with the welcome message in the body, once', async () => {
    const res = await vb(id, vbStarted, SIG.started);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: 'text', text: 'Olá! Bem-vindo à Loja Exemplo.', sender: { name: 'Loja Exemplo' }, tracking_data: 'welcome' });
    const { messages: rows, events } = await chatOf(id, maria);
    expect(rows.map((m) => [m.origin, m.status])).toEqual([['greeting', 'sent']]);
    expect(events).toContain('greeting_sent');
    const replay = await vb(id, vbStarted, SIG.started);
    expect(await replay.text()).toBe('');
    expect(fake.sent('send_message')).toHaveLength(0);
  });

  it('subscribed and a first text: contact kept, auto-reply delivered with the exact send_message shape', async () => {
    expect((await vb(id, vbSubscribed, SIG.subscribed)).status).toBe(200);
    expect((await vb(id, vbText, SIG.text)).status).toBe(200);
    const { chat, messages: rows } = await chatOf(id, maria);
    const contact = await db().select().from(contacts).where(eq(contacts.id, chat!.contactId)).get();
    expect(contact?.name).toBe('Maria Oliveira');
    const text = rows.find((m) => m.direction === 'in')!;
    expect(text).toMatchObject({ text: 'Bom dia! Queria trocar o tamanho da camisola da encomenda 4821.', externalId: '5916837583651237511' });
    await vi.waitFor(async () => expect((await chatOf(id, maria)).messages.find((m) => m.origin === 'auto_reply')?.status).toBe('sent'), { timeout: 10_000, interval: 100 });
    const [send] = fake.sent('send_message');
    expect(send.token).toBe(VIBER_TOKEN);
    expect(send.params).toEqual({ receiver: maria, type: 'text', text: 'Recebemos a sua mensagem.', sender: { name: 'Loja Exemplo' } });
    // The 64-bit token is kept exactly (JSON.parse would have rounded it).
    expect((await chatOf(id, maria)).messages.find((m) => m.origin === 'auto_reply')?.externalId).toBe('5916838249301581826');
  });

  it('delivered, then seen move our message forward; failed for an unknown token changes nothing', async () => {
    expect((await vb(id, vbDelivered, SIG.delivered)).status).toBe(200);
    expect((await chatOf(id, maria)).messages.find((m) => m.origin === 'auto_reply')?.status).toBe('delivered');
    expect((await vb(id, vbSeen, SIG.seen)).status).toBe(200);
    expect((await vb(id, vbFailed, SIG.failed)).status).toBe(200);
    const statuses = (await chatOf(id, maria)).messages.filter((m) => m.direction === 'out').map((m) => m.status);
    expect(statuses).toEqual(['seen', 'seen']);
  });

  it('a picture is fetched from its URL into R2', async () => {
    expect((await vb(id, vbPicture, SIG.picture)).status).toBe(200);
    const picture = (await chatOf(id, maria)).messages.find((m) => m.externalId === '5916837855615430017')!;
    expect(picture.text).toBe('Esta é a etiqueta');
    const [attachment] = picture.attachments as { kind: string; key?: string }[];
    expect(attachment.kind).toBe('photo');
    expect(await env.MEDIA.head(attachment.key!)).not.toBeNull();
    expect(fake.calls.some((c) => c.url.startsWith('https://dl-media.viber.com/'))).toBe(true);
  });

  it('unsubscribed marks the person unreachable', async () => {
    expect((await vb(id, vbUnsubscribed, SIG.unsubscribed)).status).toBe(200);
    const identity = await db().select().from(contactIdentities).where(and(eq(contactIdentities.integrationId, id), eq(contactIdentities.externalId, maria))).get();
    expect(identity?.reachable).toBe(false);
  });
});
