/**
 * Sockets live for hours; access changes must reach them. Deactivating or re-roling a user through
 * PATCH /api/users/:id closes their inbox sockets at once (4401); chat rooms re-check sessions on their
 * next activity once the last check is older than RECHECK_MS.room, and stop sending before that.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { chats } from '../../worker/data/schema';
import { chatRoom } from '../../worker/objects/chat-room';
import { inboxFeed } from '../../worker/objects/inbox-feed';
import { setState, stateOf } from '../../worker/objects/live-sockets';
import { db } from '../support/factory';
import { call } from '../support/http';
import { clientWrites, open, person, telegramBot } from './live-support';

const chatIdOf = async (integrationId: string, clientId: number) =>
  (await db().select({ id: chats.id }).from(chats).where(and(eq(chats.integrationId, integrationId), eq(chats.externalChatId, String(clientId)))).get())!.id;

/** Makes every socket of an object look as if its session was last checked long ago. */
async function ageChecks(stub: DurableObjectStub) {
  await runInDurableObject(stub, (_, state) => {
    for (const ws of state.getWebSockets()) setState(ws, { ...stateOf(ws)!, checkedAt: 0 });
  });
}

describe('access changes on open sockets', () => {
  let bot: Awaited<ReturnType<typeof telegramBot>>;
  let admin: Awaited<ReturnType<typeof person>>;
  beforeAll(async () => {
    bot = await telegramBot();
    admin = await person('admin');
  });
  const patchUser = (id: string, body: unknown) => call('PATCH', `/api/users/${id}`, { cookie: admin.cookie, body, headers: { origin: 'http://ponte.test' } });

  it('deactivation closes the inbox socket at once (bye + 4401); colleagues stay', async () => {
    const leaving = await person('employee');
    const staying = await person('employee');
    const gone = await open('/api/live', leaving.cookie);
    const other = await open('/api/live', staying.cookie);
    expect((await patchUser(leaving.id, { active: false })).status).toBe(200);
    expect(await gone.take((f) => f.type === 'bye')).toMatchObject({ ephemeral: true, reason: 'session_ended' });
    expect((await gone.closedWith()).code).toBe(4401);
    await clientWrites(bot, 6001, 'depois da saída');
    await other.take((f) => f.message?.text === 'depois da saída');
    expect(other.closed).toBeNull();
    other.close();
  });

  it('a role change ends the sessions, so the socket closes too; a rename keeps it open', async () => {
    const demoted = await person('employee');
    const renamed = await person('employee');
    const a = await open('/api/live', demoted.cookie);
    const b = await open('/api/live', renamed.cookie);
    await patchUser(renamed.id, { name: 'Novo Nome' });
    await patchUser(demoted.id, { role: 'observer' });
    expect((await a.closedWith()).code).toBe(4401);
    await clientWrites(bot, 6002, 'ainda aqui');
    await b.take((f) => f.message?.text === 'ainda aqui');
    expect(b.closed).toBeNull();
    b.close();
  });

  it('a chat room drops a deactivated viewer on its next publish, before sending it anything', async () => {
    await clientWrites(bot, 6003, 'olá');
    const chatId = await chatIdOf(bot.id, 6003);
    const leaving = await person('employee', 'Lia');
    const staying = await person('employee', 'Rui');
    const gone = await open(`/api/chats/${chatId}/live`, leaving.cookie);
    const other = await open(`/api/chats/${chatId}/live`, staying.cookie);
    await patchUser(leaving.id, { active: false });
    await ageChecks(chatRoom(env, chatId));
    await clientWrites(bot, 6003, 'não é para a Lia');
    expect(await gone.take((f) => f.type === 'bye')).toMatchObject({ reason: 'session_ended' });
    expect((await gone.closedWith()).code).toBe(4401);
    expect(gone.durable()).toEqual([]);
    expect((await other.take((f) => f.type === 'message')).message.text).toBe('não é para a Lia');
    // The others are told she left, before the message that is not for her.
    expect(other.frames.filter((f) => f.type === 'presence_diff')).toEqual([expect.objectContaining({ joined: [], left: [leaving.id] })]);
    other.close();
  });

  it('logging out closes the inbox sockets of that session at once, with nothing published meanwhile', async () => {
    const user = await person('employee');
    const feed = await open('/api/live', user.cookie);
    expect((await call('POST', '/api/auth/logout', { cookie: user.cookie, headers: { origin: 'http://ponte.test' } })).status).toBe(204);
    expect((await feed.take((f) => f.type === 'bye')).reason).toBe('session_ended');
    expect((await feed.closedWith()).code).toBe(4401);
  });

  it('a logged-out session is noticed by the periodic re-check of the inbox feed', async () => {
    const user = await person('employee');
    const feed = await open('/api/live', user.cookie);
    expect((await call('POST', '/api/auth/logout', { cookie: user.cookie, headers: { origin: 'http://ponte.test' } })).status).toBe(204);
    await ageChecks(inboxFeed(env));
    await clientWrites(bot, 6004, 'ninguém em casa');
    expect((await feed.closedWith()).code).toBe(4401);
    expect(feed.durable().some((f) => f.message?.text === 'ninguém em casa')).toBe(false);
  });
});
