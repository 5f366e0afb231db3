/**
 * deliverMessage against an injected fake messenger: the exact request shapes, retries that honour
 * retry_after, permanent failures with a reason, split texts that resume, and never sending twice.
 */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { chats, contactIdentities, directionCodes, messages } from '../../../worker/data/schema';
import { batchTogether, deliverMessage, processOutboxMessage, type DeliveryDeps } from '../../../worker/domain/outbound';
import { database } from '../../../worker/data/db';
import { countingD1 } from '../../support/counting-d1';
import { buildLive, markRoomOpened, planLive, renderLive } from '../../../worker/domain/live';
import { toMessageItem } from '../../../worker/data/message-item';
import { publisherVia } from '../../../worker/objects/publish';
import { updateIntegration } from '../../../worker/domain/integrations';
import { MAX_ATTEMPTS } from '../../../worker/domain/outbound';
import { splitText } from '../../../worker/messengers/split-text';
import { postAgentMessage, retryFailedMessage } from '../../../worker/domain/outbound';
import { encryptToken } from '../../../worker/domain/integrations';
import { clientText, db, ingest, makeIntegration, makeUser, uniq } from '../../support/factory';
import { json, messengerFake, telegramError, TELEGRAM_TOKEN, VIBER_TOKEN, type MessengerFake } from '../../support/messenger-fake';

let fake: MessengerFake;
let clock: number;
let deps: DeliveryDeps;

beforeEach(() => {
  fake = messengerFake();
  clock = Date.now();
  deps = {
    db: db(),
    now: () => clock,
    messengers: { apiBase: (channel) => `http://${channel}.test`, encryptionKey: env.ENCRYPTION_KEY, fetch: fake.fetch },
    mediaUrl: async (key) => `http://ponte.test/media/${key}?sig=test`,
  };
});

/** A chat with one client (numeric ids, as Telegram's) and a manager's stored reply. */
async function replyIn(channel: 'telegram' | 'viber', text: string, over: Parameters<typeof makeIntegration>[0] = {}) {
  const token = channel === 'telegram' ? TELEGRAM_TOKEN : VIBER_TOKEN;
  const integration = await makeIntegration({ channel, name: 'Loja Exemplo', tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, token), ...over });
  const client = channel === 'telegram' ? String(5_000_000_000 + Math.floor(Math.random() * 1e9)) : `${uniq()}==`;
  await ingest(integration, clientText(client, 'Olá'));
  const { chatId } = (await db().select({ chatId: messages.chatId }).from(messages).where(eq(messages.text, 'Olá')).orderBy(messages.createdAt).all()).at(-1)!;
  const manager = await makeUser('employee');
  const { message } = await postAgentMessage({ db: db(), now: () => clock }, { chatId, authorId: manager.id, text });
  return { integration, client, chatId, messageId: message.id, manager };
}

const row = async (id: string) => (await db().select().from(messages).where(eq(messages.id, id)).get())!;

describe('deliverMessage', () => {
  it('Telegram: POST sendMessage {chat_id, text}; the row ends sent with the message_id', async () => {
    const { client, messageId } = await replyIn('telegram', 'Olá Ana! Sim, entregamos em Lisboa.');
    const outcome = await deliverMessage(deps, messageId);
    expect(outcome.kind).toBe('done');
    const [call] = fake.calls;
    expect(call.url).toBe(`http://telegram.test/bot${TELEGRAM_TOKEN}/sendMessage`);
    expect(call.method).toBe('POST');
    expect(call.headers.get('content-type')).toBe('application/json');
    expect(call.params).toEqual({ chat_id: Number(client), text: 'Olá Ana! Sim, entregamos em Lisboa.' });
    expect(await row(messageId)).toMatchObject({ status: 'sent', externalId: expect.stringMatching(/^\d+$/), attempts: 1, nextAttemptAt: null, error: null });
  });

  it('Viber: send_message {receiver, type, text, sender.name} with X-Viber-Auth-Token; the 64-bit token is kept exactly', async () => {
    const { client, messageId } = await replyIn('viber', 'Bom dia Maria!');
    await deliverMessage(deps, messageId);
    const [call] = fake.sent('send_message');
    expect(call.url).toBe('http://viber.test/pa/send_message');
    expect(call.headers.get('x-viber-auth-token')).toBe(VIBER_TOKEN);
    expect(call.params).toEqual({ receiver: client, type: 'text', text: 'Bom dia Maria!', sender: { name: 'Loja Exemplo' } });
    const stored = await row(messageId);
    expect(stored.status).toBe('sent');
    expect(BigInt(stored.externalId!)).toBeGreaterThan(2n ** 53n);
  });

  it('500, then 429 with retry_after, are retried with those delays and end sent', async () => {
    const { messageId } = await replyIn('telegram', 'retry me');
    fake.failNext('sendMessage', telegramError(500, 'Internal Server Error'), telegramError(429, 'Too Many Requests: retry after 7', 7));
    expect(await deliverMessage(deps, messageId)).toMatchObject({ kind: 'retry', delaySeconds: 2 });
    expect((await row(messageId)).nextAttemptAt).toBe(clock + 2000);
    // A copy arriving before it is due sends nothing.
    expect(await deliverMessage(deps, messageId)).toMatchObject({ kind: 'retry', reason: 'not due yet' });
    expect(fake.sent('sendMessage')).toHaveLength(1);
    clock += 2000;
    expect(await deliverMessage(deps, messageId)).toMatchObject({ kind: 'retry', delaySeconds: 7 });
    clock += 7000;
    expect(await deliverMessage(deps, messageId)).toMatchObject({ kind: 'done' });
    expect(fake.sent('sendMessage').map((c) => c.params.text)).toEqual(['retry me', 'retry me', 'retry me']);
    expect(await row(messageId)).toMatchObject({ status: 'sent', attempts: 3, error: null });
  });

  it('403 blocked: failed with a reason, the person marked unreachable, never retried', async () => {
    const { integration, client, messageId } = await replyIn('telegram', 'are you there?');
    fake.failNext('sendMessage', telegramError(403, 'Forbidden: bot was blocked by the user'));
    expect(await deliverMessage(deps, messageId)).toMatchObject({ kind: 'done' });
    expect(await row(messageId)).toMatchObject({ status: 'failed', error: 'The client blocked the bot', nextAttemptAt: null });
    const identity = await db().select().from(contactIdentities).where(and(eq(contactIdentities.integrationId, integration.id), eq(contactIdentities.externalId, client))).get();
    expect(identity?.reachable).toBe(false);
    expect(await deliverMessage(deps, messageId)).toMatchObject({ kind: 'skipped' });
    expect(fake.sent('sendMessage')).toHaveLength(1);
  });

  it('a text over the limit goes as several sends, and a retry resumes after the pieces that went', async () => {
    const words = Array.from({ length: 1500 }, (_, i) => `palavra${i}`).join(' ');
    expect(words.length).toBeGreaterThan(2 * 4096);
    const { messageId } = await replyIn('telegram', words);
    fake.failNext('sendMessage', () => json({ ok: true, result: { message_id: 9001 } }), telegramError(502, 'Bad Gateway'));
    expect((await deliverMessage(deps, messageId)).kind).toBe('retry');
    expect(await row(messageId)).toMatchObject({ status: 'sending', sentParts: 1, externalId: '9001' });
    clock += 60_000;
    expect((await deliverMessage(deps, messageId)).kind).toBe('done');
    const pieces = splitText(words, 4096);
    expect(pieces.length).toBeGreaterThan(2);
    // piece 1, piece 2 (failed), then piece 2 again and the rest: the first piece is never repeated.
    expect(fake.sent('sendMessage').map((c) => c.params.text)).toEqual([pieces[0], pieces[1], ...pieces.slice(1)]);
    expect(pieces.every((t) => t.length <= 4096)).toBe(true);
    expect(pieces.join(' ')).toBe(words);
    expect(await row(messageId)).toMatchObject({ status: 'sent', sentParts: pieces.length });
  });

  it('concurrent copies of one queue message send it once', async () => {
    const { messageId } = await replyIn('telegram', 'only once');
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => deliverMessage(deps, messageId)));
    expect(outcomes.filter((o) => o.kind === 'done')).toHaveLength(1);
    expect(fake.sent('sendMessage')).toHaveLength(1);
  });

  it('a reply costs the queue consumer two D1 round trips: look and claim, then record it with its next one and its frames\' rows', async () => {
    const { chatId, messageId: first, manager } = await replyIn('telegram', 'first');
    // Someone has the chat open, so its room gets the status frame (a chat never opened has no room to tell).
    await markRoomOpened(db(), chatId);
    clock += 1;
    const { message: second } = await postAgentMessage({ db: db(), now: () => clock }, { chatId, authorId: manager.id, text: 'second' });
    const counting = countingD1(env.DB);
    const countingDeps = { ...deps, db: database(counting.d1), bucket: env.MEDIA };
    expect(await processOutboxMessage(countingDeps, first)).toMatchObject({ kind: 'done', next: { messageId: second.id, chatId } });
    expect(counting.trips()).toBe(2);
    counting.reset();
    const outcome = await processOutboxMessage(countingDeps, second.id);
    expect(outcome).toMatchObject({ kind: 'done' });
    expect(counting.trips()).toBe(2);
    // Its publish reads nothing back: the final write returned the rows, and they make the very frames a read would.
    const plans = planLive(outcome.changes);
    const liveRows = outcome.kind === 'done' ? outcome.liveRows : undefined;
    expect(liveRows).toBeDefined();
    expect(renderLive(plans, liveRows!, toMessageItem)).toEqual(await buildLive(db(), plans, toMessageItem));
    expect(renderLive(plans, liveRows!, toMessageItem).rooms[0].frames).toMatchObject([{ type: 'message_status', id: second.id, status: 'sent' }]);
    counting.reset();
    await publisherVia({ ...env, DB: counting.d1 })(outcome.changes, liveRows);
    expect(counting.trips()).toBe(0);
    // A copy that comes too late finds the row sent, in one round trip, and sends nothing.
    counting.reset();
    expect(await processOutboxMessage(countingDeps, first)).toEqual({ kind: 'skipped', reason: 'already sent', changes: [] });
    expect(counting.trips()).toBe(1);
    expect(fake.sent('sendMessage').map((c) => c.params.text)).toEqual(['first', 'second']);
  });

  it("a new client's auto-reply reaches no chat room until someone opens the chat; then it does", async () => {
    const integration = await makeIntegration({ channel: 'telegram', tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, TELEGRAM_TOKEN), autoReplyText: 'Já respondemos!' });
    const client = String(5_000_000_000 + Math.floor(Math.random() * 1e9));
    await ingest(integration, clientText(client, 'oi'));
    const reply = (await db().select({ id: messages.id, chatId: messages.chatId }).from(messages).innerJoin(chats, eq(chats.id, messages.chatId))
      .where(and(eq(chats.externalChatId, client), eq(messages.origin, 'auto_reply'))).get());
    const rooms: string[] = [];
    const countingRooms = { ...env.CHAT_ROOM, idFromName: (name: string) => (rooms.push(name), env.CHAT_ROOM.idFromName(name)), get: env.CHAT_ROOM.get.bind(env.CHAT_ROOM) } as typeof env.CHAT_ROOM;
    const publish = publisherVia({ ...env, CHAT_ROOM: countingRooms });
    const outcome = await processOutboxMessage({ ...deps, bucket: env.MEDIA }, reply!.id);
    expect(outcome).toMatchObject({ kind: 'done' });
    expect(outcome.changes).toContainEqual({ kind: 'message_status', chatId: reply!.chatId, messageId: reply!.id });
    await publish(outcome.changes, outcome.kind === 'done' ? outcome.liveRows : undefined);
    expect(rooms).toEqual([]);
    // Opened once (the live route marks it before the socket joins): the same change now reaches the room.
    await markRoomOpened(db(), reply!.chatId);
    await publish(outcome.changes);
    expect(rooms).toEqual([reply!.chatId]);
  });

  it('a messenger id that collides with another row is dropped, never turned into a resend', async () => {
    const { chatId, messageId: first, manager } = await replyIn('telegram', 'first');
    expect((await deliverMessage(deps, first)).kind).toBe('done');
    const taken = (await row(first)).externalId!;
    clock += 1;
    const { message: second } = await postAgentMessage({ db: db(), now: () => clock }, { chatId, authorId: manager.id, text: 'second' });
    // No index makes our replies' ids unique today; one that did must not make a sent reply go out again.
    await env.DB.prepare(`CREATE UNIQUE INDEX test_replies_external ON messages (chat_id, external_id) WHERE direction = '${directionCodes.out}'`).run();
    try {
      fake.failNext('sendMessage', () => json({ ok: true, result: { message_id: Number(taken) } }));
      expect(await deliverMessage(deps, second.id)).toMatchObject({ kind: 'done' });
      expect(await row(second.id)).toMatchObject({ status: 'sent', externalId: null, nextAttemptAt: null });
      expect(await deliverMessage(deps, second.id)).toMatchObject({ kind: 'skipped', reason: 'already sent' });
      expect(fake.sent('sendMessage')).toHaveLength(2);
    } finally {
      await env.DB.prepare('DROP INDEX test_replies_external').run();
    }
  });

  it("deliveries recorded in one joined batch: one chat's colliding messenger id costs the other chat nothing, and neither goes out twice", async () => {
    const { chatId, messageId: first, manager } = await replyIn('telegram', 'first');
    expect((await deliverMessage(deps, first)).kind).toBe('done');
    const taken = (await row(first)).externalId!;
    clock += 1;
    const { message: second } = await postAgentMessage({ db: db(), now: () => clock }, { chatId, authorId: manager.id, text: 'second' });
    const other = await replyIn('telegram', 'other chat');
    await env.DB.prepare(`CREATE UNIQUE INDEX test_replies_external ON messages (chat_id, external_id) WHERE direction = '${directionCodes.out}'`).run();
    try {
      // Both sends get the id the first reply already holds: it collides only in that reply's chat.
      const takenId = () => json({ ok: true, result: { message_id: Number(taken) } });
      fake.failNext('sendMessage', takenId, takenId);
      const counting = countingD1(env.DB);
      const countedDb = database(counting.d1);
      const joined = { ...deps, db: countedDb, bucket: env.MEDIA, recordBatch: batchTogether(countedDb, { expected: 2, windowMs: 60_000 }) };
      const outcomes = await Promise.all([processOutboxMessage(joined, second.id), processOutboxMessage(joined, other.messageId)]);
      expect(outcomes.map((o) => o.kind)).toEqual(['done', 'done']);
      expect(await row(second.id)).toMatchObject({ status: 'sent', externalId: null, nextAttemptAt: null });
      expect(await row(other.messageId)).toMatchObject({ status: 'sent', externalId: taken, nextAttemptAt: null });
      // Two claims; the joined record (it fails as a whole); each record alone; then the colliding one's
      // fallback: once more with its id, once without, and a look for its chat's next reply.
      expect(counting.trips()).toBe(2 + 1 + 2 + 3);
      expect(await deliverMessage(deps, second.id)).toMatchObject({ kind: 'skipped', reason: 'already sent' });
      expect(fake.sent('sendMessage').map((c) => c.params.text).sort()).toEqual(['first', 'other chat', 'second']);
    } finally {
      await env.DB.prepare('DROP INDEX test_replies_external').run();
    }
  });

  it('a record joined with none other still lands once its window closes', async () => {
    const { messageId } = await replyIn('telegram', 'alone');
    const counting = countingD1(env.DB);
    const countedDb = database(counting.d1);
    // Three chats were expected to record together; only this one gets that far.
    const joined = { ...deps, db: countedDb, bucket: env.MEDIA, recordBatch: batchTogether(countedDb, { expected: 3, windowMs: 20 }) };
    expect(await processOutboxMessage(joined, messageId)).toMatchObject({ kind: 'done' });
    expect(await row(messageId)).toMatchObject({ status: 'sent', nextAttemptAt: null });
    expect(counting.trips()).toBe(2);
  });

  it('a newer message waits while an older one of the same chat is pending, and is handed on when that one leaves', async () => {
    const { chatId, messageId: first, manager } = await replyIn('telegram', 'first');
    clock += 1;
    const { message: second } = await postAgentMessage({ db: db(), now: () => clock }, { chatId, authorId: manager.id, text: 'second' });
    clock += 1;
    const { message: third } = await postAgentMessage({ db: db(), now: () => clock }, { chatId, authorId: manager.id, text: 'third' });
    fake.failNext('sendMessage', telegramError(429, 'Too Many Requests: retry after 30', 30));
    expect(await deliverMessage(deps, first)).toMatchObject({ kind: 'retry', delaySeconds: 30 });
    // Nothing for the queue to come back for: the first one's delivery will name the second.
    expect(await deliverMessage(deps, second.id)).toEqual({ kind: 'skipped', reason: 'an older message is pending', changes: [] });
    clock += 30_000;
    expect(await deliverMessage(deps, first)).toMatchObject({ kind: 'done', next: { messageId: second.id, chatId } });
    expect(await deliverMessage(deps, second.id)).toMatchObject({ kind: 'done', next: { messageId: third.id, chatId } });
    const last = await deliverMessage(deps, third.id);
    expect(last.kind).toBe('done');
    expect(last).not.toHaveProperty('next');
    expect(fake.sent('sendMessage').map((c) => c.params.text)).toEqual(['first', 'first', 'second', 'third']);
  });

  it(`gives up after ${MAX_ATTEMPTS} retryable failures; a manual retry sends it again`, async () => {
    const { chatId, messageId } = await replyIn('telegram', 'flaky');
    fake.failNext('sendMessage', ...Array.from({ length: MAX_ATTEMPTS }, () => telegramError(500, 'Internal Server Error')));
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await deliverMessage(deps, messageId);
      clock += 4 * 3600_000;
    }
    expect(await row(messageId)).toMatchObject({ status: 'failed', error: `Telegram server error (500) (gave up after ${MAX_ATTEMPTS} attempts)` });
    await retryFailedMessage({ db: db(), now: () => clock }, { chatId, messageId });
    expect(await row(messageId)).toMatchObject({ status: 'sending', error: null, attempts: 0 });
    expect((await deliverMessage(deps, messageId)).kind).toBe('done');
    expect((await row(messageId)).status).toBe('sent');
    await expect(retryFailedMessage({ db: db() }, { chatId, messageId })).rejects.toMatchObject({ status: 409, code: 'not_failed' });
  });

  it('a disabled bot fails the message; a token echoed by the messenger never reaches the stored reason', async () => {
    const disabled = await replyIn('telegram', 'to a disabled bot');
    await updateIntegration(db(), disabled.integration.id, { enabled: false });
    await deliverMessage(deps, disabled.messageId);
    expect(await row(disabled.messageId)).toMatchObject({ status: 'failed', error: 'The bot is disconnected or disabled' });
    expect(fake.calls).toHaveLength(0);

    const { messageId } = await replyIn('telegram', 'echo');
    fake.failNext('sendMessage', telegramError(400, `Bad Request: wrong token ${TELEGRAM_TOKEN}`));
    await deliverMessage(deps, messageId);
    const stored = await row(messageId);
    expect(stored.status).toBe('failed');
    expect(stored.error).not.toContain(TELEGRAM_TOKEN);
    expect(stored.error).toContain('[token]');
  });
});
