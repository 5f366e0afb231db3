/**
 * Issue 15 in the BotQueue Durable Object against real D1: the backlog drains (oldest first, within the
 * cap, `assigned` by the queue) when someone may take chats again; no reply within the bot's time moves
 * a chat on (once per client message, `reassigned` with the reason); reopened chats follow the bot's
 * rule; concurrent webhooks while managers change status never double-assign or skip.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { setUserStatus } from '../../worker/domain/routing';
import { putQueue } from '../../worker/domain/routing';
import { postAgentMessage } from '../../worker/domain/outbound';
import { reopenChat } from '../../worker/domain/chats';
import { chatEvents, chats, integrations } from '../../worker/data/schema';
import { pickManagerVia, wakeQueuesVia } from '../../worker/objects/bot-queue-calls';
import { close, setupAdmin } from '../support/chat-world';
import { clientText, db, ingest, ingestDeps, makeIntegration, makeUser, uniq } from '../support/factory';

const queueObject = (integrationId: string) => env.BOT_QUEUE.get(env.BOT_QUEUE.idFromName(integrationId));
const viaQueue = (now?: number) => ({ db: db(), pickManager: pickManagerVia(env), ...(now === undefined ? {} : { now: () => now }) });
const MINUTE = 60_000;

type Integration = Awaited<ReturnType<typeof makeIntegration>>;

/** A client writes (at `at`); the queue decides. Returns the chat. */
async function clientWrites(integration: Integration, client = uniq(), at?: number) {
  await ingest(integration, clientText(client, 'Olá'), viaQueue(at));
  const chat = (await db().select().from(chats).where(and(eq(chats.integrationId, integration.id), eq(chats.externalChatId, client))).get())!;
  return { chatId: chat.id, client, responsibleId: chat.responsibleId };
}

/** A chat left unassigned (nobody could take it), started at `at`. */
async function unassignedChat(integration: Integration, at: number) {
  const client = uniq();
  await ingest(integration, clientText(client, 'Olá'), { ...ingestDeps(async () => null), now: () => at });
  return (await db().select({ id: chats.id }).from(chats).where(eq(chats.externalChatId, client)).get())!.id;
}

const managers = (...names: string[]) => Promise.all(names.map((n) => makeUser('employee', `${n}-${uniq()}`)));
const responsibleOf = async (ids: string[]) => {
  const rows = await db().select({ id: chats.id, responsibleId: chats.responsibleId }).from(chats).where(inArray(chats.id, ids)).all();
  return ids.map((id) => rows.find((r) => r.id === id)!.responsibleId);
};
const eventsOf = (chatId: string) => db().select().from(chatEvents).where(eq(chatEvents.chatId, chatId)).orderBy(chatEvents.createdAt, chatEvents.id).all();

describe('the backlog drains by itself', () => {
  it('a queue that gains members places the waiting chats oldest first, in rotation, each with an `assigned` event by the queue', async () => {
    const [a, b] = await managers('a', 'b');
    const integration = await makeIntegration();
    const t = Date.now() - 10 * MINUTE;
    // Created newest first, so "oldest first" is not just creation order.
    const ids = [await unassignedChat(integration, t + 3), await unassignedChat(integration, t + 2), await unassignedChat(integration, t + 1)];
    await putQueue(db(), integration.id, { userIds: [a.id, b.id] });
    const report = await queueObject(integration.id).sweepNow(integration.id);
    expect(report.placed).toBe(3);
    expect(await responsibleOf(ids)).toEqual([a.id, b.id, a.id].reverse());
    const assigned = (await eventsOf(ids[2])).filter((e) => e.type === 'assigned');
    expect(assigned).toEqual([expect.objectContaining({ actorId: null, data: expect.objectContaining({ responsibleId: a.id, byQueue: true }) })]);
    // The rotation carries on from the backlog: the next new chat goes to b.
    expect((await clientWrites(integration)).responsibleId).toBe(b.id);
  });

  it('within the cap: what does not fit waits (an alarm is set to retry), and a freed place takes the next', async () => {
    const [a, b] = await managers('a', 'b');
    const integration = await makeIntegration({ maxOpenChatsPerManager: 1 });
    const t = Date.now() - 10 * MINUTE;
    const ids = [await unassignedChat(integration, t), await unassignedChat(integration, t + 1), await unassignedChat(integration, t + 2)];
    await putQueue(db(), integration.id, { userIds: [a.id, b.id] });
    const stub = queueObject(integration.id);
    expect((await stub.sweepNow(integration.id)).placed).toBe(2);
    expect(await responsibleOf(ids)).toEqual([a.id, b.id, null]);
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).not.toBeNull();
    await close(ids[0]);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await responsibleOf(ids)).toEqual([a.id, b.id, a.id]);
  });

  it('a manager back from away gets the waiting chats through the alarm their status change sets; away they got none', async () => {
    const [a] = await managers('a');
    const integration = await makeIntegration();
    await putQueue(db(), integration.id, { userIds: [a.id] });
    await setUserStatus(db(), await setupAdmin(), a.id, 'away');
    const first = await clientWrites(integration);
    const second = await clientWrites(integration);
    expect([first.responsibleId, second.responsibleId]).toEqual([null, null]);
    await setUserStatus(db(), await setupAdmin(), a.id, 'available');
    await wakeQueuesVia(env, { userId: a.id });
    // The wake sets the alarm for now; it rings on its own (or here, if it has not yet).
    await runDurableObjectAlarm(queueObject(integration.id));
    await expect.poll(() => responsibleOf([first.chatId, second.chatId]), { timeout: 5000 }).toEqual([a.id, a.id]);
  });

  it('rule `everyone` hands chats to away members; `available` does not', async () => {
    const [a] = await managers('a');
    const integration = await makeIntegration();
    await putQueue(db(), integration.id, { userIds: [a.id] });
    await setUserStatus(db(), await setupAdmin(), a.id, 'away');
    expect((await clientWrites(integration)).responsibleId).toBeNull();
    await db().update(integrations).set({ assignmentRule: 'everyone' }).where(eq(integrations.id, integration.id));
    expect((await clientWrites(integration)).responsibleId).toBe(a.id);
  });

  it('rule `available_online` skips a manager with no live socket', async () => {
    const [a] = await managers('a');
    const integration = await makeIntegration({ assignmentRule: 'available_online' });
    await putQueue(db(), integration.id, { userIds: [a.id] });
    expect((await clientWrites(integration)).responsibleId).toBeNull();
  });
});

describe('no reply, next manager', () => {
  async function waitingChat(minutesAgo: number) {
    const [a, b, c] = await managers('a', 'b', 'c');
    const integration = await makeIntegration({ reassignAfterMinutes: 5 });
    await putQueue(db(), integration.id, { userIds: [a.id, b.id, c.id] });
    const chat = await clientWrites(integration, uniq(), Date.now() - minutesAgo * MINUTE);
    return { a, b, c, integration, chat, stub: queueObject(integration.id) };
  }

  it('a client waiting longer than reassignAfterMinutes moves to the next manager, once per client message, with a `reassigned` event', async () => {
    const { a, b, integration, chat, stub } = await waitingChat(6);
    expect(chat.responsibleId).toBe(a.id);
    expect((await stub.sweepNow(integration.id)).moved).toBe(1);
    expect(await responsibleOf([chat.chatId])).toEqual([b.id]);
    const moved = (await eventsOf(chat.chatId)).filter((e) => e.type === 'reassigned');
    expect(moved).toEqual([expect.objectContaining({ actorId: null, data: expect.objectContaining({ responsibleId: b.id, previousId: a.id, reason: 'no_reply', minutes: 5 }) })]);
    // The same client message does not move it again, however often the alarm rings.
    expect((await stub.sweepNow(integration.id)).moved).toBe(0);
    expect(await responsibleOf([chat.chatId])).toEqual([b.id]);
  });

  it('a manager reply in time keeps the chat; a client not yet waiting long enough keeps it too, with the alarm set for then', async () => {
    const replied = await waitingChat(6);
    await postAgentMessage({ db: db() }, { chatId: replied.chat.chatId, authorId: replied.a.id, text: 'Oi!' });
    expect((await replied.stub.sweepNow(replied.integration.id)).moved).toBe(0);
    expect(await responsibleOf([replied.chat.chatId])).toEqual([replied.a.id]);

    const fresh = await waitingChat(2);
    expect((await fresh.stub.sweepNow(fresh.integration.id)).moved).toBe(0);
    const alarm = await runInDurableObject(fresh.stub, (_, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeGreaterThan(Date.now() + 2 * MINUTE);
    expect(alarm!).toBeLessThanOrEqual(Date.now() + 3 * MINUTE);
  });

  it('off by default: an old unanswered message moves nothing', async () => {
    const [a, b] = await managers('a', 'b');
    const integration = await makeIntegration();
    await putQueue(db(), integration.id, { userIds: [a.id, b.id] });
    const chat = await clientWrites(integration, uniq(), Date.now() - 60 * MINUTE);
    expect((await queueObject(integration.id).sweepNow(integration.id)).moved).toBe(0);
    expect(await responsibleOf([chat.chatId])).toEqual([a.id]);
  });

  it('nobody else able to take it: the chat stays with its manager', async () => {
    const { a, b, c, integration, chat, stub } = await waitingChat(6);
    for (const u of [b, c]) await setUserStatus(db(), await setupAdmin(), u.id, 'away');
    expect((await stub.sweepNow(integration.id)).moved).toBe(0);
    expect(await responsibleOf([chat.chatId])).toEqual([a.id]);
  });
});

describe('reopen follows the bot rule', () => {
  it('back to the previous manager while they may take chats; to the queue when they are away or deactivated', async () => {
    const [a, b] = await managers('a', 'b');
    const integration = await makeIntegration();
    await putQueue(db(), integration.id, { userIds: [a.id, b.id] });
    const chat = await clientWrites(integration);
    expect(chat.responsibleId).toBe(a.id);
    await close(chat.chatId);
    expect((await clientWrites(integration, chat.client)).responsibleId).toBe(a.id);
    await close(chat.chatId);
    await setUserStatus(db(), await setupAdmin(), a.id, 'away');
    expect((await clientWrites(integration, chat.client)).responsibleId).toBe(b.id);
  });

  it('reopened by hand: to the last manager while available; when they are away, the queue places it', async () => {
    const [a, b] = await managers('a', 'b');
    const integration = await makeIntegration();
    await putQueue(db(), integration.id, { userIds: [a.id, b.id] });
    const chat = await clientWrites(integration);
    const admin = await setupAdmin();
    const deps = { db: db(), wakeQueues: (t: { integrationId: string } | { userId: string }) => wakeQueuesVia(env, t) };
    await close(chat.chatId);
    await reopenChat(deps, admin, chat.chatId);
    expect(await responsibleOf([chat.chatId])).toEqual([a.id]);
    await close(chat.chatId);
    await setUserStatus(db(), admin, a.id, 'away');
    await reopenChat(deps, admin, chat.chatId);
    await runDurableObjectAlarm(queueObject(integration.id));
    await expect.poll(() => responsibleOf([chat.chatId]), { timeout: 5000 }).toEqual([b.id]);
  });
});

describe('concurrency', () => {
  it('concurrent webhooks while managers change status: every chat assigned once, never to someone away all along, none left once all are back', async () => {
    const [a, b, c] = await managers('a', 'b', 'c');
    const integration = await makeIntegration();
    await putQueue(db(), integration.id, { userIds: [a.id, b.id, c.id] });
    const admin = await setupAdmin();
    await setUserStatus(db(), admin, c.id, 'away');
    const toggles = (async () => {
      for (let i = 0; i < 10; i++) {
        await setUserStatus(db(), admin, i % 2 ? a.id : b.id, i % 4 < 2 ? 'away' : 'available');
        await wakeQueuesVia(env, { integrationId: integration.id });
      }
    })();
    const got = await Promise.all(Array.from({ length: 60 }, () => clientWrites(integration)));
    await toggles;
    expect(got.filter((g) => g.responsibleId === c.id)).toEqual([]);
    for (const u of [a, b, c]) await setUserStatus(db(), admin, u.id, 'available');
    await queueObject(integration.id).sweepNow(integration.id);
    const ids = got.map((g) => g.chatId);
    const final = await responsibleOf(ids);
    expect(final.filter((r) => r === null)).toEqual([]);
    // Exactly one assignment per chat: by ingest when someone could take it, else by the backlog.
    for (const id of ids) expect((await eventsOf(id)).filter((e) => e.type === 'assigned')).toHaveLength(1);
  });
});
