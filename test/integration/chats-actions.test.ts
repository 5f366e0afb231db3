import { beforeAll, describe, expect, it } from 'vitest';
import { updateUser } from '../../worker/domain/accounts';
import { createFunnel } from '../../worker/domain/crm';
import { createProject } from '../../worker/domain/crm';
import { createTask } from '../../worker/domain/crm';
import type { ChatDetails, TimelineItem } from '../../worker/shared/chats';
import { clientWrites, makeChat, observe, setupAdmin } from '../support/chat-world';
import { db, makeIntegration, makeUser } from '../support/factory';
import { call, loginAs } from '../support/http';

type Person = Awaited<ReturnType<typeof makeUser>>;

describe('chat card and actions over HTTP', () => {
  let admin: Person, ana: Person, bruno: Person, olga: Person;
  const cookies = new Map<string, string>();

  beforeAll(async () => {
    [admin, ana, bruno, olga] = [await makeUser('admin'), await makeUser('employee'), await makeUser('employee'), await makeUser('observer')];
    for (const p of [admin, ana, bruno, olga]) cookies.set(p.id, await loginAs(p.email, p.password));
  });

  async function api(who: Person, method: string, path: string, body?: unknown) {
    const res = await call(method, `/api/chats${path}`, { cookie: cookies.get(who.id), body });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  const card = async (chatId: string, who: Person = admin) => (await api(who, 'GET', `/${chatId}`)).body as ChatDetails;
  async function events(chatId: string) {
    const { body } = await api(admin, 'GET', `/${chatId}/timeline?limit=200`);
    return (body.items as TimelineItem[]).filter((i) => i.kind === 'event').map((e) => e.kind === 'event' && { type: e.type, actorId: e.actorId, data: e.data });
  }
  const lastEvent = async (chatId: string) => (await events(chatId)).at(-1);

  it('GET /:id is the chat card: source, channel, contact, opportunities, links, observers, tags, mute', async () => {
    const funnel = await createFunnel({ db: db() }, { name: 'Vendas', stages: ['Novo', 'Ganho'] });
    const integration = await makeIntegration({ name: 'Loja Bot', funnelId: funnel.id });
    const { chatId } = await makeChat({ integration, responsibleId: ana.id, name: 'João Silva', at: Date.UTC(2025, 0, 2), texts: ['Oi', 'Tudo bem?'] });
    const c = await card(chatId);
    expect(c).toMatchObject({
      id: chatId, status: 'open', startedAt: '2025-01-02T00:00:00.000Z', lastMessageAt: '2025-01-02T00:00:00.001Z', closedAt: null,
      source: { integrationId: integration.id, name: 'Loja Bot' }, channel: 'telegram', responsibleId: ana.id,
      observerIds: [], tags: [], contact: { name: 'João Silva', avatarUrl: null }, links: { tasks: [], projects: [] }, muted: false, unread: true,
    });
    expect(c.opportunities).toMatchObject([{ title: 'João Silva — Loja Bot', funnelId: funnel.id, chatId, responsibleId: ana.id }]);
  });

  it('close, close again (409), reopen to the last manager, reopen again (409)', async () => {
    const { chatId } = await makeChat({ responsibleId: ana.id });
    const closed = await api(bruno, 'POST', `/${chatId}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', responsibleId: ana.id, lastResponsibleId: ana.id });
    expect(closed.body.closedAt).not.toBeNull();
    expect(await lastEvent(chatId)).toEqual({ type: 'closed', actorId: bruno.id, data: { responsibleId: ana.id } });

    const again = await api(bruno, 'POST', `/${chatId}/close`);
    expect(again).toEqual({ status: 409, body: { error: { code: 'already_closed', message: 'This chat is already closed' } } });

    const reopened = await api(bruno, 'POST', `/${chatId}/reopen`);
    expect(reopened.body).toMatchObject({ status: 'open', responsibleId: ana.id, closedAt: null });
    expect(await lastEvent(chatId)).toEqual({ type: 'reopened', actorId: bruno.id, data: { responsibleId: ana.id } });
    expect(await api(bruno, 'POST', `/${chatId}/reopen`)).toEqual({ status: 409, body: { error: { code: 'already_open', message: 'This chat is already open' } } });
    expect((await events(chatId)).filter((e) => e && (e.type === 'closed' || e.type === 'reopened'))).toHaveLength(2);
  });

  it('reopening when the last manager was deactivated leaves the chat unassigned', async () => {
    const carla = await makeUser('employee');
    const { chatId } = await makeChat({ responsibleId: carla.id });
    await api(admin, 'POST', `/${chatId}/close`);
    await updateUser(db(), carla.id, { active: false });
    expect((await api(admin, 'POST', `/${chatId}/reopen`)).body).toMatchObject({ status: 'open', responsibleId: null });
  });

  it('a client writing after a manual close reaches the manager who had the chat', async () => {
    const chat = await makeChat({ responsibleId: bruno.id });
    await api(admin, 'POST', `/${chat.chatId}/close`);
    await clientWrites(chat, 'Voltei!');
    expect(await card(chat.chatId)).toMatchObject({ status: 'open', responsibleId: bruno.id });
  });

  it('responsible: assign, reassign, unassign (remembering who had it); 404 / 400 cases', async () => {
    const { chatId } = await makeChat();
    expect((await api(ana, 'PUT', `/${chatId}/responsible`, { userId: ana.id })).body).toMatchObject({ responsibleId: ana.id });
    expect(await lastEvent(chatId)).toEqual({ type: 'assigned', actorId: ana.id, data: { responsibleId: ana.id, previousId: null } });
    expect((await api(ana, 'PUT', `/${chatId}/responsible`, { userId: bruno.id })).body).toMatchObject({ responsibleId: bruno.id });
    expect(await lastEvent(chatId)).toEqual({ type: 'assigned', actorId: ana.id, data: { responsibleId: bruno.id, previousId: ana.id } });
    expect((await api(bruno, 'PUT', `/${chatId}/responsible`, { userId: null })).body).toMatchObject({ responsibleId: null, lastResponsibleId: bruno.id });
    expect(await lastEvent(chatId)).toEqual({ type: 'unassigned', actorId: bruno.id, data: { previousId: bruno.id } });
    // The same value again changes nothing and records nothing.
    const count = (await events(chatId)).length;
    expect((await api(bruno, 'PUT', `/${chatId}/responsible`, { userId: null })).status).toBe(200);
    expect((await events(chatId)).length).toBe(count);

    expect((await api(admin, 'PUT', `/${chatId}/responsible`, { userId: 'nobody' })).body).toMatchObject({ error: { code: 'not_found' } });
    expect((await api(admin, 'PUT', `/${chatId}/responsible`, { userId: 'nobody' })).status).toBe(404);
    expect(await api(admin, 'PUT', `/${chatId}/responsible`, { userId: olga.id })).toMatchObject({ status: 400, body: { error: { code: 'invalid_responsible' } } });
    for (const bad of [{}, { userId: 5 }, { userId: '' }, { userId: ana.id, extra: 1 }]) {
      expect((await api(admin, 'PUT', `/${chatId}/responsible`, bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await api(admin, 'PUT', `/${chatId}/responsible`, 'not json')).status).toBe(400);
  });

  it('observers: replace the set, event with added/removed, the observer gains access; 404 / 400 cases', async () => {
    const { chatId } = await makeChat();
    expect((await api(olga, 'GET', `/${chatId}`)).status).toBe(404);
    const set = await api(ana, 'PUT', `/${chatId}/observers`, { userIds: [olga.id, bruno.id, olga.id] });
    expect(set.body.observerIds.sort()).toEqual([olga.id, bruno.id].sort());
    expect(await lastEvent(chatId)).toMatchObject({ type: 'observers_changed', actorId: ana.id, data: { removed: [] } });
    expect((await api(olga, 'GET', `/${chatId}`)).status).toBe(200);

    await api(ana, 'PUT', `/${chatId}/observers`, { userIds: [bruno.id] });
    expect(await lastEvent(chatId)).toEqual({ type: 'observers_changed', actorId: ana.id, data: { observerIds: [bruno.id], added: [], removed: [olga.id] } });
    expect((await api(olga, 'GET', `/${chatId}`)).status).toBe(404);

    expect((await api(ana, 'PUT', `/${chatId}/observers`, { userIds: ['ghost'] })).status).toBe(404);
    expect((await api(ana, 'PUT', `/${chatId}/observers`, { userIds: 'all' })).status).toBe(400);
    expect((await card(chatId)).observerIds).toEqual([bruno.id]);
  });

  it('tags: created on the fly, reused case-insensitively, listed for pickers', async () => {
    const [a, b] = [await makeChat(), await makeChat()];
    const first = await api(ana, 'PUT', `/${a.chatId}/tags`, { tags: ['VIP', ' Atacado ', 'vip'] });
    expect(first).toEqual({ status: 200, body: { tags: ['Atacado', 'VIP'] } });
    expect(await lastEvent(a.chatId)).toEqual({ type: 'tags_changed', actorId: ana.id, data: { tags: ['VIP', 'Atacado'], added: ['VIP', 'Atacado'], removed: [] } });
    // "vip" is the existing tag: the first spelling stays its display name.
    expect((await api(bruno, 'PUT', `/${b.chatId}/tags`, { tags: ['vip'] })).body).toEqual({ tags: ['VIP'] });
    expect((await api(bruno, 'PUT', `/${a.chatId}/tags`, { tags: ['atacado'] })).body).toEqual({ tags: ['Atacado'] });
    expect(await lastEvent(a.chatId)).toMatchObject({ type: 'tags_changed', data: { removed: ['VIP'], added: [] } });
    const list = await call('GET', '/api/tags?q=V', { cookie: cookies.get(olga.id) });
    expect(((await list.json()) as { name: string }[]).map((t) => t.name)).toEqual(['VIP']);
    const all = (await (await call('GET', '/api/tags', { cookie: cookies.get(ana.id) })).json()) as { name: string }[];
    expect(all.map((t) => t.name)).toEqual(['Atacado', 'VIP']);
    expect((await api(ana, 'PUT', `/${a.chatId}/tags`, { tags: ['   '] })).status).toBe(400);
    expect((await api(ana, 'PUT', `/${a.chatId}/tags`, { tags: [] })).body).toEqual({ tags: [] });
  });

  it('notifications: the mute flag is per user and leaves no event (a personal setting)', async () => {
    const { chatId } = await makeChat();
    const before = await lastEvent(chatId);
    expect(await api(ana, 'PUT', `/${chatId}/notifications`, { muted: true })).toEqual({ status: 200, body: { muted: true } });
    expect((await card(chatId, ana)).muted).toBe(true);
    expect((await card(chatId, bruno)).muted).toBe(false);
    await api(ana, 'PUT', `/${chatId}/notifications`, { muted: false });
    expect((await card(chatId, ana)).muted).toBe(false);
    expect(await lastEvent(chatId)).toEqual(before);
    expect((await api(ana, 'PUT', `/${chatId}/notifications`, { muted: 'yes' })).status).toBe(400);
  });

  it('comments: 201, listed oldest first, shown in the timeline, never as a message', async () => {
    const { chatId } = await makeChat();
    const posted = await api(ana, 'POST', `/${chatId}/comments`, { text: '  Cliente pediu desconto  ' });
    expect(posted).toMatchObject({ status: 201, body: { chatId, authorId: ana.id, text: 'Cliente pediu desconto' } });
    await api(bruno, 'POST', `/${chatId}/comments`, { text: 'Ok, 5%' });
    expect((await api(olga, 'GET', `/${chatId}/comments`)).status).toBe(404);
    const list = await api(admin, 'GET', `/${chatId}/comments`);
    expect(list.body.map((c: { text: string }) => c.text)).toEqual(['Cliente pediu desconto', 'Ok, 5%']);
    expect(await lastEvent(chatId)).toEqual({ type: 'commented', actorId: bruno.id, data: { commentId: list.body[1].id, text: 'Ok, 5%' } });
    const timeline = (await api(admin, 'GET', `/${chatId}/timeline`)).body.items as TimelineItem[];
    expect(timeline.filter((i) => i.kind === 'message').map((m) => m.kind === 'message' && m.direction)).toEqual(['in']);
    for (const bad of [{ text: '' }, { text: '   ' }, { text: 'x'.repeat(4001) }, {}]) expect((await api(ana, 'POST', `/${chatId}/comments`, bad)).status).toBe(400);
  });

  it('links: task and project, 409 when linked twice, 404 unknown, 400 bad bodies, unlink', async () => {
    const { chatId } = await makeChat();
    const task = await createTask({ db: db() }, await setupAdmin(), { title: 'Enviar orçamento' });
    const project = await createProject({ db: db() }, await setupAdmin(), { name: 'Loja nova' });
    expect(await api(ana, 'POST', `/${chatId}/links`, { taskId: task.id })).toMatchObject({ status: 201, body: { chatId, kind: 'task', linkedId: task.id } });
    expect(await lastEvent(chatId)).toEqual({ type: 'linked', actorId: ana.id, data: { kind: 'task', linkedId: task.id, title: 'Enviar orçamento' } });
    expect((await api(ana, 'POST', `/${chatId}/links`, { projectId: project.id })).status).toBe(201);
    expect(await api(ana, 'POST', `/${chatId}/links`, { taskId: task.id })).toMatchObject({ status: 409, body: { error: { code: 'already_linked' } } });
    expect((await card(chatId)).links).toEqual({
      tasks: [{ id: task.id, title: 'Enviar orçamento', done: false, dueAt: null, assigneeId: null }],
      projects: [{ id: project.id, name: 'Loja nova' }],
    });
    expect((await api(ana, 'POST', `/${chatId}/links`, { taskId: 'ghost' })).status).toBe(404);
    expect((await api(ana, 'POST', `/${chatId}/links`, { projectId: 'ghost' })).status).toBe(404);
    for (const bad of [{}, { taskId: task.id, projectId: project.id }, { opportunityId: 'x' }]) {
      expect((await api(ana, 'POST', `/${chatId}/links`, bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await api(bruno, 'DELETE', `/${chatId}/links/task/${task.id}`)).status).toBe(204);
    expect(await lastEvent(chatId)).toEqual({ type: 'unlinked', actorId: bruno.id, data: { kind: 'task', linkedId: task.id, title: 'Enviar orçamento' } });
    expect((await api(bruno, 'DELETE', `/${chatId}/links/task/${task.id}`)).status).toBe(404);
    expect((await api(bruno, 'DELETE', `/${chatId}/links/contact/${task.id}`)).status).toBe(400);
    expect((await card(chatId)).links.tasks).toEqual([]);
  });

  it('observer: reads observed chats, 403 on every change but their own mute and read marker, 404 on chats they do not observe', async () => {
    const observed = await makeChat({ responsibleId: ana.id });
    const hidden = await makeChat({ responsibleId: ana.id });
    await observe(observed.chatId, [olga.id]);
    const task = await createTask({ db: db() }, await setupAdmin(), { title: 't' });
    await api(admin, 'POST', `/${observed.chatId}/links`, { taskId: task.id });
    const actions: [string, string, unknown?][] = [
      ['POST', '/close'], ['POST', '/reopen'], ['PUT', '/responsible', { userId: null }], ['PUT', '/observers', { userIds: [] }],
      ['PUT', '/tags', { tags: ['x'] }], ['POST', '/comments', { text: 'oi' }], ['POST', '/links', { taskId: task.id }],
      ['DELETE', `/links/task/${task.id}`],
    ];
    for (const [method, path, body] of actions) {
      expect((await api(olga, method, `/${observed.chatId}${path}`, body)).status, `${method} ${path}`).toBe(403);
      expect((await api(olga, method, `/${hidden.chatId}${path}`, body)).status, `${method} ${path} (unobserved)`).toBe(404);
    }
    const reads = ['', '/timeline', '/search?q=ola', '/comments'];
    for (const path of reads) {
      expect((await api(olga, 'GET', `/${observed.chatId}${path}`)).status, path).toBe(200);
      expect((await api(olga, 'GET', `/${hidden.chatId}${path}`)).status, path).toBe(404);
    }
    expect((await api(olga, 'PUT', `/${observed.chatId}/notifications`, { muted: true })).status).toBe(200);
    expect((await api(olga, 'POST', `/${observed.chatId}/read`)).status).toBe(204);
    expect((await api(olga, 'PUT', `/${hidden.chatId}/notifications`, { muted: true })).status).toBe(404);
    expect((await api(olga, 'POST', `/${hidden.chatId}/read`)).status).toBe(404);
    // Nothing the observer tried changed the chat.
    expect(await card(observed.chatId)).toMatchObject({ status: 'open', responsibleId: ana.id, tags: [], observerIds: [olga.id] });
  });

  it('unknown chat ids are 404 on every route', async () => {
    const paths: [string, string, unknown?][] = [
      ['GET', ''], ['GET', '/timeline'], ['GET', '/search?q=x'], ['POST', '/read'], ['POST', '/close'], ['POST', '/reopen'],
      ['PUT', '/responsible', { userId: null }], ['PUT', '/observers', { userIds: [] }], ['PUT', '/tags', { tags: [] }],
      ['PUT', '/notifications', { muted: true }], ['GET', '/comments'], ['POST', '/comments', { text: 'x' }],
      ['POST', '/links', { taskId: 'x' }], ['DELETE', '/links/task/x'],
    ];
    for (const [method, path, body] of paths) {
      const res = await api(admin, method, `/0000nochat${path}`, body);
      expect([res.status, res.body?.error?.code], `${method} ${path}`).toEqual([404, 'not_found']);
    }
  });
});
