import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker from '../../../worker/index';
import { archivedPartsBefore } from '../../../worker/data/archived-history';
import { TOP } from '../../../worker/data/keyset';
import { count, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiveColdHistory, readPart, type ArchiveLimits } from '../../../worker/domain/history';
import { listArchive, searchHistory } from '../../../worker/domain/chats';
import { archivedHistory, messages } from '../../../worker/data/schema';
import { closedChat, LONG_AGO, NOW, resetArchiveWalk, storedMessages, wholeTimeline } from '../../support/cold-history';
import { db } from '../../support/factory';

const move = (limits?: ArchiveLimits, afterObjectWritten?: (key: string) => void) =>
  archiveColdHistory({ db: db(), bucket: env.MEDIA, now: () => NOW, afterObjectWritten }, 12, limits);

async function pointers(chatId: string) {
  return db().select().from(archivedHistory).where(eq(archivedHistory.chatId, chatId)).orderBy(archivedHistory.firstAt).all();
}

/** Every message of every part of the chat, oldest first, as stored in R2. */
async function archivedRows(chatId: string) {
  const rows = [];
  for (const p of await pointers(chatId)) rows.push(...(await readPart(env.MEDIA, p.objectKey, chatId, p.archivedAt)));
  return rows;
}

/** Gives one message a value in every column that has a default, so the round trip is checked field by field. */
async function fillEveryColumn(messageId: string, chatId: string) {
  await db().update(messages).set({
    text: 'Olá, café ☕ — "quoted" <b>tags</b> and a newline\nhere',
    attachments: [{ kind: 'photo', key: `${chatId}-f1le`, fileName: 'foto.jpg', mimeType: 'image/jpeg', size: 1234 }, { kind: 'location', latitude: -23.5, longitude: -46.6 }],
    error: 'blocked by user', attempts: 3, sentParts: 1, nextAttemptAt: LONG_AGO + 5, editedAt: LONG_AGO + 7,
  }).where(eq(messages.id, messageId));
}

beforeEach(resetArchiveWalk);

describe('cold history leaves D1', () => {
  it('moves a long-closed chat to R2 and reads back every field of every message; the timeline is unchanged', async () => {
    const chat = await closedChat(['first', 'second', 'third'], LONG_AGO, { reply: 'a reply' });
    const before = await storedMessages(chat.chatId);
    expect(before).toHaveLength(4);
    await fillEveryColumn(before[1].id, chat.chatId);
    const rows = await storedMessages(chat.chatId);
    const timeline = await wholeTimeline(chat.admin, chat.chatId);
    // Not yet due: a chat closed 11 months ago stays.
    const recent = await closedChat(['recent'], NOW - 330 * 24 * 3600 * 1000);

    const report = await move();
    expect(report.chats).toBeGreaterThanOrEqual(1);
    expect(await storedMessages(chat.chatId)).toEqual([]);
    expect(await archivedRows(chat.chatId)).toEqual(rows);
    const [pointer] = await pointers(chat.chatId);
    expect(pointer).toMatchObject({ messageCount: 4, firstId: rows[0].id, lastId: rows[3].id });
    expect(pointer.objectKey).toBe(`history/${chat.chatId}/2025-04-${rows[0].id}.json.gz`);
    expect(await wholeTimeline(chat.admin, chat.chatId)).toEqual(timeline);
    expect(await storedMessages(recent.chatId)).toHaveLength(1);
    // The archived attachment keeps its link to the file, which stays where it was.
    const item = (await wholeTimeline(chat.admin, chat.chatId, 50)).find((i) => i.id === rows[1].id);
    expect(item).toMatchObject({ kind: 'message', attachments: [{ kind: 'photo', url: `/api/chats/${chat.chatId}/attachments/${chat.chatId}-f1le` }, { kind: 'location' }] });
  });

  it('survives a crash between the R2 write and the D1 delete: both copies readable once, the next run finishes', async () => {
    const chat = await closedChat(['um', 'dois', 'três', 'quatro'], LONG_AGO + 1000);
    const rows = await storedMessages(chat.chatId);
    const timeline = await wholeTimeline(chat.admin, chat.chatId);
    const written: string[] = [];
    await expect(move(undefined, (key) => {
      written.push(key);
      throw new Error('the Worker died here');
    })).rejects.toThrow('the Worker died here');

    // The object is in R2, the rows are still in D1, no pointer: reads see each message once.
    expect(written).toHaveLength(1);
    expect(await env.MEDIA.head(written[0])).not.toBeNull();
    expect(await storedMessages(chat.chatId)).toEqual(rows);
    expect(await pointers(chat.chatId)).toEqual([]);
    expect(await wholeTimeline(chat.admin, chat.chatId)).toEqual(timeline);

    const report = await move();
    expect(report.messages).toBeGreaterThanOrEqual(4);
    expect(await storedMessages(chat.chatId)).toEqual([]);
    expect((await pointers(chat.chatId)).map((p) => p.objectKey)).toEqual(written);
    expect(await archivedRows(chat.chatId)).toEqual(rows);
    expect(await wholeTimeline(chat.admin, chat.chatId)).toEqual(timeline);
    // A third run finds nothing left to do for it.
    await resetArchiveWalk();
    await move();
    expect(await pointers(chat.chatId)).toHaveLength(1);
  });

  it('refuses to delete rows that changed after they were written to R2, and leaves no pointer', async () => {
    const chat = await closedChat(['edited later'], LONG_AGO + 2000);
    const [row] = await storedMessages(chat.chatId);
    const report = await move(undefined, async () => {
      await db().update(messages).set({ text: 'edited later!', editedAt: NOW }).where(eq(messages.id, row.id));
    });
    expect(report.messages).toBe(0);
    expect(await storedMessages(chat.chatId)).toMatchObject([{ id: row.id, text: 'edited later!' }]);
    expect(await pointers(chat.chatId)).toEqual([]);
  });

  it('cuts a very long chat into one object per month, each at most partMessages', async () => {
    const texts = Array.from({ length: 7 }, (_, i) => `m${i}`);
    const chat = await closedChat(texts, Date.UTC(2025, 1, 28, 23, 59, 59, 997));
    // 1 ms apart: three in February, four in March, which the part cap (3) cuts in two.
    const rows = await storedMessages(chat.chatId);
    const timeline = await wholeTimeline(chat.admin, chat.chatId);
    await move({ chats: 50, messages: 5000, partMessages: 3, scanChats: 1000 });
    const parts = await pointers(chat.chatId);
    expect(parts.map((p) => [p.objectKey.split('/')[2].slice(0, 7), p.messageCount])).toEqual([['2025-02', 3], ['2025-03', 3], ['2025-03', 1]]);
    expect(await archivedRows(chat.chatId)).toEqual(rows);
    expect(await wholeTimeline(chat.admin, chat.chatId)).toEqual(timeline);
    expect(await wholeTimeline(chat.admin, chat.chatId, 4)).toEqual(timeline);
  });

  it('history search inside an archived chat finds its messages, accents and case aside, newest first, with a snippet', async () => {
    const chat = await closedChat(['Quero um SOFÁ azul', 'nada aqui', 'o sofa chegou?'], LONG_AGO + 3000);
    await move();
    expect(await storedMessages(chat.chatId)).toEqual([]);
    const found = await searchHistory(db(), chat.admin, chat.chatId, 'sofa', undefined, 10, env.MEDIA);
    expect(found.items.map((i) => i.text)).toEqual(['o sofa chegou?', 'Quero um SOFÁ azul']);
    expect(found.items[1].snippet).toBe('Quero um <mark>SOFÁ</mark> azul');
    expect(found.nextCursor).toBeNull();
    const paged = await searchHistory(db(), chat.admin, chat.chatId, 'so', undefined, 1, env.MEDIA);
    expect(paged.items.map((i) => i.text)).toEqual(['o sofa chegou?']);
    const rest = await searchHistory(db(), chat.admin, chat.chatId, 'so', paged.nextCursor!, 1, env.MEDIA);
    expect(rest.items.map((i) => i.text)).toEqual(['Quero um SOFÁ azul']);
    expect((await searchHistory(db(), chat.admin, chat.chatId, 'azul sofá', undefined, 10, env.MEDIA)).items).toHaveLength(1);
    expect((await searchHistory(db(), chat.admin, chat.chatId, 'verde', undefined, 10, env.MEDIA)).items).toEqual([]);
  });

  it('archive free text says when archived history was not searched', async () => {
    const chat = await closedChat(['zebrafish inquiry'], LONG_AGO + 4000);
    await move();
    const [{ n }] = await db().select({ n: count() }).from(archivedHistory);
    expect(n).toBeGreaterThan(0);
    const page = await listArchive(db(), chat.admin, { q: 'zebrafish' }, undefined, 10);
    expect(page.items.map((c) => c.id)).not.toContain(chat.chatId);
    expect(page.olderHistoryNotSearched).toBe(true);
    expect((await listArchive(db(), chat.admin, {}, undefined, 10)).olderHistoryNotSearched).toBe(false);
    // The chat itself is still listed and found by its contact.
    const all = await db().get<{ n: number }>(sql`SELECT count(*) AS n FROM chats WHERE id = ${chat.chatId}`);
    expect(all.n).toBe(1);
  });

  it('the hourly Cron Trigger runs the move with the retention in force', async () => {
    const chat = await closedChat(['from the cron'], LONG_AGO + 5000);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '17 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await storedMessages(chat.chatId)).toEqual([]);
    expect(await pointers(chat.chatId)).toHaveLength(1);
  });

  it('a timeline page finds a chat\'s parts through the archived_history_chat index', async () => {
    const q = archivedPartsBefore(db(), 'somechat', TOP).toSQL();
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).bind(...q.params).all<{ detail: string }>();
    expect(plan.results.map((r) => r.detail).join(' | ')).toMatch(/USING INDEX archived_history_chat/);
  });
});
