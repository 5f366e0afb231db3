/**
 * What a webhook costs in D1 round trips (issue 14): a known client's text in an open chat, with the
 * integration's row kept from an earlier webhook of this isolate, is ONE round trip — lookup, write and
 * the rows its live frames need — and the publish reads nothing back. The kept row must never let a
 * disabled or re-keyed bot write.
 */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { database } from '../../../worker/data/db';
import { chatObservers, chats, chatUserState, integrations, messages } from '../../../worker/data/schema';
import { readLiveRows } from '../../../worker/data/live-reads';
import { receiveWebhook } from '../../../worker/domain/ingest';
import { buildLive, planLive, renderLive } from '../../../worker/domain/live';
import { toMessageItem } from '../../../worker/data/message-item';
import { publisherVia } from '../../../worker/objects/publish';
import { db, makeIntegration, makeUser } from '../../support/factory';
import { TG_SECRET } from '../../support/webhook-calls';
import { countingD1 } from '../../support/counting-d1';
import tgPhoto from '../../fixtures/telegram-photo.json?raw';

let updateId = 900_000;
/** A Telegram text from one client, as the Bot API posts it (docs/telegram.md). */
function tgText(clientId: number, text: string) {
  const id = ++updateId;
  const from = { id: clientId, is_bot: false, first_name: 'Ana' };
  return JSON.stringify({ update_id: id, message: { message_id: id, from, chat: { ...from, type: 'private' }, date: 1754042461, text } });
}

function webhook(counting: ReturnType<typeof countingD1>, integrationId: string, rawBody: string, secret = TG_SECRET) {
  return receiveWebhook(
    { db: database(counting.d1), pickManager: async () => null, encryptionKey: env.ENCRYPTION_KEY },
    { channel: 'telegram', integrationId, rawBody, headers: new Headers({ 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }) },
  );
}

async function messagesOf(integrationId: string, clientId: number) {
  return db().select({ text: messages.text }).from(messages).innerJoin(chats, eq(chats.id, messages.chatId))
    .where(and(eq(chats.integrationId, integrationId), eq(chats.externalChatId, String(clientId)))).all();
}

describe('webhook D1 round trips', () => {
  it("a known client's text in an open chat is one round trip when the integration is kept, and its publish reads nothing", async () => {
    const integration = await makeIntegration({ webhookSecret: TG_SECRET });
    const counting = countingD1(env.DB);
    await webhook(counting, integration.id, tgText(5001, 'first: makes the chat, keeps the row'));

    counting.reset();
    const { result } = await webhook(counting, integration.id, tgText(5001, 'second'));
    expect(counting.trips()).toBe(1);
    expect(result.duplicate).toBe(false);
    expect((await messagesOf(integration.id, 5001)).map((m) => m.text)).toEqual(['first: makes the chat, keeps the row', 'second']);
    const chat = await db().select().from(chats).where(and(eq(chats.integrationId, integration.id), eq(chats.externalChatId, '5001'))).get();
    expect(chat).toMatchObject({ lastMessagePreview: 'second', status: 'open' });
    expect(result.changes.map((c) => c.kind)).toEqual(['chat_updated', 'message']);

    // The rows the write returned make the very frames a read-back would.
    const plans = planLive(result.changes);
    expect(result.liveRows).toBeDefined();
    expect(renderLive(plans, result.liveRows!, toMessageItem)).toEqual(await buildLive(db(), plans, toMessageItem));
    await publisherVia({ ...env, DB: counting.d1 })(result.changes, result.liveRows);
    expect(counting.trips()).toBe(1);
  });

  it("the hot batch of a chat seen open is four statements, and the rows it returns are a read-back's: observers, readers' marks and mutes, a photo's attachments", async () => {
    const integration = await makeIntegration({ webhookSecret: TG_SECRET });
    const counting = countingD1(env.DB);
    await webhook(counting, integration.id, tgText(5701, 'first: makes the chat'));
    await webhook(counting, integration.id, tgText(5701, 'second: the chat is seen open from now on'));
    const chat = await db().select().from(chats).where(and(eq(chats.integrationId, integration.id), eq(chats.externalChatId, '5701'))).get();
    const [watcher, reader, muter] = [await makeUser('employee'), await makeUser('employee'), await makeUser('observer')];
    await db().insert(chatObservers).values([{ chatId: chat!.id, userId: watcher.id }, { chatId: chat!.id, userId: muter.id }]);
    await db().insert(chatUserState).values([
      { chatId: chat!.id, userId: reader.id, lastReadAt: chat!.lastMessageAt },
      { chatId: chat!.id, userId: muter.id, muted: true, lastReadAt: 0 },
    ]);

    const photo = JSON.parse(tgPhoto);
    const body = JSON.stringify({ ...photo, update_id: ++updateId, message: { ...photo.message, message_id: updateId, from: { ...photo.message.from, id: 5701 }, chat: { ...photo.message.chat, id: 5701 } } });
    counting.reset();
    const { result } = await webhook(counting, integration.id, body);
    expect(counting.trips()).toBe(1);
    expect(counting.statements()).toBe(4);
    const messageId = result.changes.find((c) => c.kind === 'message')!.messageId;
    const readBack = await readLiveRows(db(), { summaries: [chat!.id], observers: [chat!.id], readers: [chat!.id], messages: [messageId], events: [] });
    expect(result.liveRows).toEqual(readBack);
    expect(readBack.observers.get(chat!.id)).toHaveLength(2);
    expect(readBack.readers.get(chat!.id)!.map((r) => [r.muted, r.unreadCount])).toEqual(expect.arrayContaining([[false, 1], [true, 3]]));
    expect(readBack.messages.get(messageId)).toMatchObject({ text: 'A caixa chegou assim, amassada 😕', direction: 'in', origin: 'client', status: 'received' });
    expect(readBack.messages.get(messageId)!.attachments).toHaveLength(1);
  });

  it('a new client with the integration kept takes at most two round trips, its publish none; a replay is refused and stores nothing', async () => {
    const integration = await makeIntegration({ webhookSecret: TG_SECRET });
    const counting = countingD1(env.DB);
    await webhook(counting, integration.id, tgText(5101, 'warm-up'));
    counting.reset();
    const fresh = await webhook(counting, integration.id, tgText(5102, 'hello, I am new'));
    expect(counting.trips()).toBeLessThanOrEqual(2);
    // Its write batch also read what the new chat's frames need: the publish reads nothing back.
    const plans = planLive(fresh.result.changes);
    expect(fresh.result.liveRows).toBeDefined();
    expect(renderLive(plans, fresh.result.liveRows!, toMessageItem)).toEqual(await buildLive(db(), plans, toMessageItem));
    expect(renderLive(plans, fresh.result.liveRows!, toMessageItem).inbox.map((e) => e.message?.text)).toEqual(['hello, I am new']);
    counting.reset();
    await publisherVia({ ...env, DB: counting.d1 })(fresh.result.changes, fresh.result.liveRows);
    expect(counting.trips()).toBe(0);

    const body = tgText(5101, 'once');
    expect((await webhook(counting, integration.id, body)).result.duplicate).toBe(false);
    expect((await webhook(counting, integration.id, body)).result.duplicate).toBe(true);
    expect((await messagesOf(integration.id, 5101)).map((m) => m.text)).toEqual(['warm-up', 'once']);
  });

  it("a chat that just took a message on the hot path leaves the full path's reads out of its next batch; closed or replayed, it still gets the full path", async () => {
    const integration = await makeIntegration({ webhookSecret: TG_SECRET });
    const counting = countingD1(env.DB);
    await webhook(counting, integration.id, tgText(5501, 'first: makes the chat'));
    counting.reset();
    await webhook(counting, integration.id, tgText(5501, 'second: the hot path, reads for the full path included'));
    const withReads = counting.statements();
    counting.reset();
    const third = tgText(5501, 'third: the hot path, this chat seen open');
    await webhook(counting, integration.id, third);
    expect(counting.trips()).toBe(1);
    // The integration's row, the dedup row, contact, chat, first stage and new-chat queue reads are left out.
    expect(counting.statements()).toBe(withReads - 6);

    // Thought open, but a replay: the full path reads for itself and refuses it.
    counting.reset();
    expect((await webhook(counting, integration.id, third)).result.duplicate).toBe(true);
    expect(counting.trips()).toBe(2);

    // Thought open, but closed by a manager since: the client's message still reopens it.
    await webhook(counting, integration.id, tgText(5501, 'fourth: seen open again'));
    await db().update(chats).set({ status: 'closed', closedAt: Date.now() }).where(and(eq(chats.integrationId, integration.id), eq(chats.externalChatId, '5501')));
    counting.reset();
    const { result } = await webhook(counting, integration.id, tgText(5501, 'back again'));
    // The hot batch (which wrote nothing), the full path's own read, then the reopen's two: one read
    // more than a reopen the isolate did not think open, once.
    expect(counting.trips()).toBe(4);
    expect(result.changes).toContainEqual(expect.objectContaining({ kind: 'chat_updated', reason: 'reopened' }));
    const chat = await db().select().from(chats).where(and(eq(chats.integrationId, integration.id), eq(chats.externalChatId, '5501'))).get();
    expect(chat).toMatchObject({ status: 'open', lastMessagePreview: 'back again' });
    expect((await messagesOf(integration.id, 5501)).map((m) => m.text)).toEqual([
      'first: makes the chat', 'second: the hot path, reads for the full path included', 'third: the hot path, this chat seen open', 'fourth: seen open again', 'back again',
    ]);
  });

  it('outside business hours a text within an out-of-office burst is still one round trip; the burst starts with at most two', async () => {
    const closed = JSON.stringify({ timeZone: 'Europe/Lisbon', weekly: {}, outOfOfficeText: 'Fechado agora.' });
    const integration = await makeIntegration({ webhookSecret: TG_SECRET, businessHours: closed });
    const counting = countingD1(env.DB);
    await webhook(counting, integration.id, tgText(5401, 'warm-up: a new chat and its out-of-office reply'));
    counting.reset();
    await webhook(counting, integration.id, tgText(5401, 'in the burst'));
    expect(counting.trips()).toBe(1);
    // A manager's reply ends the burst: the next text takes the full path for its reply, in two.
    const chat = await db().select().from(chats).where(and(eq(chats.integrationId, integration.id), eq(chats.externalChatId, '5401'))).get();
    await db().insert(messages).values({ id: `m-${chat!.id}`, chatId: chat!.id, direction: 'out', origin: 'agent', text: 'Amanhã', status: 'sent', createdAt: Date.now() });
    counting.reset();
    const { result } = await webhook(counting, integration.id, tgText(5401, 'after the reply'));
    expect(counting.trips()).toBeLessThanOrEqual(2);
    expect(result.outbound).toHaveLength(1);
  });

  it('a stored message does not read the kept integration row back; a changed no-reply timer is read and used at once', async () => {
    const integration = await makeIntegration({ webhookSecret: TG_SECRET });
    const counting = countingD1(env.DB);
    await webhook(counting, integration.id, tgText(5601, 'first: makes the chat, keeps the row'));
    await webhook(counting, integration.id, tgText(5601, 'second: keeps it again'));
    counting.reset();
    const third = await webhook(counting, integration.id, tgText(5601, 'third'));
    expect(counting.trips()).toBe(1);
    expect(third.reassignAfterMinutes).toBeNull();
    // The integration's row (its credentials) is not among the rows a stored message brings back.
    expect(counting.lastBatchRows().some((row) => 'token_encrypted' in row)).toBe(false);

    await db().update(integrations).set({ reassignAfterMinutes: 7 }).where(eq(integrations.id, integration.id));
    counting.reset();
    const fourth = await webhook(counting, integration.id, tgText(5601, 'fourth: the timer changed meanwhile'));
    // The kept row's timer fails the guard: the hot batch writes nothing, and the full path (its read,
    // its write) goes on from the row read afresh. Once per isolate and change, not per chat.
    expect(counting.trips()).toBe(3);
    expect(fourth.reassignAfterMinutes).toBe(7);
    expect(fourth.result.changes.map((c) => c.kind)).toEqual(['chat_updated', 'message']);
    counting.reset();
    const fifth = await webhook(counting, integration.id, tgText(5601, 'fifth: from the row kept since'));
    expect(counting.trips()).toBe(1);
    expect(fifth.reassignAfterMinutes).toBe(7);
    expect((await messagesOf(integration.id, 5601)).map((m) => m.text)).toEqual([
      'first: makes the chat, keeps the row', 'second: keeps it again', 'third', 'fourth: the timer changed meanwhile', 'fifth: from the row kept since',
    ]);
  });

  it("a stranger's refused request does not push the bot's real traffic off the one-round-trip path", async () => {
    const integration = await makeIntegration({ webhookSecret: TG_SECRET });
    const counting = countingD1(env.DB);
    await webhook(counting, integration.id, tgText(5301, 'warm-up'));
    await expect(webhook(counting, integration.id, tgText(5301, 'forged'), 'tg_wh_not_the_secret_0000000000000000')).rejects.toMatchObject({ status: 401 });
    counting.reset();
    await webhook(counting, integration.id, tgText(5301, 'real'));
    expect(counting.trips()).toBe(1);
    expect((await messagesOf(integration.id, 5301)).map((m) => m.text)).toEqual(['warm-up', 'real']);
  });

  it('a kept row never writes through: a disabled bot is 404, a new secret makes the old one 401, nothing stored', async () => {
    const integration = await makeIntegration({ webhookSecret: TG_SECRET });
    const counting = countingD1(env.DB);
    await webhook(counting, integration.id, tgText(5201, 'warm-up'));

    await db().update(integrations).set({ webhookSecret: 'tg_wh_rotated_secret_0123456789abcdef' }).where(eq(integrations.id, integration.id));
    await expect(webhook(counting, integration.id, tgText(5201, 'old secret'))).rejects.toMatchObject({ status: 401 });
    await webhook(counting, integration.id, tgText(5201, 'new secret'), 'tg_wh_rotated_secret_0123456789abcdef');

    await db().update(integrations).set({ enabled: false }).where(eq(integrations.id, integration.id));
    await expect(webhook(counting, integration.id, tgText(5201, 'disabled'), 'tg_wh_rotated_secret_0123456789abcdef')).rejects.toMatchObject({ status: 404 });
    expect((await messagesOf(integration.id, 5201)).map((m) => m.text)).toEqual(['warm-up', 'new secret']);
  });
});
