/** Funnels, contacts, opportunities, tasks and projects through the real fetch handler. */
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFunnel } from '../../worker/domain/crm';
import { setObservers } from '../../worker/domain/chats';
import { chatEvents, chatLinks, chats } from '../../worker/data/schema';
import { clientText, db, ingest, ingestDeps, makeIntegration, makeUser, uniq } from '../support/factory';
import { call, loginAs } from '../support/http';

type Who = 'admin' | 'ana' | 'bruno' | 'olga';
const people = {} as Record<Who, Awaited<ReturnType<typeof makeUser>>>;
const cookie = {} as Record<Who, string>;

beforeAll(async () => {
  people.admin = await makeUser('admin');
  people.ana = await makeUser('employee', 'Ana');
  people.bruno = await makeUser('employee', 'Bruno');
  people.olga = await makeUser('observer', 'Olga');
  for (const k of Object.keys(people) as Who[]) cookie[k] = await loginAs(people[k].email, people[k].password);
});

const req = async (method: string, path: string, who: Who, body?: unknown) => {
  const res = await call(method, path, { cookie: cookie[who], body });
  return { status: res.status, body: (res.status === 204 ? null : await res.json()) as any };
};

/** A bot with a funnel, and a client's first message: the chat, its contact and the funnel. */
async function chatWithFunnel(responsible: string | null = null) {
  const funnel = await createFunnel({ db: db() }, { name: `Vendas ${uniq()}`, stages: ['Novo', 'Proposta', 'Fechado'] });
  const integration = await makeIntegration({ funnelId: funnel.id, name: 'Loja Bot' });
  const client = uniq();
  await ingest(integration, clientText(client, 'Oi', { name: 'Maria Lima' }), ingestDeps(async () => responsible));
  const chat = (await db().select().from(chats).where(and(eq(chats.integrationId, integration.id), eq(chats.externalChatId, client))).get())!;
  return { funnel, integration, chat };
}

describe('funnels', () => {
  it('admin creates a funnel with ordered stages; everyone reads it; others may not create', async () => {
    const created = await req('POST', '/api/funnels', 'admin', { name: 'Atacado', stages: ['Lead', 'Negociação', 'Ganho'] });
    expect(created.status).toBe(201);
    expect(created.body.stages.map((s: any) => [s.name, s.position])).toEqual([['Lead', 0], ['Negociação', 1], ['Ganho', 2]]);
    const list = await req('GET', '/api/funnels', 'olga');
    expect(list.body.find((f: any) => f.id === created.body.id)).toEqual(created.body);
    expect((await req('POST', '/api/funnels', 'ana', { name: 'X', stages: ['a'] })).status).toBe(403);
    expect((await req('POST', '/api/funnels', 'olga', { name: 'X', stages: ['a'] })).status).toBe(403);
    expect((await req('POST', '/api/funnels', 'admin', { name: 'X', stages: [] })).status).toBe(400);
  });

  it('PATCH renames, reorders and adds stages; an empty stage can go, one holding a deal cannot (409)', async () => {
    const { funnel } = await chatWithFunnel();
    const [novo, proposta, fechado] = funnel.stages;
    const path = `/api/funnels/${funnel.id}`;
    const moved = await req('PATCH', path, 'admin', { name: 'Varejo', stages: [{ id: novo.id, name: 'Novo' }, { name: 'Qualificado' }, { id: fechado.id, name: 'Ganho' }, { id: proposta.id, name: 'Proposta' }] });
    expect(moved.status).toBe(200);
    expect(moved.body.name).toBe('Varejo');
    expect(moved.body.stages.map((s: any) => s.name)).toEqual(['Novo', 'Qualificado', 'Ganho', 'Proposta']);
    expect(moved.body.stages.map((s: any) => s.position)).toEqual([0, 1, 2, 3]);
    expect(moved.body.stages[2].id).toBe(fechado.id);

    // The chat's opportunity sits in "Novo": removing it is refused and nothing changes.
    const refused = await req('PATCH', path, 'admin', { stages: [{ id: proposta.id, name: 'Proposta' }] });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'stage_in_use' } } });
    const removed = await req('PATCH', path, 'admin', { stages: [{ id: proposta.id, name: 'Proposta' }, { id: novo.id, name: 'Novo' }] });
    expect(removed.body.stages.map((s: any) => s.name)).toEqual(['Proposta', 'Novo']);
    expect((await req('PATCH', path, 'admin', { stages: [{ id: 'not-a-stage', name: 'X' }] })).status).toBe(404);
    expect((await req('PATCH', '/api/funnels/nope', 'admin', { name: 'X' })).status).toBe(404);
    expect((await req('PATCH', path, 'ana', { name: 'X' })).status).toBe(403);
  });
});

describe('opportunities', () => {
  it('a new chat has exactly one opportunity «contact — bot» in the first stage, responsible = its manager', async () => {
    const { funnel, chat } = await chatWithFunnel(people.ana.id);
    const list = await req('GET', `/api/opportunities?chatId=${chat.id}`, 'bruno');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ title: 'Maria Lima — Loja Bot', funnelId: funnel.id, stageId: funnel.stages[0].id, contactId: chat.contactId, chatId: chat.id, responsibleId: people.ana.id, amount: null });
  });

  it('another opportunity from the chat: first stage of the chosen funnel, chat’s manager, `opportunity_created` event', async () => {
    const { chat } = await chatWithFunnel(people.ana.id);
    const other = await createFunnel({ db: db() }, { name: `Serviços ${uniq()}`, stages: ['Contato', 'Orçamento'] });
    const created = await req('POST', '/api/opportunities', 'bruno', { contactId: chat.contactId, funnelId: other.id, title: 'Instalação', chatId: chat.id, amount: 1500 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ funnelId: other.id, stageId: other.stages[0].id, responsibleId: people.ana.id, chatId: chat.id, amount: 1500, title: 'Instalação' });
    expect(Number.isNaN(Date.parse(created.body.createdAt))).toBe(false);
    const events = await db().select().from(chatEvents).where(and(eq(chatEvents.chatId, chat.id), eq(chatEvents.type, 'opportunity_created'))).all();
    expect(events.map((e) => [e.actorId, e.data.opportunityId])).toEqual([[null, expect.any(String)], [people.bruno.id, created.body.id]]);
    expect((await req('GET', `/api/opportunities?contactId=${chat.contactId}`, 'bruno')).body.items).toHaveLength(2);
  });

  it('without a chat the creator is responsible; mismatched contact, unknown ids and empty funnels are refused', async () => {
    const { funnel, chat } = await chatWithFunnel(null);
    const plain = await req('POST', '/api/opportunities', 'ana', { contactId: chat.contactId, funnelId: funnel.id, title: 'Avulsa' });
    expect(plain.body).toMatchObject({ responsibleId: people.ana.id, chatId: null });
    // The chat is unassigned: the creator is responsible.
    const fromChat = await req('POST', '/api/opportunities', 'ana', { contactId: chat.contactId, funnelId: funnel.id, title: 'Do chat', chatId: chat.id });
    expect(fromChat.body.responsibleId).toBe(people.ana.id);
    const another = await chatWithFunnel(null);
    expect((await req('POST', '/api/opportunities', 'ana', { contactId: another.chat.contactId, funnelId: funnel.id, title: 'x', chatId: chat.id })).status).toBe(400);
    expect((await req('POST', '/api/opportunities', 'ana', { contactId: 'nope', funnelId: funnel.id, title: 'x' })).status).toBe(404);
    expect((await req('POST', '/api/opportunities', 'ana', { contactId: chat.contactId, funnelId: 'nope', title: 'x' })).status).toBe(404);
    expect((await req('POST', '/api/opportunities', 'ana', { contactId: chat.contactId, funnelId: funnel.id, title: 'x', chatId: 'nope' })).status).toBe(404);
    expect((await req('POST', '/api/opportunities', 'ana', { contactId: chat.contactId, funnelId: funnel.id })).status).toBe(400);
  });

  it('PATCH moves between stages of its own funnel only, edits title and amount', async () => {
    const { funnel, chat } = await chatWithFunnel(people.ana.id);
    const other = await createFunnel({ db: db() }, { name: `Outro ${uniq()}`, stages: ['A'] });
    const [opp] = (await req('GET', `/api/opportunities?chatId=${chat.id}`, 'ana')).body.items;
    const path = `/api/opportunities/${opp.id}`;
    const moved = await req('PATCH', path, 'ana', { stageId: funnel.stages[2].id, title: 'Sofá azul', amount: 2399.9 });
    expect(moved).toMatchObject({ status: 200, body: { stageId: funnel.stages[2].id, title: 'Sofá azul', amount: 2399.9 } });
    expect(await req('PATCH', path, 'ana', { stageId: other.stages[0].id })).toMatchObject({ status: 409, body: { error: { code: 'stage_not_in_funnel' } } });
    expect((await req('PATCH', path, 'ana', { stageId: 'nope' })).status).toBe(404);
    expect((await req('PATCH', path, 'ana', { amount: null })).body.amount).toBeNull();
    expect((await req('PATCH', path, 'ana', { amount: -5 })).status).toBe(400);
    expect((await req('PATCH', '/api/opportunities/nope', 'ana', { title: 'x' })).status).toBe(404);
    const stored = (await req('GET', `/api/opportunities?chatId=${chat.id}`, 'ana')).body.items[0];
    expect(stored).toMatchObject({ stageId: funnel.stages[2].id, title: 'Sofá azul', amount: null });
  });
});

describe('contacts', () => {
  it('employees edit name, phone, email and company; empty clears; bad email is 400', async () => {
    const { chat, integration } = await chatWithFunnel();
    const path = `/api/contacts/${chat.contactId}`;
    const got = await req('GET', path, 'bruno');
    expect(got.body).toMatchObject({ id: chat.contactId, name: 'Maria Lima', phone: null, identities: [{ channel: 'telegram', integrationId: integration.id, externalId: chat.externalChatId }] });
    const edited = await req('PATCH', path, 'bruno', { name: 'Maria S. Lima', phone: '+55 11 99999-0000', email: 'maria@example.com', company: 'Lima & Filhos' });
    expect(edited.body).toMatchObject({ name: 'Maria S. Lima', phone: '+55 11 99999-0000', email: 'maria@example.com', company: 'Lima & Filhos' });
    expect((await req('PATCH', path, 'bruno', { phone: '', email: '' })).body).toMatchObject({ phone: null, email: null, company: 'Lima & Filhos' });
    expect((await req('PATCH', path, 'bruno', { email: 'not-an-email' })).status).toBe(400);
    expect((await req('PATCH', path, 'bruno', { name: '  ' })).status).toBe(400);
    expect((await req('GET', '/api/contacts/nope', 'ana')).status).toBe(404);
    expect((await req('GET', path, 'ana')).body.name).toBe('Maria S. Lima');
  });
});

describe('tasks and projects', () => {
  it('a task created from a chat is linked in the same write, with a `linked` event; list, filter and edit', async () => {
    const { chat } = await chatWithFunnel(people.ana.id);
    const due = '2026-12-01T15:00:00.000Z';
    const created = await req('POST', '/api/tasks', 'ana', { title: 'Enviar orçamento', assigneeId: people.bruno.id, dueAt: due, chatId: chat.id });
    expect(created).toMatchObject({ status: 201, body: { title: 'Enviar orçamento', assigneeId: people.bruno.id, dueAt: due, done: false, createdBy: people.ana.id } });
    const links = await db().select().from(chatLinks).where(eq(chatLinks.chatId, chat.id)).all();
    expect(links.map((l) => [l.kind, l.linkedId])).toEqual([['task', created.body.id]]);
    const linked = await db().select().from(chatEvents).where(and(eq(chatEvents.chatId, chat.id), eq(chatEvents.type, 'linked'))).all();
    expect(linked.map((e) => [e.actorId, e.data])).toEqual([[people.ana.id, { kind: 'task', linkedId: created.body.id, title: 'Enviar orçamento' }]]);

    const unlinked = await req('POST', '/api/tasks', 'ana', { title: 'Sem chat' });
    expect((await req('GET', `/api/tasks?chatId=${chat.id}`, 'bruno')).body.items.map((t: any) => t.id)).toEqual([created.body.id]);
    const done = await req('PATCH', `/api/tasks/${created.body.id}`, 'bruno', { done: true, dueAt: null });
    expect(done.body).toMatchObject({ done: true, dueAt: null, title: 'Enviar orçamento' });
    const doneIds = (await req('GET', '/api/tasks?done=true', 'ana')).body.items.map((t: any) => t.id);
    expect(doneIds).toContain(created.body.id);
    expect(doneIds).not.toContain(unlinked.body.id);
    expect((await req('GET', `/api/tasks?assigneeId=${people.bruno.id}`, 'ana')).body.items.map((t: any) => t.id)).toEqual([created.body.id]);
    expect((await req('POST', '/api/tasks', 'ana', { title: 'x', assigneeId: 'nobody' })).status).toBe(404);
    expect((await req('POST', '/api/tasks', 'ana', { title: 'x', dueAt: 'tomorrow' })).status).toBe(400);
    expect((await req('PATCH', '/api/tasks/nope', 'ana', { done: true })).status).toBe(404);
  });

  it('a project created from a chat is linked to it; lists filter by chat', async () => {
    const { chat } = await chatWithFunnel();
    const created = await req('POST', '/api/projects', 'bruno', { name: 'Reforma da loja', description: 'Móveis sob medida', chatId: chat.id });
    expect(created).toMatchObject({ status: 201, body: { name: 'Reforma da loja', description: 'Móveis sob medida', createdBy: people.bruno.id } });
    await req('POST', '/api/projects', 'bruno', { name: 'Outro' });
    expect((await req('GET', `/api/projects?chatId=${chat.id}`, 'ana')).body.items.map((p: any) => p.id)).toEqual([created.body.id]);
    expect((await req('GET', '/api/projects', 'bruno')).body.items.length).toBeGreaterThanOrEqual(2);
    const event = await db().select().from(chatEvents).where(and(eq(chatEvents.chatId, chat.id), eq(chatEvents.type, 'linked'))).get();
    expect(event!.data).toEqual({ kind: 'project', linkedId: created.body.id, title: 'Reforma da loja' });
    expect((await req('POST', '/api/projects', 'bruno', { name: 'x', chatId: 'nope' })).status).toBe(404);
  });
});

describe('observers', () => {
  it('cannot create or edit any CRM entity (403) and nothing changes', async () => {
    const { funnel, chat } = await chatWithFunnel(people.ana.id);
    // Even on a chat they observe: observing is read-only.
    await setObservers({ db: db() }, people.admin, chat.id, [people.olga.id]);
    const [opp] = (await req('GET', `/api/opportunities?chatId=${chat.id}`, 'olga')).body.items;
    const task = (await req('POST', '/api/tasks', 'ana', { title: 'T' })).body;
    const attempts: [string, string, unknown][] = [
      ['POST', '/api/opportunities', { contactId: chat.contactId, funnelId: funnel.id, title: 'x', chatId: chat.id }],
      ['POST', '/api/opportunities', { contactId: chat.contactId, funnelId: funnel.id, title: 'x' }],
      ['PATCH', `/api/opportunities/${opp.id}`, { stageId: funnel.stages[1].id }],
      ['PATCH', `/api/contacts/${chat.contactId}`, { name: 'x' }],
      ['POST', '/api/tasks', { title: 'x', chatId: chat.id }],
      ['PATCH', `/api/tasks/${task.id}`, { done: true }],
      ['POST', '/api/projects', { name: 'x', chatId: chat.id }],
      ['POST', '/api/funnels', { name: 'x', stages: ['a'] }],
      ['PATCH', `/api/funnels/${funnel.id}`, { name: 'x' }],
    ];
    for (const [method, path, body] of attempts) expect([method, path, (await req(method, path, 'olga', body)).status]).toEqual([method, path, 403]);
    expect((await req('GET', `/api/opportunities?chatId=${chat.id}`, 'olga')).body.items).toEqual([opp]);
    expect((await req('GET', `/api/contacts/${chat.contactId}`, 'olga')).body.name).toBe('Maria Lima');
    const events = await db().select({ type: chatEvents.type }).from(chatEvents).where(eq(chatEvents.chatId, chat.id)).all();
    expect(events.filter((e) => e.type === 'linked' || e.type === 'opportunity_created')).toHaveLength(1);
  });

  it("a listed task shows the chats it is linked to; an observer sees only the chat they listed by", async () => {
    const { chat } = await chatWithFunnel(people.ana.id);
    const { chat: other } = await chatWithFunnel(people.bruno.id);
    const task = (await req('POST', '/api/tasks', 'ana', { title: 'Duas conversas', chatId: chat.id })).body;
    expect((await req('POST', `/api/chats/${other.id}/links`, 'ana', { taskId: task.id })).status).toBe(201);
    const lone = (await req('POST', '/api/tasks', 'ana', { title: 'Sozinha' })).body;
    const listed = (await req('GET', '/api/tasks?limit=500', 'ana')).body.items as { id: string; chatIds: string[] }[];
    expect(listed.find((t) => t.id === task.id)?.chatIds.sort()).toEqual([chat.id, other.id].sort());
    expect(listed.find((t) => t.id === lone.id)?.chatIds).toEqual([]);
    await setObservers({ db: db() }, people.admin, chat.id, [people.olga.id]);
    expect((await req('GET', `/api/tasks?chatId=${chat.id}`, 'olga')).body.items).toMatchObject([{ id: task.id, chatIds: [chat.id] }]);
  });

  it('read a chat’s CRM only for chats they observe', async () => {
    const { chat } = await chatWithFunnel(people.ana.id);
    expect((await req('GET', `/api/opportunities?chatId=${chat.id}`, 'olga')).status).toBe(404);
    expect((await req('GET', `/api/tasks?chatId=${chat.id}`, 'olga')).status).toBe(404);
    expect((await req('GET', `/api/projects?chatId=${chat.id}`, 'olga')).status).toBe(404);
    expect((await req('GET', `/api/contacts/${chat.contactId}`, 'olga')).status).toBe(404);
    await setObservers({ db: db() }, people.admin, chat.id, [people.olga.id]);
    expect((await req('GET', `/api/opportunities?chatId=${chat.id}`, 'olga')).status).toBe(200);
    expect((await req('GET', `/api/tasks?chatId=${chat.id}`, 'olga')).status).toBe(200);
    expect((await req('GET', `/api/contacts/${chat.contactId}`, 'olga')).status).toBe(200);
    // The whole CRM, unscoped, stays with staff.
    for (const path of [`/api/opportunities?contactId=${chat.contactId}`, '/api/opportunities', '/api/tasks', '/api/projects']) {
      expect([path, (await req('GET', path, 'olga')).status]).toEqual([path, 403]);
      expect([path, (await req('GET', path, 'ana')).status]).toEqual([path, 200]);
    }
  });
});
