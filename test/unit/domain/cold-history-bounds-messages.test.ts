/**
 * One cron run at the maxima (messages; chats in cold-history-bounds.test.ts, each file with its own database) it is built for (ARCHIVE_LIMITS: K = 50 chats, M = 5,000 messages, parts
 * of 1,000): it moves no more than that, parts stay whole, messages of Telegram's maximum length go
 * through, and the following runs drain the rest without losing or repeating anything.
 */
import { env } from 'cloudflare:workers';
import { count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ARCHIVE_LIMITS, archiveColdHistory, readPart } from '../../../worker/domain/history';
import { archivedHistory, messageCode, messages } from '../../../worker/data/schema';
import { closedChat, LONG_AGO, NOW, resetArchiveWalk } from '../../support/cold-history';
import { db } from '../../support/factory';

const run = () => archiveColdHistory({ db: db(), bucket: env.MEDIA, now: () => NOW }, 12);
const MAX_TEXT = 4096;

/** `n` more client messages in a chat, in one statement (building thousands through ingest would take minutes). */
async function addMessages(chatId: string, n: number, at: number, textLength: number) {
  await db().run(sql`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ${n})
    INSERT INTO messages (id, chat_id, direction, origin, text, attachments, external_id, status, created_at)
    SELECT ${chatId} || printf('x%06d', i), ${chatId}, ${messageCode('direction', 'in')}, ${messageCode('origin', 'client')}, substr(printf('%d %${sql.raw(String(textLength))}s', i, 'é'), 1, ${textLength}), '', ${chatId} || i, ${messageCode('status', 'received')}, ${at} + 10 + i FROM k`);
}

const inD1 = async () => (await db().select({ n: count() }).from(messages).get())!.n;
const archivedCount = async () => (await db().get<{ n: number }>(sql`SELECT coalesce(sum(message_count), 0) AS n FROM archived_history`)).n;

describe('a cron run is bounded by messages', () => {
  it(`moves at most ${ARCHIVE_LIMITS.messages} messages per run, whole parts of ${ARCHIVE_LIMITS.partMessages}, at the longest text`, async () => {
    await resetArchiveWalk();
    const big = await closedChat(['big'], LONG_AGO + 100_000);
    await addMessages(big.chatId, 1199, LONG_AGO + 100_000, MAX_TEXT);
    const small: string[] = [];
    for (let i = 0; i < 40; i++) {
      const chat = await closedChat([`small ${i}`], LONG_AGO + 200_000 + i * 10_000);
      await addMessages(chat.chatId, 99, LONG_AGO + 200_000 + i * 10_000, 200);
      small.push(chat.chatId);
    }
    const total = 1200 + 40 * 100;
    expect(await inD1()).toBe(total);

    const first = await run();
    // 1,200 (parts of 1,000 + 200) and then 38 chats of 100: exactly M; the 39th would pass it.
    expect(first).toMatchObject({ messages: ARCHIVE_LIMITS.messages, chats: 39 });
    const bigParts = await db().select().from(archivedHistory).where(eq(archivedHistory.chatId, big.chatId)).orderBy(archivedHistory.firstAt).all();
    expect(bigParts.map((p) => p.messageCount)).toEqual([1000, 200]);
    const rows = await readPart(env.MEDIA, bigParts[0].objectKey, big.chatId, bigParts[0].archivedAt);
    expect(rows).toHaveLength(1000);
    expect(rows.slice(1).every((r) => r.text.length === MAX_TEXT)).toBe(true);

    const second = await run();
    expect(second).toMatchObject({ messages: total - ARCHIVE_LIMITS.messages, chats: 2 });
    expect(await inD1()).toBe(0);
    expect(await archivedCount()).toBe(total);
  });
});
