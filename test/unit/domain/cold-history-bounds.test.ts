/**
 * One cron run at the chats maximum (ARCHIVE_LIMITS.chats); the messages maximum is in
 * cold-history-bounds-messages.test.ts (each file has its own database).
 */
import { env } from 'cloudflare:workers';
import { count, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ARCHIVE_LIMITS, archiveColdHistory } from '../../../worker/domain/history';
import { messages } from '../../../worker/data/schema';
import { closedChat, LONG_AGO, NOW, resetArchiveWalk } from '../../support/cold-history';
import { db } from '../../support/factory';

const run = () => archiveColdHistory({ db: db(), bucket: env.MEDIA, now: () => NOW }, 12);

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
