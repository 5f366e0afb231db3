/**
 * Issue 15: a manager whose chat is taken from them without them doing it (no reply in time, or they
 * were deactivated) is told by the server over their own inbox socket: their `chat` frame carries
 * `takenAway {reason, responsibleId}`. Nobody else's frame does. Real BotQueue, InboxFeed and D1.
 */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { chats } from '../../worker/data/schema';
import { putQueue } from '../../worker/domain/routing';
import { pickManagerVia } from '../../worker/objects/bot-queue-calls';
import { call } from '../support/http';
import { clientText, db, ingest, makeIntegration, uniq } from '../support/factory';
import { open, person, type AnyFrame } from './live-support';

const MINUTE = 60_000;
const queueObject = (integrationId: string) => env.BOT_QUEUE.get(env.BOT_QUEUE.idFromName(integrationId));
const chatFrame = (chatId: string) => (f: AnyFrame) => f.type === 'chat' && f.chat.id === chatId;

/** A client who wrote `minutesAgo` and was given by the queue to the first of the bot's managers. */
async function waitingClient(integration: Awaited<ReturnType<typeof makeIntegration>>, minutesAgo: number) {
  const client = uniq();
  await ingest(integration, clientText(client, 'Olá?'), { db: db(), pickManager: pickManagerVia(env), now: () => Date.now() - minutesAgo * MINUTE });
  return (await db().select().from(chats).where(and(eq(chats.integrationId, integration.id), eq(chats.externalChatId, client))).get())!;
}

describe('the old manager is told, live, when a chat is taken from them', () => {
  it('no reply in time: the manager it left gets `takenAway` (no_reply, the new manager); the new one and a colleague do not', async () => {
    const [a, b, colleague] = [await person('employee'), await person('employee'), await person('employee')];
    const bot = await makeIntegration({ reassignAfterMinutes: 5 });
    await putQueue(db(), bot.id, { userIds: [a.id, b.id] });
    // Sockets first: a manager's first socket wakes their queues, whose sweep could move the chat itself.
    const [aSocket, bSocket, otherSocket] = [await open('/api/live', a.cookie), await open('/api/live', b.cookie), await open('/api/live', colleague.cookie)];
    const chat = await waitingClient(bot, 6);
    expect(chat.responsibleId).toBe(a.id);

    await queueObject(bot.id).sweepNow(bot.id);
    expect((await db().select({ responsibleId: chats.responsibleId }).from(chats).where(eq(chats.id, chat.id)).get())?.responsibleId).toBe(b.id);

    const toA = await aSocket.take(chatFrame(chat.id));
    expect(toA.chat.responsibleId).toBe(b.id);
    expect(toA.takenAway).toEqual({ reason: 'no_reply', responsibleId: b.id });
    const toB = await bSocket.take(chatFrame(chat.id));
    expect(toB.chat.responsibleId).toBe(b.id);
    expect(toB).not.toHaveProperty('takenAway');
    expect(await otherSocket.take(chatFrame(chat.id))).not.toHaveProperty('takenAway');

    // A reconnecting tab of the old manager gets the same notice in the replay (the frame is durable).
    const replayed = await open(`/api/live?after=${toA.seq - 1}`, a.cookie);
    expect(replayed.frames.find(chatFrame(chat.id))?.takenAway).toEqual({ reason: 'no_reply', responsibleId: b.id });
    for (const s of [aSocket, bSocket, otherSocket, replayed]) s.close();
  });

  it('deactivated: the manager gets `takenAway` (deactivated, waiting unassigned when nobody can take it) before their session ends', async () => {
    const admin = await person('admin');
    const a = await person('employee');
    const bot = await makeIntegration();
    await putQueue(db(), bot.id, { userIds: [a.id] });
    const chat = await waitingClient(bot, 1);
    expect(chat.responsibleId).toBe(a.id);
    const aSocket = await open('/api/live', a.cookie);
    const adminSocket = await open('/api/live', admin.cookie);

    const res = await call('PATCH', `/api/users/${a.id}`, { cookie: admin.cookie, body: { active: false } });
    expect(res.status).toBe(200);

    const toA = await aSocket.take(chatFrame(chat.id));
    expect(toA.takenAway).toEqual({ reason: 'deactivated', responsibleId: null });
    expect(await adminSocket.take(chatFrame(chat.id))).not.toHaveProperty('takenAway');
    expect((await aSocket.closedWith()).code).toBe(4401);
    adminSocket.close();
  });
});
