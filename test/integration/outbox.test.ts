/**
 * The outbox around deliverMessage: the exported queue handler (ack / retry with the messenger's delay),
 * client files fetched by the consumer, and the OutboxSweeper alarm re-driving rows the queue lost.
 */
import { createExecutionContext, createMessageBatch, getQueueResult, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import worker from '../../worker/index';
import { messages } from '../../worker/data/schema';
import { postAgentMessage } from '../../worker/domain/outbound';
import { encryptToken } from '../../worker/domain/token-vault';
import type { OutboxMessage } from '../../worker/env';
import type { ParsedUpdate } from '../../worker/messengers/types';
import { clientText, db, ingest, makeIntegration, makeUser, uniq } from '../support/factory';
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

async function consume(...messageIds: string[]) {
  const batch = createMessageBatch<OutboxMessage>('ponte-outbox', messageIds.map((messageId, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body: { messageId } })));
  // The test double ignores retry delays, so record what the consumer asked for.
  const retries = batch.messages.map((m) => vi.spyOn(m, 'retry'));
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
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
    // While "lost and found" was in the queue the alarm came back soon; now only "later" is pending, so
    // the next run sets the alarm for when that one will be overdue.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const alarm = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThan(Date.now() + 3_000_000);
    expect((await row(pending.message.id)).status).toBe('sending');
  });
});
