/**
 * Every API route × every role: the status each role gets. The table must name every route the
 * OpenAPI document lists, so a new route without a row fails this test.
 *
 * Expected statuses: the code for an allowed request with a valid body on an existing resource, or
 * 401 (anonymous) / 403 (role may not). Rows build their own fixtures in `setup`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call, loginAs } from '../support/http';
import { makeUser } from '../support/factory';
import { crmFixture } from '../support/crm-fixtures';
import { close, makeChat, observe, setupAdmin } from '../support/chat-world';
import { linkChat } from '../../worker/domain/chats';
import { createTask } from '../../worker/domain/crm';
import { db as testDb, makeIntegration } from '../support/factory';
import { env } from 'cloudflare:workers';
import { deliverMessage } from '../../worker/domain/outbound';
import { postAgentAttachment, postAgentMessage } from '../../worker/domain/outbound';
import { messengerFake, telegramError } from '../support/messenger-fake';

type RoleName = 'anonymous' | 'admin' | 'employee' | 'observer';
interface Ctx {
  users: Record<Exclude<RoleName, 'anonymous'>, { id: string; email: string; password: string }>;
}
interface Row {
  method: string;
  /** OpenAPI path, e.g. /api/users/{id}. */
  path: string;
  /** Builds the concrete request (path with ids, body, extra headers) for a fresh fixture. */
  request: (ctx: Ctx) => Promise<{ path: string; body?: unknown; headers?: Record<string, string> }>;
  expect: Record<RoleName, number>;
}

const everyoneLoggedIn = (ok: number) => ({ anonymous: 401, admin: ok, employee: ok, observer: ok });
const adminOnly = (ok: number) => ({ anonymous: 401, admin: ok, employee: 403, observer: 403 });

/** A chat the matrix's observer observes, so their answers show the policy rather than the 404 of an unseen chat. */
async function observedChat(c: Ctx, opts: { closed?: boolean } = {}) {
  const { chatId } = await makeChat();
  await observe(chatId, [c.users.observer.id]);
  if (opts.closed) await close(chatId);
  return chatId;
}
const staffOnly = (ok: number) => ({ anonymous: 401, admin: ok, employee: ok, observer: 403 });

/** Routes that reach a messenger (connect, deliver) talk to the in-test fake, never the network. */
const offline = () => messengerFake().install();
/** A manager's message in an observed chat, failed by the messenger (for the retry route). */
async function failedMessage(c: Ctx) {
  const chatId = await observedChat(c);
  const { message } = await postAgentMessage({ db: testDb() }, { chatId, authorId: c.users.employee.id, text: 'Olá' });
  const fake = messengerFake();
  fake.failNext('sendMessage', telegramError(400, 'Bad Request: chat not found'));
  const messengers = { apiBase: (ch: string) => `http://${ch}.test`, encryptionKey: env.ENCRYPTION_KEY, fetch: fake.fetch };
  await deliverMessage({ db: testDb(), messengers, mediaUrl: async (k) => k }, message.id);
  return `/api/chats/${chatId}/messages/${message.id}/retry`;
}
/** A stored file of an observed chat, as the UI links it. */
async function storedFile(c: Ctx) {
  const chatId = await observedChat(c);
  const file = new File(['%PDF-1.4'], 'fatura.pdf', { type: 'application/pdf' });
  const { message } = await postAgentAttachment({ db: testDb(), bucket: env.MEDIA }, { chatId, authorId: c.users.employee.id, file });
  return `/api/chats/${chatId}/attachments/${(message.attachments as { key: string }[])[0].key}`;
}
const MULTIPART = 'multipart/form-data; boundary=ponte-matrix';
const photoForm = '--ponte-matrix\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nPNG\r\n--ponte-matrix--\r\n';

let n = 0;
const rows: Row[] = [
  { method: 'POST', path: '/api/auth/login', request: async (c) => ({ path: '/api/auth/login', body: { email: c.users.employee.email, password: c.users.employee.password } }), expect: { anonymous: 200, admin: 200, employee: 200, observer: 200 } },
  { method: 'POST', path: '/api/auth/logout', request: async () => ({ path: '/api/auth/logout' }), expect: { anonymous: 204, admin: 204, employee: 204, observer: 204 } },
  { method: 'GET', path: '/api/me', request: async () => ({ path: '/api/me' }), expect: everyoneLoggedIn(200) },
  { method: 'GET', path: '/api/users', request: async () => ({ path: '/api/users' }), expect: everyoneLoggedIn(200) },
  { method: 'POST', path: '/api/users', request: async () => ({ path: '/api/users', body: { email: `new${n++}@test.ponte`, name: 'New', role: 'employee', password: 'long-enough' } }), expect: adminOnly(201) },
  { method: 'PATCH', path: '/api/users/{id}', request: async () => ({ path: `/api/users/${(await makeUser('employee')).id}`, body: { name: 'Renamed' } }), expect: adminOnly(200) },
  // Queue (issue 5): PATCH of one member's away flag is allowed to admins and to that member (here: the employee).
  { method: 'GET', path: '/api/integrations/{id}/queue', request: async () => ({ path: `/api/integrations/${(await crmFixture()).integration.id}/queue` }), expect: everyoneLoggedIn(200) },
  { method: 'PUT', path: '/api/integrations/{id}/queue', request: async (c) => ({ path: `/api/integrations/${(await crmFixture()).integration.id}/queue`, body: { userIds: [c.users.employee.id] } }), expect: adminOnly(200) },
  { method: 'PATCH', path: '/api/integrations/{id}/queue/{userId}', request: async (c) => ({ path: `/api/integrations/${(await crmFixture({ queue: [c.users.employee.id] })).integration.id}/queue/${c.users.employee.id}`, body: { away: true } }), expect: { anonymous: 401, admin: 200, employee: 200, observer: 403 } },
  // CRM (issue 5): funnels are admin writes; everything else is written by employees and admins, read by all.
  { method: 'GET', path: '/api/funnels', request: async () => ({ path: '/api/funnels' }), expect: everyoneLoggedIn(200) },
  { method: 'POST', path: '/api/funnels', request: async () => ({ path: '/api/funnels', body: { name: 'Funil', stages: ['Novo', 'Ganho'] } }), expect: adminOnly(201) },
  { method: 'PATCH', path: '/api/funnels/{id}', request: async () => ({ path: `/api/funnels/${(await crmFixture()).funnel.id}`, body: { name: 'Renomeado' } }), expect: adminOnly(200) },
  // Observers reach CRM data only through chats they observe (the fixture's chat is not observed).
  { method: 'GET', path: '/api/contacts/{id}', request: async () => ({ path: `/api/contacts/${(await crmFixture()).contactId}` }), expect: { anonymous: 401, admin: 200, employee: 200, observer: 404 } },
  { method: 'PATCH', path: '/api/contacts/{id}', request: async () => ({ path: `/api/contacts/${(await crmFixture()).contactId}`, body: { phone: '+55 11 90000-0000' } }), expect: { anonymous: 401, admin: 200, employee: 200, observer: 403 } },
  { method: 'GET', path: '/api/opportunities', request: async () => ({ path: `/api/opportunities?contactId=${(await crmFixture()).contactId}` }), expect: { anonymous: 401, admin: 200, employee: 200, observer: 403 } },
  { method: 'POST', path: '/api/opportunities', request: async () => { const f = await crmFixture(); return { path: '/api/opportunities', body: { contactId: f.contactId, funnelId: f.funnel.id, title: 'Outra', chatId: f.chat.id } }; }, expect: { anonymous: 401, admin: 201, employee: 201, observer: 403 } },
  { method: 'PATCH', path: '/api/opportunities/{id}', request: async () => { const f = await crmFixture(); return { path: `/api/opportunities/${f.opportunity.id}`, body: { stageId: f.funnel.stages[1].id } }; }, expect: { anonymous: 401, admin: 200, employee: 200, observer: 403 } },
  { method: 'GET', path: '/api/tasks', request: async () => ({ path: '/api/tasks' }), expect: { anonymous: 401, admin: 200, employee: 200, observer: 403 } },
  { method: 'POST', path: '/api/tasks', request: async () => ({ path: '/api/tasks', body: { title: 'Ligar', chatId: (await crmFixture()).chat.id } }), expect: { anonymous: 401, admin: 201, employee: 201, observer: 403 } },
  { method: 'PATCH', path: '/api/tasks/{id}', request: async () => ({ path: `/api/tasks/${(await crmFixture()).task.id}`, body: { done: true } }), expect: { anonymous: 401, admin: 200, employee: 200, observer: 403 } },
  { method: 'GET', path: '/api/projects', request: async () => ({ path: '/api/projects' }), expect: { anonymous: 401, admin: 200, employee: 200, observer: 403 } },
  { method: 'POST', path: '/api/projects', request: async () => ({ path: '/api/projects', body: { name: 'Projeto', chatId: (await crmFixture()).chat.id } }), expect: { anonymous: 401, admin: 201, employee: 201, observer: 403 } },
  // Inbox (issue 4): everyone logged in reads the chats they may see; observers change nothing but their own read marker and mute flag.
  { method: 'GET', path: '/api/chats', request: async () => ({ path: '/api/chats?group=unassigned' }), expect: everyoneLoggedIn(200) },
  { method: 'GET', path: '/api/chats/archive', request: async () => ({ path: '/api/chats/archive?status=open&q=ol' }), expect: everyoneLoggedIn(200) },
  { method: 'GET', path: '/api/chats/{id}', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}` }), expect: everyoneLoggedIn(200) },
  { method: 'GET', path: '/api/chats/{id}/timeline', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/timeline` }), expect: everyoneLoggedIn(200) },
  { method: 'GET', path: '/api/chats/{id}/search', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/search?q=ola` }), expect: everyoneLoggedIn(200) },
  { method: 'POST', path: '/api/chats/{id}/read', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/read` }), expect: everyoneLoggedIn(204) },
  { method: 'POST', path: '/api/chats/{id}/close', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/close` }), expect: staffOnly(200) },
  { method: 'POST', path: '/api/chats/{id}/reopen', request: async (c) => ({ path: `/api/chats/${await observedChat(c, { closed: true })}/reopen` }), expect: staffOnly(200) },
  { method: 'PUT', path: '/api/chats/{id}/responsible', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/responsible`, body: { userId: c.users.employee.id } }), expect: staffOnly(200) },
  { method: 'PUT', path: '/api/chats/{id}/observers', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/observers`, body: { userIds: [c.users.observer.id, c.users.employee.id] } }), expect: staffOnly(200) },
  { method: 'PUT', path: '/api/chats/{id}/tags', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/tags`, body: { tags: ['VIP'] } }), expect: staffOnly(200) },
  { method: 'PUT', path: '/api/chats/{id}/notifications', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/notifications`, body: { muted: true } }), expect: everyoneLoggedIn(200) },
  { method: 'GET', path: '/api/chats/{id}/comments', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/comments` }), expect: everyoneLoggedIn(200) },
  { method: 'POST', path: '/api/chats/{id}/comments', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/comments`, body: { text: 'Cliente VIP' } }), expect: staffOnly(201) },
  { method: 'POST', path: '/api/chats/{id}/links', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/links`, body: { taskId: (await createTask({ db: testDb() }, await setupAdmin(), { title: 'Ligar' })).id } }), expect: staffOnly(201) },
  {
    method: 'DELETE', path: '/api/chats/{id}/links/{kind}/{linkedId}',
    request: async (c) => {
      const chatId = await observedChat(c);
      const task = await createTask({ db: testDb() }, await setupAdmin(), { title: 'Ligar' });
      await linkChat({ db: testDb() }, await setupAdmin(), chatId, { kind: 'task', linkedId: task.id });
      return { path: `/api/chats/${chatId}/links/task/${task.id}` };
    },
    expect: staffOnly(204),
  },
  { method: 'GET', path: '/api/tags', request: async () => ({ path: '/api/tags?q=v' }), expect: everyoneLoggedIn(200) },
  // Messengers (issue 3): integrations are admin writes read by everyone; replies and files are staff writes.
  { method: 'GET', path: '/api/integrations', request: async () => ({ path: '/api/integrations' }), expect: everyoneLoggedIn(200) },
  { method: 'POST', path: '/api/integrations', request: async () => (offline(), { path: '/api/integrations', body: { channel: 'telegram', token: '7012345678:AAF3kq9ZxYw2Vb8nT4mR6pL1sD0cE5gH7jQ' } }), expect: adminOnly(201) },
  { method: 'PATCH', path: '/api/integrations/{id}', request: async () => ({ path: `/api/integrations/${(await makeIntegration()).id}`, body: { autoReplyText: 'Já respondemos' } }), expect: adminOnly(200) },
  { method: 'DELETE', path: '/api/integrations/{id}', request: async () => (offline(), { path: `/api/integrations/${(await makeIntegration()).id}` }), expect: adminOnly(204) },
  { method: 'POST', path: '/api/chats/{id}/messages', request: async (c) => (offline(), { path: `/api/chats/${await observedChat(c)}/messages`, body: { text: 'Olá!' } }), expect: staffOnly(202) },
  { method: 'POST', path: '/api/chats/{id}/attachments', request: async (c) => (offline(), { path: `/api/chats/${await observedChat(c)}/attachments`, body: photoForm, headers: { 'content-type': MULTIPART } }), expect: staffOnly(202) },
  { method: 'POST', path: '/api/chats/{id}/messages/{messageId}/retry', request: async (c) => (offline(), { path: await failedMessage(c) }), expect: staffOnly(202) },
  { method: 'GET', path: '/api/chats/{id}/attachments/{key}', request: async (c) => ({ path: await storedFile(c) }), expect: everyoneLoggedIn(200) },
];

describe('route × role access matrix', () => {
  const ctx = {} as Ctx;
  const cookies: Partial<Record<RoleName, string>> = {};

  beforeAll(async () => {
    ctx.users = { admin: await makeUser('admin'), employee: await makeUser('employee'), observer: await makeUser('observer') };
  });

  it('covers every route in the OpenAPI document', async () => {
    const doc = (await (await call('GET', '/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} /api${p}`));
    const tabled = rows.map((r) => `${r.method} ${r.path}`);
    expect(documented.filter((r) => !tabled.includes(r))).toEqual([]);
  });

  for (const role of ['anonymous', 'admin', 'employee', 'observer'] as const) {
    it(`${role}: every route answers the expected status`, async () => {
      const got: string[] = [];
      const want: string[] = [];
      for (const row of rows) {
        // Logout ends the session, so each row logs in afresh.
        const cookie = role === 'anonymous' ? undefined : await loginAs(ctx.users[role].email, ctx.users[role].password);
        cookies[role] = cookie;
        const req = await row.request(ctx);
        const res = await call(row.method, req.path, { cookie, body: req.body, headers: req.headers });
        got.push(`${row.method} ${row.path} → ${res.status}`);
        want.push(`${row.method} ${row.path} → ${row.expect[role]}`);
      }
      expect(got).toEqual(want);
    });
  }
});
