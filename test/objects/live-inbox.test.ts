/**
 * GET /api/live through the Worker's real fetch handler and the real InboxFeed object: refusals, a
 * webhook message reaching the responsible manager and a colleague, observers seeing only the chats
 * they observe, mute, counts.
 */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { chats } from '../../worker/data/schema';
import { setResponsible, closeChat } from '../../worker/domain/chats';
import { setMuted, setObservers } from '../../worker/domain/chats';
import type { LiveChange } from '../../worker/domain/live';
import { buildLive, planLive } from '../../worker/domain/live';
import { toMessageItem } from '../../worker/data/message-item';
import { inboxFeed } from '../../worker/objects/inbox-feed';
import { publisherVia } from '../../worker/objects/publish';
import { db } from '../support/factory';
import { clientWrites, connect, open, person, telegramBot, type AnyFrame } from './live-support';

const deps = () => ({ db: db(), publish: publisherVia(env) });
const chatIdOf = async (integrationId: string, clientId: number) =>
  (await db().select({ id: chats.id }).from(chats).where(and(eq(chats.integrationId, integrationId), eq(chats.externalChatId, String(clientId)))).get())!.id;
const chatFrame = (chatId: string, text?: string) => (f: AnyFrame) => f.type === 'chat' && f.chat.id === chatId && (text === undefined || f.message?.text === text);

describe('GET /api/live: the upgrade', () => {
  it('refuses without a session (401), from another site (403), and a plain GET (426)', async () => {
    const admin = await person('admin');
    expect((await connect('/api/live')).res.status).toBe(401);
    const foreign = await connect('/api/live', admin.cookie, { origin: 'https://evil.example' });
    expect(foreign.res.status).toBe(403);
    expect(await foreign.res.json()).toMatchObject({ error: { code: 'cross_origin' } });
    expect((await connect('/api/live', admin.cookie, { 'sec-fetch-site': 'cross-site' })).res.status).toBe(403);
    expect((await connect('/api/live', admin.cookie, { origin: 'http://ponte.test' })).client).not.toBeNull();
    const plain = await (await import('../support/http')).call('GET', '/api/live', { cookie: admin.cookie });
    expect(plain.status).toBe(426);
    expect((await connect('/api/live?after=-1', admin.cookie)).res.status).toBe(400);
  });
});

describe('GET /api/live: fan-out', () => {
  let bot: Awaited<ReturnType<typeof telegramBot>>;
  let manager: Awaited<ReturnType<typeof person>>;
  let colleague: Awaited<ReturnType<typeof person>>;
  let observer: Awaited<ReturnType<typeof person>>;
  beforeAll(async () => {
    bot = await telegramBot();
    manager = await person('employee', 'Marta');
    colleague = await person('employee', 'Caio');
    observer = await person('observer', 'Olga');
  });

  it('a webhook message reaches the responsible manager (notify) and a colleague (no notify), with their own unread state', async () => {
    await clientWrites(bot, 7001, 'Olá, primeira mensagem');
    const chatId = await chatIdOf(bot.id, 7001);
    await setResponsible(deps(), manager, chatId, manager.id);

    const mine = await open('/api/live', manager.cookie);
    const theirs = await open('/api/live', colleague.cookie);
    await clientWrites(bot, 7001, 'Têm o sofá em azul?');

    const toManager = await mine.take(chatFrame(chatId, 'Têm o sofá em azul?'));
    const toColleague = await theirs.take(chatFrame(chatId, 'Têm o sofá em azul?'));
    expect(toManager).toMatchObject({
      type: 'chat', changes: ['message'], notify: true,
      chat: { id: chatId, status: 'open', responsibleId: manager.id, lastMessagePreview: 'Têm o sofá em azul?', unread: true, unreadCount: 2, muted: false, contact: { name: 'Client7001' }, integration: { id: bot.id, channel: 'telegram' } },
      message: { kind: 'message', direction: 'in', origin: 'client', authorId: null, text: 'Têm o sofá em azul?', attachments: [], status: 'received', error: null },
    });
    expect(toColleague).toMatchObject({ notify: false, chat: { id: chatId, unread: true }, message: { text: 'Têm o sofá em azul?' } });
    expect(toManager.seq).toBe(toColleague.seq);
    // The frame's chat is exactly the list item GET /api/chats gives the manager.
    const list = await (await import('../support/http')).call('GET', '/api/chats?group=mine', { cookie: manager.cookie });
    const item = ((await list.json()) as { items: { id: string }[] }).items.find((i) => i.id === chatId);
    expect(toManager.chat).toEqual(item);
    mine.close();
    theirs.close();
  });

  it('a new chat arrives as one frame with changes [created, message]', async () => {
    const feed = await open('/api/live', colleague.cookie);
    await clientWrites(bot, 7002, 'Bom dia');
    const chatId = await chatIdOf(bot.id, 7002);
    const frame = await feed.take(chatFrame(chatId));
    expect(frame.changes).toEqual(['created', 'message']);
    expect(frame.chat).toMatchObject({ responsibleId: null, unread: true, unreadCount: 1 });
    feed.close();
  });

  it('an observer receives only the chats they observe, and is told when one is taken away', async () => {
    await clientWrites(bot, 7003, 'observado');
    await clientWrites(bot, 7004, 'não observado');
    const watched = await chatIdOf(bot.id, 7003);
    const other = await chatIdOf(bot.id, 7004);
    await setObservers(deps(), manager, watched, [observer.id]);

    const feed = await open('/api/live', observer.cookie);
    await clientWrites(bot, 7004, 'segredo de outro chat');
    await clientWrites(bot, 7003, 'para a Olga ver');
    const seen = await feed.take(chatFrame(watched, 'para a Olga ver'));
    expect(seen.notify).toBe(true);
    await setObservers(deps(), manager, watched, []);
    expect(await feed.take((f) => f.type === 'chat_removed')).toMatchObject({ chatId: watched });
    await clientWrites(bot, 7003, 'já não é para a Olga');
    await clientWrites(bot, 7005, 'sentinela');
    await setObservers(deps(), manager, await chatIdOf(bot.id, 7005), [observer.id]);
    await feed.take((f) => f.type === 'chat' && f.changes.includes('observers'));

    const chatFrames = feed.durable();
    expect(chatFrames.some((f) => JSON.stringify(f).includes(other))).toBe(false);
    expect(chatFrames.some((f) => JSON.stringify(f).includes('segredo'))).toBe(false);
    expect(chatFrames.some((f) => JSON.stringify(f).includes('já não é para a Olga'))).toBe(false);
    // Everyone else still sees every chat.
    const staff = await open('/api/live?after=0', colleague.cookie);
    expect(staff.durable().some((f) => f.type === 'chat' && f.chat.id === other)).toBe(true);
    feed.close();
    staff.close();
  });

  it('mute silences notifications for that chat only, for that user only', async () => {
    await clientWrites(bot, 7006, 'a');
    await clientWrites(bot, 7007, 'b');
    const muted = await chatIdOf(bot.id, 7006);
    const loud = await chatIdOf(bot.id, 7007);
    await setResponsible(deps(), manager, muted, manager.id);
    await setResponsible(deps(), manager, loud, manager.id);
    await setObservers(deps(), manager, muted, [colleague.id]);
    await setMuted(deps(), manager, muted, true);

    const mine = await open('/api/live', manager.cookie);
    const theirs = await open('/api/live', colleague.cookie);
    await clientWrites(bot, 7006, 'silêncio');
    await clientWrites(bot, 7007, 'barulho');
    expect(await mine.take(chatFrame(muted, 'silêncio'))).toMatchObject({ notify: false, chat: { muted: true } });
    expect(await mine.take(chatFrame(loud, 'barulho'))).toMatchObject({ notify: true, chat: { muted: false } });
    // The colleague observes the muted chat and did not mute it.
    expect(await theirs.take(chatFrame(muted, 'silêncio'))).toMatchObject({ notify: true, chat: { muted: false } });
    mine.close();
    theirs.close();
  });

  it('sends counts after connecting and again when a chat changes group', async () => {
    const boss = await person('admin');
    const feed = await open('/api/live', boss.cookie);
    const first = (await feed.take((f) => f.type === 'counts')).counts;
    const rest = await (await import('../support/http')).call('GET', '/api/chats?group=mine', { cookie: boss.cookie });
    expect(first).toEqual(((await rest.json()) as { counts: unknown }).counts);

    await clientWrites(bot, 7008, 'nova conversa');
    const chatId = await chatIdOf(bot.id, 7008);
    const afterNew = (await feed.take((f) => f.type === 'counts')).counts;
    expect(afterNew).toEqual({ ...first, unassigned: first.unassigned + 1 });
    await setResponsible(deps(), boss, chatId, boss.id);
    expect((await feed.take((f) => f.type === 'counts')).counts).toEqual({ ...first, mine: first.mine + 1 });
    await closeChat(deps(), boss, chatId);
    expect((await feed.take((f) => f.type === 'counts')).counts).toEqual({ ...first, closed: first.closed + 1 });
    feed.close();
  });

  it('a snapshot that lost a race keeps its news but not its stale chat state', async () => {
    await clientWrites(bot, 7009, 'corrida');
    const chatId = await chatIdOf(bot.id, 7009);
    const build = async (changes: LiveChange[]) => (await buildLive(db(), planLive(changes), toMessageItem)).inbox;
    const early = await build([{ kind: 'chat_updated', chatId, reason: 'message' }]);
    await setResponsible({ db: db() }, manager, chatId, manager.id);
    const late = await build([{ kind: 'chat_updated', chatId, reason: 'assigned' }]);
    const feed = await open('/api/live', colleague.cookie);
    await inboxFeed(env).publish(late);
    await inboxFeed(env).publish(early);
    const [first, second] = [await feed.take(chatFrame(chatId)), await feed.take(chatFrame(chatId))];
    expect(first).toMatchObject({ changes: ['assigned'], chat: { responsibleId: manager.id } });
    expect(second).toMatchObject({ changes: ['message'], chat: { responsibleId: manager.id } });
    feed.close();
  });
});
