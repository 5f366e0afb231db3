/**
 * Editing and deleting a sent reply: who may (author or admin, never an observer), where (Telegram, not
 * Viber), when (sent; delete within 48 h), and the outbox making the change on the messenger with its
 * retries, or putting the row back as the client sees it when the messenger refuses for good.
 */
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { chatEvents, chats, messages } from '../../../worker/data/schema';
import type { SessionUser } from '../../../worker/domain/access';
import { encryptToken } from '../../../worker/domain/integrations';
import {
  deleteSentReply, deliverMessage, editSentReply, MAX_ATTEMPTS, postAgentMessage, processOutboxMessage, type DeliveryDeps,
} from '../../../worker/domain/outbound';
import { clientText, db, ingest, makeIntegration, makeUser, uniq } from '../../support/factory';
import { messengerFake, telegramError, TELEGRAM_TOKEN, VIBER_TOKEN, type MessengerFake } from '../../support/messenger-fake';

let fake: MessengerFake;
let t: number;
let deps: DeliveryDeps & { bucket: R2Bucket };

beforeEach(() => {
  fake = messengerFake();
  t = Date.UTC(2026, 11, 1, 9, 0, 0);
  deps = {
    db: db(), now: () => t, bucket: env.MEDIA, mediaUrl: async (k) => k,
    messengers: { apiBase: (ch) => `http://${ch}.test`, encryptionKey: env.ENCRYPTION_KEY, fetch: fake.fetch },
  };
});

const session = (u: { id: string; email: string; name: string; role: SessionUser['role'] }): SessionUser => ({ id: u.id, email: u.email, name: u.name, role: u.role });

/** A manager's reply, delivered, in a chat of a Telegram (or Viber) bot. */
async function sentReply(channel: 'telegram' | 'viber' = 'telegram', text = 'Entregamos em 48h.') {
  const token = channel === 'telegram' ? TELEGRAM_TOKEN : VIBER_TOKEN;
  const integration = await makeIntegration({ channel, name: 'Loja Exemplo', tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, token) });
  const client = channel === 'telegram' ? String(5_200_000_000 + Math.floor(Math.random() * 1e8)) : `${uniq()}==`;
  await ingest(integration, clientText(client, 'Olá'), { db: db(), pickManager: async () => null, now: () => t });
  const chatId = (await db().select({ id: chats.id }).from(chats).where(eq(chats.externalChatId, client)).get())!.id;
  const author = await makeUser('employee');
  const { message } = await postAgentMessage(deps, { chatId, authorId: author.id, text });
  expect((await deliverMessage(deps, message.id)).kind).toBe('done');
  return { chatId, messageId: message.id, author: session(author), client };
}

const row = async (id: string) => (await db().select().from(messages).where(eq(messages.id, id)).get())!;

describe('who and where', () => {
  it('the author and an admin may edit; another employee gets 403, and so does an observer', async () => {
    const { chatId, messageId, author } = await sentReply();
    const other = session(await makeUser('employee'));
    const observer = session(await makeUser('observer'));
    const admin = session(await makeUser('admin'));
    await expect(editSentReply(deps, other, { chatId, messageId, text: 'x' })).rejects.toMatchObject({ status: 403 });
    await expect(editSentReply(deps, observer, { chatId, messageId, text: 'x' })).rejects.toMatchObject({ status: 403 });
    await expect(deleteSentReply(deps, observer, { chatId, messageId })).rejects.toMatchObject({ status: 403 });
    expect((await editSentReply(deps, author, { chatId, messageId, text: 'Pelo autor' })).message.text).toBe('Pelo autor');
    expect((await editSentReply(deps, admin, { chatId, messageId, text: 'Pelo admin' })).message.text).toBe('Pelo admin');
  });

  it('Viber cannot: 409 not_supported, and the row is unchanged', async () => {
    const { chatId, messageId, author } = await sentReply('viber');
    await expect(editSentReply(deps, author, { chatId, messageId, text: 'x' })).rejects.toMatchObject({ status: 409, code: 'not_supported' });
    await expect(deleteSentReply(deps, author, { chatId, messageId })).rejects.toMatchObject({ status: 409, code: 'not_supported' });
    expect(await row(messageId)).toMatchObject({ text: 'Entregamos em 48h.', pendingOp: null, deletedAt: null });
  });

  it('a client message, an unsent reply, and a reply older than 48 h (delete) are refused', async () => {
    const { chatId, messageId, author } = await sentReply();
    const clientMsg = (await db().select().from(messages).where(eq(messages.chatId, chatId)).all()).find((m) => m.direction === 'in')!;
    await expect(editSentReply(deps, author, { chatId, messageId: clientMsg.id, text: 'x' })).rejects.toMatchObject({ status: 409, code: 'not_a_reply' });
    const { message: pending } = await postAgentMessage(deps, { chatId, authorId: author.id, text: 'ainda a enviar' });
    await expect(editSentReply(deps, author, { chatId, messageId: pending.id, text: 'x' })).rejects.toMatchObject({ status: 409, code: 'not_sent' });
    await expect(editSentReply(deps, author, { chatId: 'nope', messageId, text: 'x' })).rejects.toMatchObject({ status: 404 });
    t += 48 * 3600 * 1000 + 1;
    await expect(deleteSentReply(deps, author, { chatId, messageId })).rejects.toMatchObject({ status: 409, code: 'too_old' });
    // Telegram sets no such limit on a bot editing its own message in a private chat.
    expect((await editSentReply(deps, author, { chatId, messageId, text: 'Ainda editável' })).message.text).toBe('Ainda editável');
  });
});

describe('the outbox makes the change', () => {
  it('edit: the row has the new text at once, editMessageText is called, then nothing is pending; the timeline has message_edited', async () => {
    const { chatId, messageId, author, client } = await sentReply();
    const externalId = (await row(messageId)).externalId;
    const stored = await editSentReply(deps, author, { chatId, messageId, text: 'Entregamos em 24h.' });
    expect(stored.message).toMatchObject({ text: 'Entregamos em 24h.', editedAt: t, pendingOp: { kind: 'edit', previousText: 'Entregamos em 48h.' } });
    expect(stored.outbound).toEqual([{ messageId, chatId }]);
    expect((await processOutboxMessage(deps, messageId)).kind).toBe('done');
    expect(fake.sent('editMessageText').map((c) => c.params)).toEqual([{ chat_id: Number(client), message_id: Number(externalId), text: 'Entregamos em 24h.' }]);
    expect(await row(messageId)).toMatchObject({ text: 'Entregamos em 24h.', pendingOp: null, nextAttemptAt: null, error: null, status: 'sent' });
    const edited = (await db().select().from(chatEvents).where(eq(chatEvents.chatId, chatId)).all()).filter((e) => e.type === 'message_edited');
    expect(edited.map((e) => [e.actorId, e.data])).toEqual([[author.id, { messageId, previousText: 'Entregamos em 48h.', byAgent: true }]]);
  });

  it('delete: marked deleted at once, deleteMessage is called; the timeline has message_deleted', async () => {
    const { chatId, messageId, author } = await sentReply();
    const stored = await deleteSentReply(deps, author, { chatId, messageId });
    expect(stored.message).toMatchObject({ deletedAt: t, pendingOp: { kind: 'delete' } });
    expect((await processOutboxMessage(deps, messageId)).kind).toBe('done');
    expect(fake.sent('deleteMessage')).toHaveLength(1);
    expect(await row(messageId)).toMatchObject({ deletedAt: t, pendingOp: null, nextAttemptAt: null });
    expect((await db().select().from(chatEvents).where(eq(chatEvents.chatId, chatId)).all()).map((e) => e.type)).toContain('message_deleted');
    await expect(editSentReply(deps, author, { chatId, messageId, text: 'x' })).rejects.toMatchObject({ status: 409, code: 'message_deleted' });
  });

  it('a 429 waits retry_after and tries again; a later success clears the pending change', async () => {
    const { chatId, messageId, author } = await sentReply();
    await editSentReply(deps, author, { chatId, messageId, text: 'Novo' });
    fake.failNext('editMessageText', telegramError(429, 'Too Many Requests: retry after 7', 7));
    expect(await processOutboxMessage(deps, messageId)).toMatchObject({ kind: 'retry', delaySeconds: 7 });
    expect((await row(messageId)).pendingOp).toEqual({ kind: 'edit', previousText: 'Entregamos em 48h.', previousEditedAt: null });
    t += 7000;
    expect((await processOutboxMessage(deps, messageId)).kind).toBe('done');
    expect(await row(messageId)).toMatchObject({ text: 'Novo', pendingOp: null });
  });

  it("\"message can't be edited\": the row goes back to the text the client sees and says why", async () => {
    const { chatId, messageId, author } = await sentReply();
    await editSentReply(deps, author, { chatId, messageId, text: 'Não vai pegar' });
    fake.failNext('editMessageText', telegramError(400, "Bad Request: message can't be edited"));
    expect((await processOutboxMessage(deps, messageId)).kind).toBe('done');
    expect(await row(messageId)).toMatchObject({ text: 'Entregamos em 48h.', editedAt: null, pendingOp: null, nextAttemptAt: null, status: 'sent', error: expect.stringMatching(/^Not edited: /) });
  });

  it('a delete Telegram refuses for good (too old) comes back undeleted with the reason', async () => {
    const { chatId, messageId, author } = await sentReply();
    await deleteSentReply(deps, author, { chatId, messageId });
    fake.failNext('deleteMessage', telegramError(400, "Bad Request: message can't be deleted for everyone"));
    await processOutboxMessage(deps, messageId);
    expect(await row(messageId)).toMatchObject({ deletedAt: null, pendingOp: null, error: expect.stringMatching(/^Not deleted: /) });
  });

  it(`gives up after ${MAX_ATTEMPTS} retryable failures`, async () => {
    const { chatId, messageId, author } = await sentReply();
    await editSentReply(deps, author, { chatId, messageId, text: 'Novo' });
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      fake.failNext('editMessageText', telegramError(502, 'Bad Gateway'));
      const outcome = await processOutboxMessage(deps, messageId);
      if (outcome.kind === 'retry') t += outcome.delaySeconds * 1000;
    }
    expect(fake.sent('editMessageText')).toHaveLength(MAX_ATTEMPTS);
    expect(await row(messageId)).toMatchObject({ text: 'Entregamos em 48h.', pendingOp: null, nextAttemptAt: null });
  });
});
