/**
 * Catch-up: a client reconnecting with ?after=SEQ gets exactly the frames it missed (only those it may
 * see), in order, then live frames, nothing twice; beyond the window it is told to reload. The
 * sequence lives in object storage, so a new instance of the object continues it (past every seq the
 * old one may have handed out).
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { chats } from '../../worker/data/schema';
import { setObservers } from '../../worker/domain/chats';
import { buildLive, planLive } from '../../worker/domain/live';
import { WINDOW_SIZE } from '../../worker/domain/live';
import { toMessageItem } from '../../worker/data/message-item';
import { FLUSH_MS, type FrameWindow } from '../../worker/objects/frame-window';
import { InboxFeed, inboxFeed } from '../../worker/objects/inbox-feed';
import { publisherVia } from '../../worker/objects/publish';
import { db } from '../support/factory';
import { clientWrites, open, person, telegramBot, type AnyFrame } from './live-support';

const deps = () => ({ db: db(), publish: publisherVia(env) });
const chatIdOf = async (integrationId: string, clientId: number) =>
  (await db().select({ id: chats.id }).from(chats).where(and(eq(chats.integrationId, integrationId), eq(chats.externalChatId, String(clientId)))).get())!.id;
const lastSeq = (frames: AnyFrame[]) => Math.max(...frames.map((f) => f.seq));
const texts = (frames: AnyFrame[]) => frames.filter((f) => f.type === 'chat').map((f) => f.message?.text);

describe('catch-up with ?after=', () => {
  let bot: Awaited<ReturnType<typeof telegramBot>>;
  let staff: Awaited<ReturnType<typeof person>>;
  let observer: Awaited<ReturnType<typeof person>>;
  beforeAll(async () => {
    bot = await telegramBot();
    staff = await person('employee');
    observer = await person('observer');
  });

  it('the inbox feed replays exactly the gap, in order, then goes live, nothing twice', async () => {
    const witness = await open('/api/live', staff.cookie);
    const tab = await open('/api/live', staff.cookie);
    await clientWrites(bot, 9001, 'antes 1');
    await clientWrites(bot, 9002, 'antes 2');
    await tab.take((f) => f.message?.text === 'antes 2');
    const cursor = lastSeq(tab.frames);
    tab.close();

    await clientWrites(bot, 9001, 'durante 1');
    await clientWrites(bot, 9003, 'durante 2');
    await clientWrites(bot, 9002, 'durante 3');
    await witness.take((f) => f.message?.text === 'durante 3');

    const back = await open(`/api/live?after=${cursor}`, staff.cookie);
    const missed = witness.durable().filter((f) => f.seq > cursor);
    expect(texts(missed)).toEqual(['durante 1', 'durante 2', 'durante 3']);
    // Everything before `ready` is the replay: the very frames the witness got live.
    const replay = back.frames.slice(0, back.frames.findIndex((f) => f.type === 'ready'));
    expect(replay).toEqual(missed);
    expect(back.frames.find((f) => f.type === 'ready')!.seq).toBe(lastSeq(missed));

    await clientWrites(bot, 9001, 'depois');
    await back.take((f) => f.message?.text === 'depois');
    const seqs = back.durable().map((f) => f.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(texts(back.durable())).toEqual(['durante 1', 'durante 2', 'durante 3', 'depois']);
    witness.close();
    back.close();
  });

  it("an observer's replay holds only the chats they observe", async () => {
    await clientWrites(bot, 9010, 'olá');
    const watched = await chatIdOf(bot.id, 9010);
    await setObservers(deps(), staff, watched, [observer.id]);
    const tab = await open('/api/live', observer.cookie);
    const cursor = tab.frames.find((f) => f.type === 'ready')!.seq;
    tab.close();
    await clientWrites(bot, 9011, 'outro chat');
    await clientWrites(bot, 9010, 'observado');
    await clientWrites(bot, 9012, 'mais outro');
    const back = await open(`/api/live?after=${cursor}`, observer.cookie);
    expect(back.durable().map((f) => [f.chat.id, f.message?.text])).toEqual([[watched, 'observado']]);
    back.close();
  });

  it('a chat room replays the gap to a viewer that dropped out', async () => {
    await clientWrites(bot, 9020, 'primeira');
    const chatId = await chatIdOf(bot.id, 9020);
    const tab = await open(`/api/chats/${chatId}/live`, staff.cookie);
    const cursor = tab.frames.find((f) => f.type === 'ready')!.seq;
    tab.close();
    await clientWrites(bot, 9020, 'perdida 1');
    await clientWrites(bot, 9020, 'perdida 2');
    const back = await open(`/api/chats/${chatId}/live?after=${cursor}`, staff.cookie);
    expect(back.durable().map((f) => [f.type, f.message.text])).toEqual([['message', 'perdida 1'], ['message', 'perdida 2']]);
    expect(back.durable().map((f) => f.seq)).toEqual([cursor + 1, cursor + 2]);
    back.close();
  });

  it('beyond the window, or ahead of the stream, the client is told to reload', async () => {
    await clientWrites(bot, 9030, 'x');
    const chatId = await chatIdOf(bot.id, 9030);
    const { inbox } = await buildLive(db(), planLive([{ kind: 'chat_updated', chatId, reason: 'read' }]), toMessageItem);
    const probe = await open('/api/live', staff.cookie);
    const head = probe.frames.find((f) => f.type === 'ready')!.seq;
    probe.close();
    // More changes than the window keeps (the same real envelope, over and over).
    await inboxFeed(env).publish(Array.from({ length: WINDOW_SIZE + 5 }, () => inbox[0]));

    const stale = await open(`/api/live?after=${head}`, staff.cookie);
    expect(stale.frames.slice(0, 2)).toEqual([
      { type: 'reload', ephemeral: true, seq: head + WINDOW_SIZE + 5 },
      { type: 'ready', ephemeral: true, seq: head + WINDOW_SIZE + 5 },
    ]);
    expect(stale.durable()).toEqual([]);
    const edge = await open(`/api/live?after=${head + 5}`, staff.cookie);
    expect(edge.durable()).toHaveLength(WINDOW_SIZE);
    const ahead = await open(`/api/live?after=${head + WINDOW_SIZE + 99}`, staff.cookie);
    expect(ahead.frames[0].type).toBe('reload');
    const room = await open(`/api/chats/${chatId}/live?after=7`, staff.cookie);
    expect(room.frames[0]).toMatchObject({ type: 'reload', seq: 0 });
    for (const c of [stale, edge, ahead, room]) c.close();
  });

  it('the sequence is kept in storage: a new instance of the object continues it', async () => {
    await clientWrites(bot, 9040, 'y');
    const chatId = await chatIdOf(bot.id, 9040);
    const { inbox } = await buildLive(db(), planLive([{ kind: 'chat_updated', chatId, reason: 'read' }]), toMessageItem);
    const stub = inboxFeed(env);
    await stub.publish(inbox);
    const headOf = (feed: InboxFeed) => (feed as unknown as { window: FrameWindow }).window.head();
    const before = await runInDurableObject(stub, (instance: InboxFeed) => headOf(instance));
    // Frames reach storage in batches: once this one is flushed, nothing of the old instance is lost.
    // Its flush is a timer, which a busy machine runs late: wait for the frame to be stored.
    await vi.waitFor(async () => {
      const stored = await runInDurableObject(stub, (_, state) => state.storage.sql.exec<{ seq: number }>('SELECT max(seq) AS seq FROM frames').one().seq);
      expect(stored).toBe(before);
    }, { timeout: 15_000, interval: FLUSH_MS });
    const next = await runInDurableObject(stub, async (_, state) => {
      const fresh = new InboxFeed(state, env);
      await fresh.publish(inbox);
      return headOf(fresh);
    });
    expect(next).toBe(before + 1);
  });
});
