import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatListResponse } from '../../worker/shared/chats';
import { clientWrites, close, makeChat, observe } from '../support/chat-world';
import { makeIntegration, makeUser } from '../support/factory';
import { call, loginAs } from '../support/http';

type Person = Awaited<ReturnType<typeof makeUser>>;
const T = Date.UTC(2025, 4, 1);

describe('GET /api/chats groups', () => {
  let admin: Person, ana: Person, bruno: Person, olga: Person;
  const id: Record<string, string> = {};
  const cookie: Record<string, string> = {};

  beforeAll(async () => {
    [admin, ana, bruno, olga] = [await makeUser('admin'), await makeUser('employee'), await makeUser('employee'), await makeUser('observer')];
    const integration = await makeIntegration({ name: 'Loja Bot' });
    // Activity order, oldest first: c1 (closed), u1, a1, b1, u2, a2.
    const spec: [string, string | null][] = [['c1', ana.id], ['u1', null], ['a1', ana.id], ['b1', bruno.id], ['u2', null], ['a2', ana.id]];
    for (const [i, [key, responsibleId]] of spec.entries()) {
      id[key] = (await makeChat({ integration, responsibleId, at: T + i * 1000, texts: [`${key} first`, `${key} last`], name: `Cliente ${key}` })).chatId;
    }
    await close(id.c1);
    await observe(id.a1, [olga.id]);
    await observe(id.u1, [olga.id]);
    await observe(id.c1, [olga.id]);
    for (const p of [admin, ana, bruno, olga]) cookie[p.id] = await loginAs(p.email, p.password);
  });

  async function group(p: Person, g: string, query = ''): Promise<ChatListResponse> {
    const res = await call('GET', `/api/chats?group=${g}${query}`, { cookie: cookie[p.id] });
    expect(res.status).toBe(200);
    return res.json();
  }
  const keysOf = (list: ChatListResponse) => list.items.map((i) => Object.keys(id).find((k) => id[k] === i.id));

  const expected = () => ({
    ana: { mine: ['a2', 'a1'], unassigned: ['u2', 'u1'], others: ['b1'], closed: ['c1'] },
    bruno: { mine: ['b1'], unassigned: ['u2', 'u1'], others: ['a2', 'a1'], closed: ['c1'] },
    admin: { mine: [], unassigned: ['u2', 'u1'], others: ['a2', 'b1', 'a1'], closed: ['c1'] },
    // The observer sees only what they observe: a1 (Ana's), u1 (unassigned), c1 (closed).
    olga: { mine: [], unassigned: ['u1'], others: ['a1'], closed: ['c1'] },
  });

  for (const who of ['ana', 'bruno', 'admin', 'olga'] as const) {
    it(`${who}: each group holds the right chats, newest activity first, with the right counts`, async () => {
      const person = { ana, bruno, admin, olga }[who];
      const want = expected()[who];
      for (const g of ['mine', 'unassigned', 'others', 'closed'] as const) {
        const list = await group(person, g);
        expect(keysOf(list), `${who}/${g}`).toEqual(want[g]);
        expect(list.counts).toEqual({ mine: want.mine.length, unassigned: want.unassigned.length, others: want.others.length, closed: want.closed.length });
        expect(list.nextCursor).toBeNull();
      }
    });
  }

  it('items carry contact, integration, preview, times, unread and mute per user', async () => {
    const [item] = (await group(ana, 'mine')).items;
    expect(item).toMatchObject({
      id: id.a2, status: 'open', responsibleId: ana.id, lastMessagePreview: 'a2 last',
      contact: { name: 'Cliente a2', avatarUrl: null }, integration: { name: 'Loja Bot', channel: 'telegram' },
      unread: true, unreadCount: 2, muted: false, closedAt: null,
      lastMessageAt: new Date(T + 5 * 1000 + 1).toISOString(), startedAt: new Date(T + 5 * 1000).toISOString(),
    });
    const closed = (await group(ana, 'closed')).items[0];
    expect(closed.closedAt).not.toBeNull();
  });

  it('reading a chat clears its unread state for that user only; a new client text brings it back', async () => {
    expect((await call('GET', `/api/chats/${id.u2}/timeline`, { cookie: cookie[ana.id] })).status).toBe(200);
    const forAna = (await group(ana, 'unassigned')).items.find((i) => i.id === id.u2)!;
    const forBruno = (await group(bruno, 'unassigned')).items.find((i) => i.id === id.u2)!;
    expect([forAna.unread, forAna.unreadCount]).toEqual([false, 0]);
    expect([forBruno.unread, forBruno.unreadCount]).toEqual([true, 2]);

    expect((await call('POST', `/api/chats/${id.u1}/read`, { cookie: cookie[bruno.id] })).status).toBe(204);
    expect((await group(bruno, 'unassigned')).items.find((i) => i.id === id.u1)!.unread).toBe(false);
  });

  it('muting shows in that user\'s list only', async () => {
    expect((await call('PUT', `/api/chats/${id.b1}/notifications`, { cookie: cookie[bruno.id], body: { muted: true } })).status).toBe(200);
    expect((await group(bruno, 'mine')).items[0].muted).toBe(true);
    expect((await group(ana, 'others')).items[0].muted).toBe(false);
  });

  it('pages with an opaque cursor: every chat once, in order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: ChatListResponse = await group(admin, 'others', `&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.items.length).toBe(1);
      seen.push(...keysOf(page).map(String));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(['a2', 'b1', 'a1']);
    expect(pages).toBe(3);
  });

  it('a client text moves its chat to the top of the group', async () => {
    const integration = await makeIntegration();
    const older = await makeChat({ integration, responsibleId: bruno.id, at: T - 10_000 });
    expect(keysOf(await group(bruno, 'mine')).length).toBe(2);
    await clientWrites(older, 'de volta', T + 60_000);
    const list = await group(bruno, 'mine');
    expect(list.items[0]).toMatchObject({ id: older.chatId, lastMessagePreview: 'de volta' });
  });

  it('counts unread up to the cap (99)', async () => {
    const integration = await makeIntegration();
    const texts = Array.from({ length: 101 }, (_, i) => `msg ${i}`);
    const chat = await makeChat({ integration, responsibleId: ana.id, texts, at: T + 100_000 });
    const item = (await group(ana, 'mine')).items.find((i) => i.id === chat.chatId)!;
    expect(item.unreadCount).toBe(99);
  });

  it('400 on a bad group, limit or cursor; 401 when logged out', async () => {
    expect((await call('GET', '/api/chats?group=everything', { cookie: cookie[ana.id] })).status).toBe(400);
    expect((await call('GET', '/api/chats?limit=0', { cookie: cookie[ana.id] })).status).toBe(400);
    const bad = await call('GET', '/api/chats?cursor=%%%', { cookie: cookie[ana.id] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_cursor' } });
    expect((await call('GET', '/api/chats')).status).toBe(401);
  });
});
