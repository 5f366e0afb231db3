import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { addComment } from '../../../worker/domain/chats';
import { markRead, readTimeline } from '../../../worker/domain/chats';
import { chatDetails } from '../../../worker/data/chat-queries';
import { chatEvents, chats, messages } from '../../../worker/data/schema';
import type { LiveChange } from '../../../worker/domain/live';
import type { TimelineItem } from '../../../worker/shared/chats';
import { clientText, db, ingest, ingestDeps, makeIntegration, makeUser, uniq } from '../../support/factory';

const T0 = Date.UTC(2025, 0, 1);
const MESSAGES = 3000;

/** A chat of MESSAGES client texts 10 ms apart, with a team comment (an event) after every 250th. */
async function bigChat() {
  const admin = await makeUser('admin');
  const integration = await makeIntegration();
  const client = uniq();
  const send = (i: number) => ingest(integration, clientText(client, `message ${i}`), { ...ingestDeps(), now: () => T0 + i * 10 });
  await send(0);
  const chatId = await chatIdOf(client);
  // Several updates in flight at once, as a busy webhook would deliver them; each has its own time.
  for (let end = 249; end < MESSAGES; end += 250) {
    const block = Array.from({ length: 250 }, (_, k) => end - 249 + k).filter((i) => i > 0);
    for (let k = 0; k < block.length; k += 10) await Promise.all(block.slice(k, k + 10).map(send));
    await addComment({ db: db(), now: () => T0 + end * 10 + 5 }, admin, chatId, `note after ${end}`);
  }
  return { admin, chatId };
}

async function chatIdOf(externalChatId: string) {
  return (await db().select({ id: chats.id }).from(chats).where(eq(chats.externalChatId, externalChatId)).get())!.id;
}

const label = (i: TimelineItem) => (i.kind === 'message' ? i.text : `${i.type}${i.type === 'commented' ? `:${String(i.data.text)}` : ''}`);

describe('timeline', () => {
  it(`pages backwards over ${MESSAGES} messages and their events with no gaps, duplicates or disorder`, async () => {
    const { admin, chatId } = await bigChat();
    const deps = { db: db() };
    const pages: TimelineItem[][] = [];
    let before: string | undefined;
    do {
      const page = await readTimeline(deps, admin, chatId, before, 200);
      expect(page.items.length).toBeLessThanOrEqual(200);
      pages.push(page.items);
      before = page.nextBefore ?? undefined;
    } while (before);

    // Pages come newest first; within a page items are oldest first.
    const all = pages.reverse().flat();
    const ids = all.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    const storedMessages = await db().select({ id: messages.id }).from(messages).where(eq(messages.chatId, chatId)).all();
    const storedEvents = await db().select({ id: chatEvents.id }).from(chatEvents).where(eq(chatEvents.chatId, chatId)).all();
    expect(all.length).toBe(storedMessages.length + storedEvents.length);
    expect(storedMessages.length).toBe(MESSAGES);

    const times = all.map((i) => Date.parse(i.createdAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const texts = all.filter((i) => i.kind === 'message').map(label);
    expect(texts).toEqual(Array.from({ length: MESSAGES }, (_, i) => `message ${i}`));
    // Each comment sits right after the message it follows.
    const after249 = all.findIndex((i) => label(i) === 'message 249');
    expect(label(all[after249 + 1])).toBe('commented:note after 249');
    expect(label(all[after249 + 2])).toBe('message 250');
    expect(all.filter((i) => i.kind === 'event' && i.type === 'commented')).toHaveLength(MESSAGES / 250);
  }, 180_000);

  it('breaks ties inside one millisecond by id, across messages and events, without losing any', async () => {
    const admin = await makeUser('admin');
    const integration = await makeIntegration({ autoReplyText: 'Já respondemos' });
    const client = uniq();
    const same = () => T0;
    for (let i = 0; i < 40; i++) await ingest(integration, clientText(client, `same ms ${i}`), { ...ingestDeps(), now: same });
    const chatId = await chatIdOf(client);
    for (let i = 0; i < 10; i++) await addComment({ db: db(), now: same }, admin, chatId, `c${i}`);

    const seen: string[] = [];
    let before: string | undefined;
    do {
      const page = await readTimeline({ db: db() }, admin, chatId, before, 7);
      seen.unshift(...page.items.map((i) => i.id));
      before = page.nextBefore ?? undefined;
    } while (before);
    const expected = [
      ...(await db().select({ id: messages.id }).from(messages).where(eq(messages.chatId, chatId)).all()),
      ...(await db().select({ id: chatEvents.id }).from(chatEvents).where(eq(chatEvents.chatId, chatId)).all()),
    ].map((r) => r.id).sort();
    expect(seen).toEqual(expected);
  });

  it('rejects a forged cursor with 400', async () => {
    const admin = await makeUser('admin');
    const integration = await makeIntegration();
    const client = uniq();
    await ingest(integration, clientText(client, 'oi'));
    await expect(readTimeline({ db: db() }, admin, await chatIdOf(client), 'not-a-cursor', 10)).rejects.toMatchObject({ status: 400, code: 'invalid_cursor' });
  });

  it('the newest page marks the chat read for that user only; older pages do not', async () => {
    const [ana, bruno] = [await makeUser('employee'), await makeUser('employee')];
    const integration = await makeIntegration();
    const client = uniq();
    await ingest(integration, clientText(client, 'first'));
    const chatId = await chatIdOf(client);
    const unreadFor = async (userId: string) => (await chatDetails(db(), chatId, userId))!.unread;
    expect(await unreadFor(ana.id)).toBe(true);

    const published: LiveChange[] = [];
    const deps = { db: db(), publish: async (c: LiveChange[]) => void published.push(...c) };
    const older = await readTimeline(deps, ana, chatId, (await readTimeline({ db: db() }, bruno, chatId, undefined, 1)).nextBefore ?? undefined, 1);
    expect(older.changes).toEqual([]);
    await readTimeline(deps, ana, chatId, undefined, 50);
    expect(published).toEqual([{ kind: 'chat_updated', chatId, reason: 'read' }]);
    expect([await unreadFor(ana.id), await unreadFor(bruno.id)]).toEqual([false, false]);

    await ingest(integration, clientText(client, 'second'), { ...ingestDeps(), now: () => Date.now() + 1000 });
    expect(await unreadFor(ana.id)).toBe(true);
    expect(await markRead(deps, ana, chatId)).toEqual([{ kind: 'chat_updated', chatId, reason: 'read' }]);
    expect(await unreadFor(ana.id)).toBe(false);
    // Nothing new: no write, no change.
    expect(await markRead(deps, ana, chatId)).toEqual([]);
  });
});
