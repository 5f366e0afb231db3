/**
 * The mention routes through the real fetch handler: bad input is a 400 that changes nothing, the
 * server refuses a mention of someone who may not see the chat, a mentioned observer of the chat
 * lists it, and the mentionable list follows the same rule.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeChat, observe } from '../support/chat-world';
import { call } from '../support/http';
import { makeTeam, type Team, type TeamCookies } from '../support/team';
import { makeUser } from '../support/factory';

const people = {} as Team;
const cookie = {} as TeamCookies;
let chatId: string;
let outsider: { id: string };

async function api(who: keyof Team, method: string, path: string, body?: unknown) {
  const res = await call(method, `/api${path}`, { cookie: cookie[who], body });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (res.status === 204 ? null : await res.json()) as any };
}

beforeAll(async () => {
  await makeTeam(people, cookie);
  outsider = await makeUser('observer', 'Otto');
  ({ chatId } = await makeChat({ responsibleId: people.ana.id, name: 'Cliente Rotas' }));
  await observe(chatId, [people.olga.id]);
});

describe('mention routes', () => {
  it('GET /api/chats/:id/mentionable lists colleagues who may see the chat (its observer yes, another observer no)', async () => {
    const { status, body } = await api('ana', 'GET', `/chats/${chatId}/mentionable`);
    expect(status).toBe(200);
    const ids = (body as { id: string }[]).map((u) => u.id);
    expect(ids).toEqual(expect.arrayContaining([people.admin.id, people.bruno.id, people.olga.id]));
    expect(ids).not.toContain(outsider.id);
    expect(ids).not.toContain(people.ana.id);
    expect((await api('ana', 'GET', `/chats/${chatId}/mentionable?q=${'x'.repeat(61)}`)).status).toBe(400);
  });

  it('POST comments with mentions: 400 for bad lists and for someone who may not see the chat, and nothing is stored', async () => {
    const before = (await api('admin', 'GET', `/chats/${chatId}/comments`)).body.length;
    const bad = [
      { text: 'oi', mentions: 'bruno' }, { text: 'oi', mentions: [people.bruno.id, people.bruno.id] },
      { text: 'oi', mentions: Array.from({ length: 21 }, (_, i) => `u${i}`) }, { text: 'oi', mentions: [''] },
    ];
    for (const body of bad) expect((await api('ana', 'POST', `/chats/${chatId}/comments`, body)).status, JSON.stringify(body)).toBe(400);
    const refused = await api('ana', 'POST', `/chats/${chatId}/comments`, { text: '@Otto veja', mentions: [people.bruno.id, outsider.id] });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'mention_not_allowed', details: { userIds: [outsider.id] } } } });
    expect((await api('admin', 'GET', `/chats/${chatId}/comments`)).body.length).toBe(before);
    expect((await api('bruno', 'GET', '/me/mentions')).body).toMatchObject({ items: [], unread: 0 });
  });

  it('a mentioned observer of the chat gets it in GET /api/me/mentions; the author and others do not', async () => {
    const posted = await api('bruno', 'POST', `/chats/${chatId}/comments`, { text: '@Olga pode acompanhar?', mentions: [people.olga.id] });
    expect(posted).toMatchObject({ status: 201, body: { mentions: [people.olga.id] } });
    const olgas = await api('olga', 'GET', '/me/mentions?unread=true');
    expect(olgas).toMatchObject({ status: 200, body: { unread: 1, nextCursor: null, items: [{ chatId, commentId: posted.body.id, authorId: people.bruno.id, text: '@Olga pode acompanhar?', readAt: null }] } });
    for (const who of ['admin', 'ana', 'bruno'] as const) expect((await api(who, 'GET', '/me/mentions')).body.unread, who).toBe(0);
    // The observer reads the chat (POST read): cleared.
    expect((await api('olga', 'POST', `/chats/${chatId}/read`)).status).toBe(204);
    expect((await api('olga', 'GET', '/me/mentions')).body).toMatchObject({ unread: 0, items: [{ chatId }] });
  });

  it('GET /api/me/mentions and POST …/read refuse bad input with 400', async () => {
    for (const q of ['limit=0', 'limit=101', 'unread=maybe', 'cursor=%%%']) expect((await api('ana', 'GET', `/me/mentions?${q}`)).status, q).toBe(400);
    for (const body of [{ chatId: 5 }, { ids: 'x' }, { ids: Array.from({ length: 101 }, (_, i) => `m${i}`) }, { everything: true }]) {
      expect((await api('ana', 'POST', '/me/mentions/read', body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(await api('ana', 'POST', '/me/mentions/read', {})).toEqual({ status: 200, body: { unread: 0 } });
  });
});
