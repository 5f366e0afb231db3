/**
 * The satisfaction survey's states through the real domain functions: asked when a chat of a bot that
 * asks is closed (and not otherwise), the question delivered with its 1–5 buttons, one rating per
 * closed conversation within 24 h, a reopen before the answer cancels it, and the comment.
 */
import { env } from 'cloudflare:workers';
import { and, desc, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { chatEvents, chats, csatRatings, messages } from '../../../worker/data/schema';
import { closeChat, reopenChat } from '../../../worker/domain/chats';
import { askOnClose } from '../../../worker/domain/csat';
import { deliverMessage, type DeliveryDeps } from '../../../worker/domain/outbound';
import { encryptToken } from '../../../worker/domain/integrations';
import type { ParsedUpdate } from '../../../worker/messengers/types';
import { CSAT_TEXTS, CSAT_WINDOW_MS } from '../../../worker/shared/csat';
import { setupAdmin } from '../../support/chat-world';
import { clientText, db, ingest, ingestDeps, makeIntegration, makeUser, uniq } from '../../support/factory';
import { messengerFake, TELEGRAM_TOKEN, type MessengerFake } from '../../support/messenger-fake';

let fake: MessengerFake;
let t: number;
const deps = () => ({ db: db(), now: () => t });

beforeEach(() => {
  fake = messengerFake();
  t = Date.UTC(2026, 11, 1, 9, 0, 0);
});

/** A client's open chat with a bot that asks (or not), handled by an employee. */
async function chatOf(csatEnabled = true) {
  const integration = await makeIntegration({ csatEnabled, tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, TELEGRAM_TOKEN) });
  const manager = await makeUser('employee');
  const client = String(5_100_000_000 + Math.floor(Math.random() * 1e8));
  await ingest(integration, clientText(client, 'Olá, preciso de ajuda'), { ...ingestDeps(async () => manager.id), now: () => t });
  const chat = (await db().select().from(chats).where(and(eq(chats.integrationId, integration.id), eq(chats.externalChatId, client))).get())!;
  return { integration, manager, client, chatId: chat.id };
}

async function closeAndAsk(chatId: string) {
  await closeChat(deps(), await setupAdmin(), chatId);
  return askOnClose(deps(), chatId);
}

const press = (client: string, value: string, ackId = uniq()): ParsedUpdate => ({
  dedupKey: `u:${ackId}`,
  events: [{ type: 'choice', prompt: 'csat', value, ackId, sender: { externalId: client, externalChatId: client, name: 'Ana' } }],
});
const surveysOf = (chatId: string) => db().select().from(csatRatings).where(eq(csatRatings.chatId, chatId)).orderBy(csatRatings.askedAt).all();
const chatStatus = async (chatId: string) => (await db().select({ status: chats.status }).from(chats).where(eq(chats.id, chatId)).get())!.status;
const eventTypes = async (chatId: string) => (await db().select({ type: chatEvents.type }).from(chatEvents).where(eq(chatEvents.chatId, chatId)).orderBy(chatEvents.createdAt, chatEvents.id).all()).map((e) => e.type);

describe('asking', () => {
  it('closing a chat of a bot that asks stores a survey for its manager, the question (origin csat) and a csat_asked event', async () => {
    const { chatId, integration, manager } = await chatOf();
    const asked = await closeAndAsk(chatId);
    expect(asked.surveyId).not.toBeNull();
    const [survey] = await surveysOf(chatId);
    expect(survey).toMatchObject({ integrationId: integration.id, managerId: manager.id, rating: null, askedAt: t, cancelledAt: null });
    const question = (await db().select().from(messages).where(eq(messages.id, survey.questionMessageId)).get())!;
    expect(question).toMatchObject({ direction: 'out', origin: 'csat', status: 'sending', text: CSAT_TEXTS.question });
    expect(asked.outbound).toEqual([{ messageId: question.id, chatId }]);
    expect(await eventTypes(chatId)).toContain('csat_asked');
  });

  it('a bot that does not ask, or a chat still open, gets no survey', async () => {
    const off = await chatOf(false);
    expect((await closeAndAsk(off.chatId)).surveyId).toBeNull();
    const open = await chatOf();
    expect((await askOnClose(deps(), open.chatId)).surveyId).toBeNull();
    expect([...(await surveysOf(off.chatId)), ...(await surveysOf(open.chatId))]).toEqual([]);
  });

  it('the outbox sends the question with one row of 1–5 inline buttons', async () => {
    const { chatId } = await chatOf();
    const asked = await closeAndAsk(chatId);
    const delivery: DeliveryDeps = {
      db: db(), now: () => t, mediaUrl: async (k) => k,
      messengers: { apiBase: (ch) => `http://${ch}.test`, encryptionKey: env.ENCRYPTION_KEY, fetch: fake.fetch },
    };
    expect((await deliverMessage(delivery, asked.outbound[0].messageId)).kind).toBe('done');
    const [call] = fake.sent('sendMessage');
    expect(call.params.reply_markup).toEqual({
      inline_keyboard: [['1', '2', '3', '4', '5'].map((n) => ({ text: n, callback_data: `csat:${n}` }))],
    });
  });
});

describe('answering', () => {
  it('a press within 24 h is the rating: stored once, a csat_rated event, the bot thanks, the press is answered; the chat stays closed', async () => {
    const { chatId, integration, client } = await chatOf();
    await closeAndAsk(chatId);
    t += 3_600_000;
    const result = await ingest(integration, press(client, '4', 'q1'), { ...ingestDeps(), now: () => t });
    expect(result.acks).toEqual([{ ackId: 'q1', text: CSAT_TEXTS.ackRated }]);
    const [survey] = await surveysOf(chatId);
    expect(survey).toMatchObject({ rating: 4, ratedAt: t });
    expect(await chatStatus(chatId)).toBe('closed');
    const rated = (await db().select().from(chatEvents).where(and(eq(chatEvents.chatId, chatId), eq(chatEvents.type, 'csat_rated'))).all());
    expect(rated.map((e) => e.data)).toEqual([{ surveyId: survey.id, rating: 4 }]);
    const thanks = (await db().select().from(messages).where(eq(messages.chatId, chatId)).orderBy(desc(messages.createdAt), desc(messages.id)).get())!;
    expect(thanks).toMatchObject({ origin: 'csat', text: CSAT_TEXTS.thanks, status: 'sending' });
    expect(result.outbound).toEqual([{ messageId: thanks.id, chatId }]);

    // One rating per conversation: a second press changes nothing and is told so.
    const again = await ingest(integration, press(client, '1', 'q2'), { ...ingestDeps(), now: () => t + 1 });
    expect(again.acks).toEqual([{ ackId: 'q2', text: CSAT_TEXTS.ackAlreadyRated }]);
    expect((await surveysOf(chatId))[0].rating).toBe(4);
    expect((await eventTypes(chatId)).filter((e) => e === 'csat_rated')).toHaveLength(1);
  });

  it('after 24 h a press is refused (expired) and nothing is stored', async () => {
    const { chatId, integration, client } = await chatOf();
    await closeAndAsk(chatId);
    const result = await ingest(integration, press(client, '5', 'late'), { ...ingestDeps(), now: () => t + CSAT_WINDOW_MS + 1 });
    expect(result.acks).toEqual([{ ackId: 'late', text: CSAT_TEXTS.ackExpired }]);
    expect((await surveysOf(chatId))[0]).toMatchObject({ rating: null, ratedAt: null });
    expect(result.outbound).toEqual([]);
  });

  it('a value that is not 1–5 is not a rating (answered with no notice)', async () => {
    const { chatId, integration, client } = await chatOf();
    await closeAndAsk(chatId);
    const result = await ingest(integration, press(client, '9', 'odd'), { ...ingestDeps(), now: () => t + 1 });
    expect(result.acks).toEqual([{ ackId: 'odd', text: '' }]);
    expect((await surveysOf(chatId))[0].rating).toBeNull();
  });

  it('the first text after the rating is its comment (the chat stays closed); the next text reopens the chat', async () => {
    const { chatId, integration, client } = await chatOf();
    await closeAndAsk(chatId);
    await ingest(integration, press(client, '5'), { ...ingestDeps(), now: () => t + 1000 });
    await ingest(integration, clientText(client, '  Atendimento rápido, obrigada!  '), { ...ingestDeps(), now: () => t + 2000 });
    expect((await surveysOf(chatId))[0]).toMatchObject({ rating: 5, comment: 'Atendimento rápido, obrigada!', commentedAt: t + 2000 });
    expect(await chatStatus(chatId)).toBe('closed');
    const commented = (await db().select().from(chatEvents).where(and(eq(chatEvents.chatId, chatId), eq(chatEvents.type, 'csat_commented'))).get())!;
    expect(commented.data).toMatchObject({ rating: 5, comment: 'Atendimento rápido, obrigada!' });

    await ingest(integration, clientText(client, 'Tenho outra dúvida'), { ...ingestDeps(), now: () => t + 3000 });
    expect(await chatStatus(chatId)).toBe('open');
    expect((await surveysOf(chatId))[0].comment).toBe('Atendimento rápido, obrigada!');
  });

  it('a text before any rating is a new message: it reopens the chat and cancels the survey, so a later press is refused', async () => {
    const { chatId, integration, client } = await chatOf();
    await closeAndAsk(chatId);
    await ingest(integration, clientText(client, 'Ainda não resolveu'), { ...ingestDeps(), now: () => t + 1000 });
    expect(await chatStatus(chatId)).toBe('open');
    expect((await surveysOf(chatId))[0]).toMatchObject({ cancelledAt: t + 1000, rating: null });
    const result = await ingest(integration, press(client, '3', 'after'), { ...ingestDeps(), now: () => t + 2000 });
    expect(result.acks).toEqual([{ ackId: 'after', text: CSAT_TEXTS.ackExpired }]);
    expect((await surveysOf(chatId))[0].rating).toBeNull();
  });

  it('a manager reopening the chat before the answer cancels it too; closing again asks afresh, and only that one is rated', async () => {
    const { chatId, integration, client } = await chatOf();
    await closeAndAsk(chatId);
    t += 1000;
    await reopenChat(deps(), await setupAdmin(), chatId);
    expect((await surveysOf(chatId))[0].cancelledAt).toBe(t);
    t += 1000;
    await closeAndAsk(chatId);
    await ingest(integration, press(client, '2'), { ...ingestDeps(), now: () => t + 1 });
    const [first, second] = await surveysOf(chatId);
    expect(first).toMatchObject({ rating: null, cancelledAt: t - 1000 });
    expect(second).toMatchObject({ rating: 2, cancelledAt: null });
  });

  it('a press from a client with no survey at all is answered and stores nothing', async () => {
    const { chatId, integration, client } = await chatOf();
    const result = await ingest(integration, press(client, '5', 'none'), { ...ingestDeps(), now: () => t });
    expect(result.acks).toEqual([{ ackId: 'none', text: CSAT_TEXTS.ackExpired }]);
    expect(await surveysOf(chatId)).toEqual([]);
    expect(await chatStatus(chatId)).toBe('open');
  });
});
