/**
 * data/live-reads.ts builds each live read once per id count and binds each publish's ids. These tests
 * hold its rows to the builder queries' rows: for one chat, for another set of the same size right
 * after (a template that kept its first ids would answer with the first chats), and past one
 * statement's ids (90 + 1, two statements of different sizes in one batch).
 */
import { env } from 'cloudflare:workers';
import { inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLiveRows, readerQuery, summaryQuery, type LiveReadPlan, type LiveRows } from '../../../worker/data/live-reads';
import { chatEvents, chatObservers, chats, chatUserState, messages } from '../../../worker/data/schema';
import { database } from '../../../worker/data/db';
import { clientText, db, ingest, makeIntegration, makeUser, uniq } from '../../support/factory';
import { countingD1 } from '../../support/counting-d1';

const CHATS = 91;

/** What the builder queries read for the same ids, shaped as readLiveRows answers. */
async function builderRows(ids: string[], messageIds: string[], eventIds: string[], readerIds = ids): Promise<LiveRows> {
  const d = db();
  const summaries = await summaryQuery(d, ids);
  const observers = await d.select().from(chatObservers).where(inArray(chatObservers.chatId, ids));
  const readers = await readerQuery(d, readerIds);
  const found = messageIds.length ? await d.select().from(messages).where(inArray(messages.id, messageIds)) : [];
  const events = eventIds.length ? await d.select().from(chatEvents).where(inArray(chatEvents.id, eventIds)) : [];
  const grouped = <T extends { chatId: string }, V>(rows: T[], value: (r: T) => V) => {
    const map = new Map<string, V[]>();
    for (const r of rows) map.set(r.chatId, [...(map.get(r.chatId) ?? []), value(r)]);
    return map;
  };
  return {
    summaries: new Map(summaries.map((s) => [s.id, s])),
    observers: grouped(observers, (o) => o.userId),
    readers: grouped(readers, (r) => r),
    messages: new Map(found.map((m) => [m.id, m])),
    events: new Map(events.map((e) => [e.id, e])),
  };
}

/** Maps compared order-free (a batch of two statements may append a chat's list in either order). */
const sorted = (rows: LiveRows) => ({
  summaries: [...rows.summaries.entries()].sort(),
  observers: [...rows.observers.entries()].map(([k, v]) => [k, [...v].sort()]).sort(),
  readers: [...rows.readers.entries()].map(([k, v]) => [k, [...v].sort((a, b) => a.userId.localeCompare(b.userId))]).sort(),
  messages: [...rows.messages.entries()].sort(),
  events: [...rows.events.entries()].sort(),
});

describe('live reads', () => {
  let chatIds: string[] = [];
  const messagesOf = new Map<string, string>();
  const eventsOf = new Map<string, string>();

  beforeAll(async () => {
    const [ana, bia] = [await makeUser('employee'), await makeUser('observer')];
    const integration = await makeIntegration();
    for (let i = 0; i < CHATS; i++) await ingest(integration, clientText(uniq(), `mensagem ${i}`));
    const rows = await db().select({ id: chats.id }).from(chats).where(inArray(chats.integrationId, [integration.id])).all();
    chatIds = rows.map((c) => c.id).sort();
    expect(chatIds).toHaveLength(CHATS);
    // Every other chat has an observer and read markers of two users, so lists differ chat to chat.
    const some = chatIds.filter((_, i) => i % 2 === 0);
    // D1 binds at most 100 values a statement: ten chats at a time.
    for (let i = 0; i < some.length; i += 10) {
      const part = some.slice(i, i + 10);
      await db().insert(chatObservers).values(part.map((chatId) => ({ chatId, userId: bia.id })));
      await db().insert(chatUserState).values(part.flatMap((chatId, k) => [
        { chatId, userId: ana.id, lastReadAt: i + k, muted: k % 3 === 0 },
        { chatId, userId: bia.id, lastReadAt: 0 },
      ]));
    }
    for (const m of await db().select({ id: messages.id, chatId: messages.chatId }).from(messages).where(inArray(messages.chatId, chatIds.slice(0, 90)))) messagesOf.set(m.chatId, m.id);
    for (const e of await db().select({ id: chatEvents.id, chatId: chatEvents.chatId }).from(chatEvents).where(inArray(chatEvents.chatId, chatIds.slice(0, 90)))) eventsOf.set(e.chatId, e.id);
  });

  const plan = (ids: string[]): LiveReadPlan => ({
    summaries: ids, observers: ids, readers: ids,
    messages: ids.flatMap((id) => messagesOf.get(id) ?? []), events: ids.flatMap((chatId) => { const id = eventsOf.get(chatId); return id ? [{ chatId, id }] : []; }),
  });

  async function expectBuilderRows(ids: string[], readerIds = ids) {
    const want = { ...plan(ids), readers: readerIds };
    const got = await readLiveRows(db(), want);
    const expected = await builderRows(ids, want.messages, want.events.map((e) => e.id), readerIds);
    expect(got.summaries.size).toBe(ids.length);
    expect(sorted(got)).toEqual(sorted(expected));
    return got;
  }

  it('reads one chat as the builder queries do, in one round trip of three statements', async () => {
    const got = await expectBuilderRows([chatIds[0]]);
    expect(got.observers.get(chatIds[0])).toHaveLength(1);
    expect(got.readers.get(chatIds[0])).toHaveLength(2);
    // Summary, observers and readers in one statement; the message and the event in one each.
    const counting = countingD1(env.DB);
    await readLiveRows(database(counting.d1), plan([chatIds[0]]));
    expect([counting.trips(), counting.statements()]).toEqual([1, 3]);
  });

  it("reads chats whose room alone changed (no readers wanted) beside inbox chats: each chat's rows as the builder queries read them", async () => {
    const got = await expectBuilderRows(chatIds.slice(0, 6), chatIds.slice(0, 3));
    expect([...got.readers.keys()].sort()).toEqual([chatIds[0], chatIds[2]]);
    expect([...got.observers.keys()].sort()).toEqual([chatIds[0], chatIds[2], chatIds[4]]);
  });

  it('binds each call its own ids: two sets of the same size, one after the other', async () => {
    const first = await expectBuilderRows(chatIds.slice(0, 2));
    const second = await expectBuilderRows(chatIds.slice(2, 4));
    expect([...second.summaries.keys()].sort()).toEqual(chatIds.slice(2, 4));
    expect([...first.summaries.keys()].some((id) => second.summaries.has(id))).toBe(false);
  });

  it('reads past one statement of ids: 91 chats in statements of 90 and 1', async () => {
    await expectBuilderRows(chatIds);
    // And the sizes on their own again, with other ids in the same slots.
    await expectBuilderRows(chatIds.slice(1, 91));
    await expectBuilderRows([chatIds[90]]);
  });
});
