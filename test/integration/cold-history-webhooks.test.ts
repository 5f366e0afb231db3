/**
 * Exactly-once across the move: once a chat's messages live in R2, the unique index on messages no
 * longer holds their external ids and the 48 h dedup rows are long gone, so a messenger redelivering an
 * old update must be stopped by archived_message_keys (and its trigger) on both ingest paths.
 */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { closeChat } from '../../worker/domain/chats';
import { purgeStaleRows } from '../../worker/domain/cleanup';
import { archiveColdHistory } from '../../worker/domain/history';
import { encryptToken } from '../../worker/domain/integrations';
import { archivedHistory, chats, messages } from '../../worker/data/schema';
import { wholeTimeline } from '../support/cold-history';
import { db, makeIntegration, makeUser } from '../support/factory';
import { tg, TG_SECRET } from '../support/webhook-calls';
import tgText from '../fixtures/telegram-text.json?raw';

const DAY = 24 * 3600 * 1000;
const redelivered = (updateId: number, messageId = 2) => {
  const body = JSON.parse(tgText);
  body.update_id = updateId;
  body.message.message_id = messageId;
  if (messageId !== 2) body.message.text = `new message ${messageId}`;
  return JSON.stringify(body);
};

describe('an archived chat and a redelivered old update', () => {
  it('stores the old message neither in D1 nor twice in the timeline, on the full and the known-chat path; new messages land', async () => {
    const admin = await makeUser('admin');
    const integration = await makeIntegration({ channel: 'telegram', tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, '1:test'), webhookSecret: TG_SECRET });
    expect((await tg(integration.id, tgText)).status).toBe(200);
    const chat = (await db().select().from(chats).where(eq(chats.integrationId, integration.id)).get())!;
    await closeChat({ db: db() }, admin, chat.id);

    const later = Date.now() + 400 * DAY;
    const report = await archiveColdHistory({ db: db(), bucket: env.MEDIA, now: () => later }, 12);
    expect(report.messages).toBeGreaterThanOrEqual(1);
    expect(await db().select().from(archivedHistory).where(eq(archivedHistory.chatId, chat.id)).all()).toHaveLength(1);
    const inD1 = () => db().select().from(messages).where(and(eq(messages.chatId, chat.id), eq(messages.externalId, '2'))).all();
    expect(await inD1()).toEqual([]);
    const texts = async () => (await wholeTimeline(admin, chat.id, 50)).filter((i) => i.kind === 'message').map((i) => (i.kind === 'message' ? i.text : ''));
    const original = JSON.parse(tgText).message.text;
    expect(await texts()).toEqual([original]);

    // The messenger retries it long after: its dedup row is gone (48 h). The chat is closed: the full path.
    await purgeStaleRows(db(), Date.now() + 49 * 3600 * 1000);
    expect((await tg(integration.id, tgText)).status).toBe(200);
    expect(await inD1()).toEqual([]);
    expect(await texts()).toEqual([original]);

    // Again under a new update id, now that the chat is open (as today, a client update reopens it): the known-chat batch.
    expect((await db().select({ status: chats.status }).from(chats).where(eq(chats.id, chat.id)).get())!.status).toBe('open');
    expect((await tg(integration.id, redelivered(734519999))).status).toBe(200);
    expect(await inD1()).toEqual([]);
    expect(await texts()).toEqual([original]);

    // A genuinely new message still lands in D1, after the archived one.
    expect((await tg(integration.id, redelivered(734520000, 3))).status).toBe(200);
    expect(await texts()).toEqual([original, 'new message 3']);
    expect(await db().select().from(messages).where(eq(messages.chatId, chat.id)).all()).toHaveLength(1);
  });
});
