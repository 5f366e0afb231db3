/**
 * The outbox around deliverMessage: the exported queue handler (ack / retry with the messenger's delay),
 * client files fetched by the consumer, and the OutboxSweeper alarm re-driving rows the queue lost.
 */
import { createExecutionContext, createMessageBatch, getQueueResult, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import worker from '../../worker/index';
import { consumeOutbox } from '../../worker/queue-consumer';
import { messages } from '../../worker/data/schema';
import { postAgentMessage } from '../../worker/domain/outbound';
import { findDueMessages } from '../../worker/domain/outbound';
import { HEARTBEAT_MS, KEEP_AWAKE_MS, sweeperWatch, type OutboxSweeper } from '../../worker/objects/outbox-sweeper';
import { encryptToken } from '../../worker/domain/integrations';
import type { OutboxMessage } from '../../worker/env';
import type { ParsedUpdate } from '../../worker/messengers/types';
import { clientText, db, ingest, makeIntegration, makeUser, uniq } from '../support/factory';
import { countingD1 } from '../support/counting-d1';
import { messengerFake, telegramError, TELEGRAM_TOKEN, type MessengerFake } from '../support/messenger-fake';

let fake: MessengerFake;
beforeEach(() => {
  fake = messengerFake().install();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function telegramChat() {
  const integration = await makeIntegration({ name: 'Loja Exemplo', tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, TELEGRAM_TOKEN) });
  const client = String(6_000_000_000 + Math.floor(Math.random() * 1e9));
  await ingest(integration, clientText(client, `hello ${client}`));
  const { chatId } = (await db().select({ chatId: messages.chatId }).from(messages).where(eq(messages.text, `hello ${client}`)).get())!;
  return { integration, client, chatId, manager: await makeUser('employee') };
}

async function consume(...messageIds: (string | OutboxMessage)[]) {
  const bodies = messageIds.map((m) => (typeof m === 'string' ? { messageId: m } : m));
  const batch = createMessageBatch<OutboxMessage>('ponte-outbox', bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })));
  // The test double ignores retry delays, so record what the consumer asked for.
  const retries = batch.messages.map((m) => vi.spyOn(m, 'retry'));
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  const result = await getQueueResult(batch, ctx);
  return { result, retries };
}

const row = async (id: string) => (await db().select().from(messages).where(eq(messages.id, id)).get())!;

describe('queue consumer', () => {
  it('delivers and acks; a 429 is retried after retry_after; the retried copy then delivers', async () => {
    const { chatId, manager } = await telegramChat();
    const { message } = await postAgentMessage({ db: db() }, { chatId, authorId: manager.id, text: 'Olá!' });
    fake.failNext('sendMessage', telegramError(429, 'Too Many Requests: retry after 7', 7));
    const first = await consume(message.id);
    expect(first.result.explicitAcks).toEqual([]);
    expect(first.retries[0]).toHaveBeenCalledWith({ delaySeconds: 7 });
    expect((await row(message.id)).status).toBe('sending');

    // Pretend the 7 s went by.
    await db().update(messages).set({ nextAttemptAt: Date.now() }).where(eq(messages.id, message.id));
    const second = await consume(message.id);
    expect(second.result.explicitAcks).toEqual(['m0']);
    expect(await row(message.id)).toMatchObject({ status: 'sent', error: null });
    expect(fake.sent('sendMessage')).toHaveLength(2);
  });

  it('acks copies of rows that need nothing (already sent, unknown, malformed body)', async () => {
    const { chatId, manager } = await telegramChat();
    const { message } = await postAgentMessage({ db: db() }, { chatId, authorId: manager.id, text: 'once' });
    await consume(message.id);
    const again = await consume(message.id, 'no-such-message');
    expect(again.result.explicitAcks.sort()).toEqual(['m0', 'm1']);
    expect(fake.sent('sendMessage')).toHaveLength(1);
  });

  it('fetches a client file the webhook could not (the row says what is pending)', async () => {
    const { integration, client } = await telegramChat();
    const update: ParsedUpdate = {
      dedupKey: `u:${uniq()}`,
      events: [{
        type: 'message', text: '', externalMessageId: uniq(), sentAt: Date.now(),
        sender: { externalId: client, externalChatId: client, name: 'Ana' },
        media: { kind: 'document', ref: 'BQACAgQAAxkBAAM', fileName: 'fatura.pdf', mimeType: 'application/pdf', size: 8 },
      }],
    };
    const { media } = await ingest(integration, update);
    const messageId = media[0].messageId;
    expect((await row(messageId)).nextAttemptAt).not.toBeNull();
    await consume(messageId);
    const stored = await row(messageId);
    expect(stored.nextAttemptAt).toBeNull();
    const [file] = stored.attachments as { key: string; fileName: string; mimeType: string }[];
    expect(file).toMatchObject({ fileName: 'fatura.pdf', mimeType: 'application/pdf' });
    expect(fake.sent('getFile')[0].params).toEqual({ file_id: 'BQACAgQAAxkBAAM' });
    expect(await env.MEDIA.head(file.key)).not.toBeNull();
  });
});

describe('queue consumer: order within a chat, chats side by side', () => {
  it("a chat's replies leave oldest first in one go: a waiting copy is acked and the reply before it hands it on", async () => {
    const { chatId, manager } = await telegramChat();
    const ids = [];
    for (const text of ['um', 'dois', 'três']) ids.push((await postAgentMessage({ db: db() }, { chatId, authorId: manager.id, text })).message.id);
    // The queue saw only the last and the first (in that order), as when copies arrive out of order.
    const { result, retries } = await consume({ messageId: ids[2], chatId }, { messageId: ids[0], chatId });
    expect(result.explicitAcks.sort()).toEqual(['m0', 'm1']);
    expect(retries.every((r) => r.mock.calls.length === 0)).toBe(true);
    expect(fake.sent('sendMessage').map((c) => c.params.text)).toEqual(['um', 'dois', 'três']);
    for (const id of ids) expect((await row(id)).status).toBe('sent');
  });

  it('a slow messenger call in one chat does not hold up another chat of the same batch', async () => {
    const slow = await telegramChat();
    const quick = await telegramChat();
    const a = await postAgentMessage({ db: db() }, { chatId: slow.chatId, authorId: slow.manager.id, text: 'slow one' });
    const b = await postAgentMessage({ db: db() }, { chatId: quick.chatId, authorId: quick.manager.id, text: 'quick one' });
    // The slow chat's send answers only once the other chat's send was made; one at a time it never would (500).
    fake.failNext('sendMessage', async (normal) => {
      for (let i = 0; i < 500 && !fake.sent('sendMessage').some((c) => c.params.text === 'quick one'); i++) await new Promise((r) => setTimeout(r, 20));
      return fake.sent('sendMessage').some((c) => c.params.text === 'quick one') ? normal() : telegramError(500, 'Internal Server Error')();
    });
    await consume({ messageId: a.message.id, chatId: slow.chatId }, { messageId: b.message.id, chatId: quick.chatId });
    expect((await row(a.message.id)).status).toBe('sent');
    expect((await row(b.message.id)).status).toBe('sent');
  });
});

describe('queue consumer: D1 round trips', () => {
  it("the first reply of every chat in a batch is looked at and claimed in one round trip, and their deliveries recorded in one more; each is still sent once", async () => {
    const chats = [await telegramChat(), await telegramChat(), await telegramChat(), await telegramChat()];
    const bodies = [];
    for (const [i, c] of chats.entries()) bodies.push({ messageId: (await postAgentMessage({ db: db() }, { chatId: c.chatId, authorId: c.manager.id, text: `lote ${i}` })).message.id, chatId: c.chatId });
    const counting = countingD1(env.DB);
    const batch = createMessageBatch<OutboxMessage>('ponte-outbox', bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })));
    const ctx = createExecutionContext();
    // A window no send outlasts: on a slow machine four sends can finish more than the consumer's 10 ms
    // apart, and the records would then (rightly) go in two batches.
    await consumeOutbox(batch, { ...env, DB: counting.d1 }, ctx, { recordWindowMs: 60_000 });
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(['m0', 'm1', 'm2', 'm3']);
    for (const { messageId } of bodies) expect((await row(messageId)).status).toBe('sent');
    expect(fake.sent('sendMessage').map((c) => c.params.text).sort()).toEqual(['lote 0', 'lote 1', 'lote 2', 'lote 3']);
    // One for the four claims, one for the four records (each finding its chat's next reply).
    expect(counting.trips()).toBe(2);
  });

  it('the same reply queued with its chat and without (an older payload) is sent once', async () => {
    const { chatId, manager } = await telegramChat();
    const { message } = await postAgentMessage({ db: db() }, { chatId, authorId: manager.id, text: 'uma vez' });
    const batch = createMessageBatch<OutboxMessage>('ponte-outbox', [
      { id: 'with-chat', timestamp: new Date(), attempts: 1, body: { messageId: message.id, chatId } },
      { id: 'without', timestamp: new Date(), attempts: 1, body: { messageId: message.id } as OutboxMessage },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    await getQueueResult(batch, ctx);
    expect((await row(message.id)).status).toBe('sent');
    expect(fake.sent('sendMessage').map((c) => c.params.text)).toEqual(['uma vez']);
  });
});

describe('OutboxSweeper', () => {
  it('re-enqueues a reply the queue never saw, which is then delivered; the alarm stays armed while rows are pending', async () => {
    const { chatId, manager } = await telegramChat();
    // Stored a minute ago and never enqueued: as after a restart that lost the in-memory queue.
    const { message } = await postAgentMessage({ db: db(), now: () => Date.now() - 60_000 }, { chatId, authorId: manager.id, text: 'lost and found' });
    const pending = await postAgentMessage({ db: db(), now: () => Date.now() + 3_600_000 }, { chatId, authorId: manager.id, text: 'later' });
    const stub = env.OUTBOX_SWEEPER.get(env.OUTBOX_SWEEPER.idFromName('outbox'));
    await stub.arm(Date.now() + 60_000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await vi.waitFor(async () => expect((await row(message.id)).status).toBe('sent'), { timeout: 10_000, interval: 100 });
    expect(fake.sent('sendMessage').map((c) => c.params.text)).toEqual(['lost and found']);
    // Now only "later" is pending: while the sweeper is awake (it was armed) the heartbeat brings the
    // alarm back soon; once asleep, the next run sets the alarm for when "later" will be overdue.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())).toBeLessThanOrEqual(Date.now() + HEARTBEAT_MS);
    await runInDurableObject(stub, (_instance, state) => state.storage.kv.put('awakeUntil', Date.now() - 1));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const alarm = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThan(Date.now() + 3_000_000);
    expect((await row(pending.message.id)).status).toBe('sending');
  });

  it('an armed sweeper stays awake: with nothing due its alarm comes back within a heartbeat, and a row stored later without arming is re-driven', async () => {
    const stub = env.OUTBOX_SWEEPER.get(env.OUTBOX_SWEEPER.idFromName(`awake-${uniq()}`));
    const awakeUntil = await stub.arm(Date.now() + 60_000);
    expect(awakeUntil).toBeGreaterThanOrEqual(Date.now() + KEEP_AWAKE_MS - 5_000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const heartbeat = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    expect(heartbeat).not.toBeNull();
    expect(heartbeat!).toBeLessThanOrEqual(Date.now() + HEARTBEAT_MS);

    // A webhook in the awake time does not arm; the row it stored is lost by the queue.
    const { chatId, manager } = await telegramChat();
    const { message } = await postAgentMessage({ db: db(), now: () => Date.now() - 60_000 }, { chatId, authorId: manager.id, text: 'nobody armed for me' });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await vi.waitFor(async () => expect((await row(message.id)).status).toBe('sent'), { timeout: 10_000, interval: 100 });
  });

  it('arming for a retry far ahead still brings the alarm within a heartbeat (isolates that skip arming count on it)', async () => {
    const stub = env.OUTBOX_SWEEPER.get(env.OUTBOX_SWEEPER.idFromName(`far-${uniq()}`));
    await stub.arm(Date.now() + 3_600_000);
    const alarm = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThanOrEqual(Date.now() + HEARTBEAT_MS);
  });

  it('a sweeper whose awake time has passed stops its heartbeat', async () => {
    const stub = env.OUTBOX_SWEEPER.get(env.OUTBOX_SWEEPER.idFromName(`asleep-${uniq()}`));
    await stub.arm(Date.now());
    await runInDurableObject(stub, (_instance, state) => state.storage.kv.put('awakeUntil', Date.now() - 1));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const alarm = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    // Only a pending row (if another test left one) brings it back, at that row's time; no heartbeat.
    expect(alarm === null || alarm > Date.now() + HEARTBEAT_MS).toBe(true);
  });

  it("an isolate arms once per awake time, and again before the sweeper's awake time could run out", () => {
    const watch = sweeperWatch(HEARTBEAT_MS);
    const t = 1_000_000_000;
    expect(watch.needsArm(t)).toBe(true);
    watch.armed(t + KEEP_AWAKE_MS);
    expect(watch.needsArm(t)).toBe(false);
    expect(watch.needsArm(t + KEEP_AWAKE_MS - 2 * HEARTBEAT_MS - 1)).toBe(false);
    // From here a row stored now might meet a sweeper that fell asleep before its next heartbeat.
    expect(watch.needsArm(t + KEEP_AWAKE_MS - 2 * HEARTBEAT_MS)).toBe(true);
    // An older answer (a slower arm that returns late) does not shorten what is known.
    watch.armed(t);
    expect(watch.needsArm(t + 1)).toBe(false);
  });

  it('re-drives only the oldest waiting reply of a chat: the ones behind it are handed on by its delivery', async () => {
    const { chatId, manager } = await telegramChat();
    const an_hour_ago = Date.now() - 3_600_000;
    const first = await postAgentMessage({ db: db(), now: () => an_hour_ago }, { chatId, authorId: manager.id, text: 'primeira' });
    const second = await postAgentMessage({ db: db(), now: () => an_hour_ago + 1 }, { chatId, authorId: manager.id, text: 'segunda' });
    const due = await findDueMessages(db(), Date.now(), 100);
    expect(due).toContainEqual({ messageId: first.message.id, chatId });
    expect(due.map((d) => d.messageId)).not.toContain(second.message.id);
  });

  it('an alarm left in the past (local workerd forgets alarms across a restart) is set again by arm and by wake', async () => {
    const { chatId, manager } = await telegramChat();
    await postAgentMessage({ db: db(), now: () => Date.now() - 120_000 }, { chatId, authorId: manager.id, text: 'esquecida' });
    const stub = env.OUTBOX_SWEEPER.get(env.OUTBOX_SWEEPER.idFromName(`stale-${uniq()}`));
    const set = await runInDurableObject(stub, async (object, state) => {
      const instance = object as unknown as OutboxSweeper;
      const stale = Date.now() - 60_000;
      vi.spyOn(state.storage, 'getAlarm').mockResolvedValue(stale);
      const setAlarm = vi.spyOn(state.storage, 'setAlarm').mockResolvedValue();
      const later = Date.now() + 30_000;
      await instance.arm(later);
      await instance.wake();
      return setAlarm.mock.calls.map(([at]) => Number(at));
    });
    expect(set).toHaveLength(2);
    expect(set[0]).toBeGreaterThan(Date.now());
    // wake: the earliest pending row is overdue, so the alarm is due at once.
    expect(set[1]).toBeLessThanOrEqual(Date.now());
  });

  it('wake sets a pending alarm again at its own time (the local scheduler may have forgotten it)', async () => {
    const stub = env.OUTBOX_SWEEPER.get(env.OUTBOX_SWEEPER.idFromName(`live-${uniq()}`));
    const due = Date.now() + 20_000;
    const calls = await runInDurableObject(stub, async (object, state) => {
      const instance = object as unknown as OutboxSweeper;
      vi.spyOn(state.storage, 'getAlarm').mockResolvedValue(due);
      const setAlarm = vi.spyOn(state.storage, 'setAlarm').mockResolvedValue();
      await instance.wake();
      return setAlarm.mock.calls.map(([at]) => Number(at));
    });
    expect(calls).toEqual([due]);
  });
});
