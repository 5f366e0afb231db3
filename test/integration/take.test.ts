/** POST /api/chats/:id/take: the first taker wins, the second learns who took it; nothing else moves. */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { chatEvents, chats } from '../../worker/data/schema';
import { makeChat, close } from '../support/chat-world';
import { db, makeUser } from '../support/factory';
import { call, loginAs } from '../support/http';

type Users = Record<'ana' | 'bruno' | 'olga', Awaited<ReturnType<typeof makeUser>>>;
const people = {} as Users;
const cookie = {} as Record<keyof Users, string>;

beforeAll(async () => {
  people.ana = await makeUser('employee', 'Ana');
  people.bruno = await makeUser('employee', 'Bruno');
  people.olga = await makeUser('observer', 'Olga');
  for (const k of Object.keys(people) as (keyof Users)[]) cookie[k] = await loginAs(people[k].email, people[k].password);
});

const take = (chatId: string, who: keyof Users) => call('POST', `/api/chats/${chatId}/take`, { cookie: cookie[who] });

describe('Take', () => {
  it('two managers race: exactly one gets the chat, the other a 409 naming the winner; one assigned event', async () => {
    for (let round = 0; round < 5; round++) {
      const { chatId } = await makeChat();
      const [x, y] = await Promise.all([take(chatId, 'ana'), take(chatId, 'bruno')]);
      expect([x.status, y.status].sort()).toEqual([200, 409]);
      const [won, lost] = x.status === 200 ? [x, y] : [y, x];
      const winner = won === x ? people.ana : people.bruno;
      expect(await won.json()).toMatchObject({ id: chatId, responsibleId: winner.id });
      expect(await lost.json()).toMatchObject({ error: { code: 'already_taken', details: { responsibleId: winner.id, name: winner.name } } });
      const row = await db().select({ responsibleId: chats.responsibleId }).from(chats).where(eq(chats.id, chatId)).get();
      expect(row?.responsibleId).toBe(winner.id);
      const assigned = (await db().select().from(chatEvents).where(eq(chatEvents.chatId, chatId)).all()).filter((e) => e.type === 'assigned');
      expect(assigned).toEqual([expect.objectContaining({ actorId: winner.id, data: expect.objectContaining({ taken: true }) })]);
    }
  });

  it('an assigned chat is 409 already_taken, a closed one 409 already_closed, an unknown one 404, an observer 403', async () => {
    const mine = await makeChat({ responsibleId: people.ana.id });
    expect((await take(mine.chatId, 'bruno')).status).toBe(409);
    const closed = await makeChat();
    await close(closed.chatId);
    const res = await take(closed.chatId, 'bruno');
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'already_closed' } });
    expect((await take('no-such-chat', 'bruno')).status).toBe(404);
    const open = await makeChat();
    expect([403, 404]).toContain((await take(open.chatId, 'olga')).status);
    const row = await db().select({ responsibleId: chats.responsibleId }).from(chats).where(eq(chats.id, open.chatId)).get();
    expect(row?.responsibleId).toBeNull();
  });
});
