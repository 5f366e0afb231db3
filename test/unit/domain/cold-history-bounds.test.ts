/**
 * One cron run at the maxima it is built for (ARCHIVE_LIMITS: K = 50 chats, M = 5,000 messages, parts
 * of 1,000): it moves no more than that, parts stay whole, messages of Telegram's maximum length go
 * through, and the following runs drain the rest without losing or repeating anything.
 */
import { env } from 'cloudflare:workers';
import { count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ARCHIVE_LIMITS, archiveColdHistory, readPart } from '../../../worker/domain/history';
import { archivedHistory, messages } from '../../../worker/data/schema';
import { closedChat, LONG_AGO, NOW, resetArchiveWalk } from '../../support/cold-history';
import { db } from '../../support/factory';

const run = () => archiveColdHistory({ db: db(), bucket: env.MEDIA, now: () => NOW }, 12);
const MAX_TEXT = 4096;

/** `n` more client messages in a chat, in one statement (building thousands through ingest would take minutes). */
async function addMessages(chatId: string, n: number, at: number, textLength: number) {
  await db().run(sql`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ${n})
    INSERT INTO messages (id, chat_id, direction, origin, text, attachments, external_id, status, created_at)
    SELECT ${chatId} || printf('x%06d', i), ${chatId}, 'in', 'client', substr(printf('%d %${sql.raw(String(textLength))}s', i, 'é'), 1, ${textLength}), '[]', ${chatId} || i, 'received', ${at} + 10 + i FROM k`);
}

const inD1 = async () => (await db().select({ n: count() }).from(messages).get())!.n;
const archivedCount = async () => (await db().get<{ n: number }>(sql`SELECT coalesce(sum(message_count), 0) AS n FROM archived_history`)).n;

describe('a cron run is bounded by chats', () => {
  it(`moves at most ${ARCHIVE_LIMITS.chats} chats per run`, async () => {
    await resetArchiveWalk();
    const ids: string[] = [];
    for (let i = 0; i < ARCHIVE_LIMITS.chats + 1; i++) ids.push((await closedChat([`chat ${i}`], LONG_AGO + i * 10)).chatId);
    const first = await run();
    expect(first).toMatchObject({ chats: ARCHIVE_LIMITS.chats, messages: ARCHIVE_LIMITS.chats });
    const second = await run();
    expect(second).toMatchObject({ chats: 1, messages: 1 });
    expect(await inD1()).toBe(0);
    expect(await archivedCount()).toBe(ids.length);
  });
});
