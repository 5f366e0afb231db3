/**
 * A manager's replies over HTTP, end to end: 202 with the timeline item, the real queue consumer
 * delivering to the messenger fake, retries of failed messages, files (stored in R2, served to the UI
 * behind the session and to the messenger behind a signed URL).
 */
import { env, exports } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { chats, messages } from '../../worker/data/schema';
import { encryptToken } from '../../worker/domain/integrations';
import { clientText, db, ingest, makeIntegration, makeUser } from '../support/factory';
import { BASE, call, loginAs } from '../support/http';
import { messengerFake, telegramError, TELEGRAM_TOKEN, type MessengerFake } from '../support/messenger-fake';

let fake: MessengerFake;
let me: { id: string };
let cookie: string;
let observer: string;
beforeAll(async () => {
  const u = await makeUser('employee');
  const o = await makeUser('observer');
  me = u;
  cookie = await loginAs(u.email, u.password);
  observer = await loginAs(o.email, o.password);
});
beforeEach(() => {
  fake = messengerFake().install();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function openChat() {
  const integration = await makeIntegration({ name: 'Loja Exemplo', tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, TELEGRAM_TOKEN) });
  const client = String(7_000_000_000 + Math.floor(Math.random() * 1e9));
  await ingest(integration, clientText(client, `oi ${client}`));
  const chat = (await db().select().from(chats).where(eq(chats.externalChatId, client)).get())!;
  return { chatId: chat.id, client };
}

const status = async (id: string) => (await db().select().from(messages).where(eq(messages.id, id)).get())?.status;
const eventually = (fn: () => Promise<void>) => vi.waitFor(fn, { timeout: 10_000, interval: 100 });

function upload(chatId: string, file: File, caption?: string, as = cookie) {
  const form = new FormData();
  form.append('file', file);
  if (caption !== undefined) form.append('text', caption);
  return exports.default.fetch(new Request(`${BASE}/api/chats/${chatId}/attachments`, { method: 'POST', headers: { cookie: as }, body: form }));
}

describe('POST /api/chats/:id/messages', () => {
  it('answers 202 with the stored message; the outbox delivers it to the messenger', async () => {
    const { chatId, client } = await openChat();
    const res = await call('POST', `/api/chats/${chatId}/messages`, { cookie, body: { text: '  Olá! Posso ajudar?  ' } });
    expect(res.status).toBe(202);
    const item = (await res.json()) as { id: string; createdAt: string };
    expect(item).toMatchObject({ kind: 'message', direction: 'out', authorId: me.id, origin: 'agent', text: 'Olá! Posso ajudar?', attachments: [], status: 'sending', error: null });
    expect(new Date(item.createdAt).toISOString()).toBe(item.createdAt);
    const chat = (await db().select().from(chats).where(eq(chats.id, chatId)).get())!;
    expect(chat.lastMessagePreview).toBe('Olá! Posso ajudar?');
    await eventually(async () => expect(await status(item.id)).toBe('sent'));
    expect(fake.sent('sendMessage').map((c) => c.params)).toEqual([{ chat_id: Number(client), text: 'Olá! Posso ajudar?' }]);
  });

  it('refuses a closed chat (409), an empty text (400), an unknown chat (404), an observer who does not observe it (404) and anonymous (401)', async () => {
    const { chatId } = await openChat();
    expect((await call('POST', `/api/chats/${chatId}/messages`, { cookie, body: { text: '   ' } })).status).toBe(400);
    expect((await call('POST', '/api/chats/unknown/messages', { cookie, body: { text: 'x' } })).status).toBe(404);
    expect((await call('POST', `/api/chats/${chatId}/messages`, { cookie: observer, body: { text: 'x' } })).status).toBe(404);
    expect((await call('POST', `/api/chats/${chatId}/messages`, { body: { text: 'x' } })).status).toBe(401);
    // No close action in this scope: close the chat as the inbox would.
    await db().update(chats).set({ status: 'closed', closedAt: Date.now() }).where(eq(chats.id, chatId));
    const closed = await call('POST', `/api/chats/${chatId}/messages`, { cookie, body: { text: 'still there?' } });
    expect(closed.status).toBe(409);
    expect(await closed.json()).toMatchObject({ error: { code: 'chat_closed' } });
    expect(fake.calls).toHaveLength(0);
  });

  it('a failed message (403 blocked) shows its reason; retry sends it again; retrying a sent one is 409', async () => {
    const { chatId } = await openChat();
    fake.failNext('sendMessage', telegramError(403, 'Forbidden: bot was blocked by the user'));
    const item = (await (await call('POST', `/api/chats/${chatId}/messages`, { cookie, body: { text: 'are you there?' } })).json()) as { id: string };
    await eventually(async () => expect(await status(item.id)).toBe('failed'));
    const failed = (await db().select().from(messages).where(eq(messages.id, item.id)).get())!;
    expect(failed.error).toBe('The client blocked the bot');

    const retry = await call('POST', `/api/chats/${chatId}/messages/${item.id}/retry`, { cookie });
    expect(retry.status).toBe(202);
    expect(await retry.json()).toMatchObject({ id: item.id, status: 'sending', error: null });
    await eventually(async () => expect(await status(item.id)).toBe('sent'));
    expect((await call('POST', `/api/chats/${chatId}/messages/${item.id}/retry`, { cookie })).status).toBe(409);
    expect((await call('POST', `/api/chats/${chatId}/messages/nope/retry`, { cookie })).status).toBe(404);
  });
});

describe('files', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9, 9]);

  it('a photo with a caption: stored in R2, shown to the UI behind the session, sent with a signed URL the messenger can fetch', async () => {
    const { chatId } = await openChat();
    const res = await upload(chatId, new File([png], 'etiqueta.png', { type: 'image/png' }), 'A etiqueta');
    expect(res.status).toBe(202);
    const item = (await res.json()) as { id: string; text: string; attachments: { url: string }[] };
    expect(item).toMatchObject({ text: 'A etiqueta', status: 'sending', attachments: [{ kind: 'photo', name: 'etiqueta.png', mimeType: 'image/png', size: png.length }] });
    const url = item.attachments[0].url;
    expect(url).toMatch(new RegExp(`^/api/chats/${chatId}/attachments/${chatId}-[0-9a-z]+$`));

    const shown = await call('GET', url, { cookie });
    expect(shown.status).toBe(200);
    expect(shown.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await shown.arrayBuffer())).toEqual(png);
    expect((await call('GET', url)).status).toBe(401);
    expect((await call('GET', url, { cookie: observer })).status).toBe(404);
    // A key of another chat is not reachable through this chat.
    const other = await openChat();
    expect((await call('GET', url.replace(`/api/chats/${chatId}/`, `/api/chats/${other.chatId}/`), { cookie })).status).toBe(404);

    await eventually(async () => expect(await status(item.id)).toBe('sent'));
    const [sendPhoto] = fake.sent('sendPhoto');
    expect(sendPhoto.params).toMatchObject({ caption: 'A etiqueta' });
    const signed = String(sendPhoto.params.photo);
    expect(signed).toMatch(/^http:\/\/ponte\.test\/media\/[0-9a-z-]+\?exp=\d+&sig=[0-9a-f]{64}$/);
    const fetched = await exports.default.fetch(new Request(signed));
    expect(fetched.status).toBe(200);
    expect(new Uint8Array(await fetched.arrayBuffer())).toEqual(png);
    // Change the signature's first hex digit (to a different one: a fixed '0' is a no-op 1 time in 16).
    const forged = signed.replace(/sig=(.)/, (_, d: string) => `sig=${d === '0' ? '1' : '0'}`);
    expect(forged).not.toBe(signed);
    expect((await exports.default.fetch(new Request(forged))).status).toBe(403);
    expect((await exports.default.fetch(new Request(signed.replace(/exp=\d+/, 'exp=1000')))).status).toBe(403);
    expect(fake.sent('sendMessage')).toHaveLength(0);
  });

  it('a document goes as sendDocument, its caption as a separate text; an upload without a file is 400', async () => {
    const { chatId } = await openChat();
    const res = await upload(chatId, new File(['%PDF-1.4 fatura'], 'fatura.pdf', { type: 'application/pdf' }), 'Segue a fatura');
    const item = (await res.json()) as { id: string };
    await eventually(async () => expect(await status(item.id)).toBe('sent'));
    expect(fake.sent('sendDocument')).toHaveLength(1);
    expect(fake.sent('sendDocument')[0].params.caption).toBeUndefined();
    expect(fake.sent('sendMessage').map((c) => c.params.text)).toEqual(['Segue a fatura']);

    const form = new FormData();
    form.append('text', 'no file');
    const missing = await exports.default.fetch(new Request(`${BASE}/api/chats/${chatId}/attachments`, { method: 'POST', headers: { cookie }, body: form }));
    expect(missing.status).toBe(400);
  });

  it('uploads get the file limit (a 3 MiB file is accepted) while JSON bodies stay capped at 1 MiB', async () => {
    const { chatId } = await openChat();
    const big = new File([new Uint8Array(3 * 1024 * 1024)], 'catalogo.pdf', { type: 'application/pdf' });
    expect((await upload(chatId, big)).status).toBe(202);
    const json = await call('POST', `/api/chats/${chatId}/messages`, { cookie, body: { text: 'x'.repeat(1024 * 1024 + 10) } });
    expect(json.status).toBe(413);
  });
});
