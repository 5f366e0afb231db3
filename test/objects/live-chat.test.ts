/**
 * GET /api/chats/:id/live through the Worker and the real ChatRoom object: access, new messages as
 * timeline items, status changes, events, typing and presence, and an observer losing access.
 */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { chats } from '../../worker/data/schema';
import { closeChat, setResponsible } from '../../worker/domain/chats';
import { setObservers } from '../../worker/domain/chats';
import { encryptToken } from '../../worker/domain/integrations';
import { publisherVia } from '../../worker/objects/publish';
import { db } from '../support/factory';
import { call } from '../support/http';
import { messengerFake, telegramError, TELEGRAM_TOKEN } from '../support/messenger-fake';
import { clientWrites, connect, open, person, telegramBot, type AnyFrame } from './live-support';

const deps = () => ({ db: db(), publish: publisherVia(env) });
const chatIdOf = async (integrationId: string, clientId: number) =>
  (await db().select({ id: chats.id }).from(chats).where(and(eq(chats.integrationId, integrationId), eq(chats.externalChatId, String(clientId)))).get())!.id;

describe('GET /api/chats/:id/live', () => {
  let bot: Awaited<ReturnType<typeof telegramBot>>;
  let manager: Awaited<ReturnType<typeof person>>;
  let colleague: Awaited<ReturnType<typeof person>>;
  let observer: Awaited<ReturnType<typeof person>>;
  let chatId: string;
  beforeAll(async () => {
    bot = await telegramBot({ tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, TELEGRAM_TOKEN) });
    manager = await person('employee', 'Marta');
    colleague = await person('employee', 'Caio');
    observer = await person('observer', 'Olga');
    await clientWrites(bot, 8001, 'Olá');
    chatId = await chatIdOf(bot.id, 8001);
  });

  it('refuses anonymous (401), unknown chats (404), unobserved chats for an observer (404, as REST: no hint the chat exists) and other sites (403)', async () => {
    expect((await connect(`/api/chats/${chatId}/live`)).res.status).toBe(401);
    expect((await connect('/api/chats/nope/live', manager.cookie)).res.status).toBe(404);
    const refused = await connect(`/api/chats/${chatId}/live`, observer.cookie);
    expect(refused.res.status).toBe(404);
    expect((await connect(`/api/chats/${chatId}/live`, manager.cookie, { origin: 'https://evil.example' })).res.status).toBe(403);
  });

  it('fans out a webhook message as the timeline item, an assignment as an event and chat state, to everyone viewing', async () => {
    const a = await open(`/api/chats/${chatId}/live`, manager.cookie);
    const b = await open(`/api/chats/${chatId}/live`, colleague.cookie);
    await clientWrites(bot, 8001, 'Quero encomendar');
    const msgA = await a.take((f) => f.type === 'message');
    const msgB = await b.take((f) => f.type === 'message');
    expect(msgA).toEqual(msgB);
    expect(msgA).toMatchObject({ type: 'message', chatId, message: { kind: 'message', direction: 'in', origin: 'client', text: 'Quero encomendar', status: 'received' } });
    const timeline = await call('GET', `/api/chats/${chatId}/timeline`, { cookie: manager.cookie });
    const items = ((await timeline.json()) as { items: { id: string }[] }).items;
    expect(items.find((i) => i.id === msgA.message.id)).toEqual(msgA.message);

    await setResponsible(deps(), manager, chatId, manager.id);
    const event = await a.take((f) => f.type === 'event');
    expect(event.event).toMatchObject({ kind: 'event', type: 'assigned', actorId: manager.id });
    expect(items.every((i) => i.id !== event.event.id)).toBe(true);
    const state = await a.take((f) => f.type === 'chat');
    expect(state).toMatchObject({ changes: ['assigned'], chat: { id: chatId, status: 'open', responsibleId: manager.id, observerIds: [] } });
    expect(b.durable().map((f) => f.seq)).toEqual(a.durable().map((f) => f.seq));
    a.close();
    b.close();
  });

  it('sends delivery status changes with the whole updated message (real outbox, messenger refusing once)', async () => {
    const fake = messengerFake().install();
    fake.failNext('sendMessage', telegramError(403, 'Forbidden: bot was blocked by the user'));
    const view = await open(`/api/chats/${chatId}/live`, manager.cookie);
    const post = (path: string, body?: unknown) => call('POST', path, { cookie: manager.cookie, body, headers: { origin: 'http://ponte.test' } });
    const sent = await post(`/api/chats/${chatId}/messages`, { text: 'Claro!' });
    expect(sent.status).toBe(202);
    const { id } = (await sent.json()) as { id: string };
    const status = (s: string) => (f: AnyFrame) => f.type === 'message_status' && f.id === id && f.status === s;
    expect(await view.take((f) => f.type === 'message' && f.message.id === id)).toMatchObject({ message: { direction: 'out', origin: 'agent', authorId: manager.id, text: 'Claro!', status: 'sending' } });
    const failed = await view.take(status('failed'), 15_000);
    expect(failed.error).toEqual(expect.any(String));
    expect(failed.message).toMatchObject({ id, status: 'failed', error: failed.error, text: 'Claro!' });
    expect((await post(`/api/chats/${chatId}/messages/${id}/retry`)).status).toBeLessThan(300);
    expect((await view.take(status('sending'))).message.error).toBeNull();
    expect((await view.take(status('sent'), 15_000)).message.status).toBe('sent');
    view.close();
    vi.restoreAllMocks();
  });

  it('relays typing to the others (not to the typist), refuses it from an observer, and keeps presence', async () => {
    await setObservers(deps(), manager, chatId, [observer.id]);
    const a = await open(`/api/chats/${chatId}/live`, manager.cookie);
    const b = await open(`/api/chats/${chatId}/live`, colleague.cookie);
    expect((await b.take((f) => f.type === 'presence')).users).toEqual([{ id: colleague.id, name: 'Caio' }, { id: manager.id, name: 'Marta' }]);
    expect((await a.take((f) => f.type === 'presence_diff')).joined).toEqual([{ id: colleague.id, name: 'Caio' }]);
    const o = await open(`/api/chats/${chatId}/live`, observer.cookie);
    expect((await o.take((f) => f.type === 'presence')).users.map((u: { name: string }) => u.name)).toEqual(['Caio', 'Marta', 'Olga']);
    expect((await b.take((f) => f.type === 'presence_diff')).joined.map((u: { name: string }) => u.name)).toEqual(['Olga']);

    a.send({ type: 'typing' });
    expect(await b.take((f) => f.type === 'typing')).toMatchObject({ ephemeral: true, userId: manager.id, name: 'Marta' });
    expect(await o.take((f) => f.type === 'typing')).toMatchObject({ userId: manager.id });
    o.send({ type: 'typing' });
    expect(await o.take((f) => f.type === 'error')).toMatchObject({ code: 'forbidden' });
    o.send('not json');
    expect(await o.take((f) => f.type === 'error')).toMatchObject({ code: 'bad_frame' });
    b.send({ type: 'typing' });
    await a.take((f) => f.type === 'typing' && f.userId === colleague.id);
    expect(a.frames.filter((f) => f.type === 'typing').map((f) => f.userId)).toEqual([colleague.id]);
    expect(b.frames.filter((f) => f.type === 'typing').map((f) => f.userId)).toEqual([manager.id]);

    b.close();
    expect(await a.take((f) => f.type === 'presence_diff')).toMatchObject({ joined: [], left: [colleague.id] });
    a.close();
    o.close();
  });

  it("closes an observer's socket (4403) when they stop observing the chat, and they get none of its later frames", async () => {
    await setObservers(deps(), manager, chatId, [observer.id]);
    const o = await open(`/api/chats/${chatId}/live`, observer.cookie);
    const staff = await open(`/api/chats/${chatId}/live`, manager.cookie);
    await setObservers(deps(), manager, chatId, []);
    expect(await o.take((f) => f.type === 'bye')).toMatchObject({ reason: 'forbidden' });
    expect((await o.closedWith()).code).toBe(4403);
    expect(o.durable().some((f: AnyFrame) => f.type === 'event' && f.event.type === 'observers_changed')).toBe(false);
    // The staff socket saw the change and stays.
    expect((await staff.take((f) => f.type === 'chat')).chat.observerIds).toEqual([]);
    await closeChat(deps(), manager, chatId);
    expect((await staff.take((f) => f.type === 'chat')).chat.status).toBe('closed');
    staff.close();
  });
});
