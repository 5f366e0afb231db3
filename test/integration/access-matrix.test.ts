/**
 * Every route × every role: the status each role gets, REST and live alike. The table must name every
 * route the app's router has (GET /api/openapi.json's routes, the live upgrades, webhooks, media and
 * bench), so a new route without a row fails this test, and a row for a route that is gone fails too.
 *
 * Roles: anonymous, admin, employee, an observer of the row's chat ("observer") and an observer who
 * does not observe it ("stranger", who must learn nothing of it: 404 like an unknown chat). Expected
 * statuses: the code for an allowed request with a valid body on an existing resource, or 401 / 403 /
 * 404. Rows build their own fixtures in `request`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../worker/app';
import { call, loginAs } from '../support/http';
import { makeUser } from '../support/factory';
import { crmFixture } from '../support/crm-fixtures';
import { close, makeChat, observe, setupAdmin } from '../support/chat-world';
import { linkChat } from '../../worker/domain/chats';
import { createTask } from '../../worker/domain/crm';
import { createCannedResponse } from '../../worker/domain/canned';
import { db as testDb, makeIntegration } from '../support/factory';
import { env } from 'cloudflare:workers';
import { deliverMessage } from '../../worker/domain/outbound';
import { postAgentAttachment, postAgentMessage } from '../../worker/domain/outbound';
import { messengerFake, telegramError } from '../support/messenger-fake';

const roles = ['anonymous', 'admin', 'employee', 'observer', 'stranger'] as const;
type RoleName = (typeof roles)[number];
type Account = { id: string; email: string; password: string };
interface Ctx {
  users: Record<Exclude<RoleName, 'anonymous'>, Account>;
}
interface Row {
  /** The route as the router has it, e.g. `PATCH /api/users/:id`. */
  route: string;
  /** Builds the concrete request (path with ids, body, extra headers) for a fresh fixture, as `role`. */
  request: (ctx: Ctx, role: RoleName) => Promise<{ path: string; body?: unknown; headers?: Record<string, string> }>;
  expect: Record<RoleName, number>;
}

const expectFor = (anonymous: number, admin: number, employee: number, observer: number, stranger: number) => ({ anonymous, admin, employee, observer, stranger });
const everyone = (status: number) => expectFor(status, status, status, status, status);
const everyoneLoggedIn = (ok: number) => expectFor(401, ok, ok, ok, ok);
const adminOnly = (ok: number) => expectFor(401, ok, 403, 403, 403);
/** Global staff writes (CRM, …): observers may not, whichever chats they observe. */
const staffOnly = (ok: number) => expectFor(401, ok, ok, 403, 403);
/** Reading the row's chat (or what it shows): its observer may, a stranger learns nothing of it. */
const chatRead = (ok: number) => expectFor(401, ok, ok, ok, 404);
/** Changing the row's chat: its observer may view but not change it (403); a stranger does not see it (404). */
const chatWrite = (ok: number) => expectFor(401, ok, ok, 403, 404);

/** A chat the matrix's observer observes (the stranger does not), so answers show the policy per role. */
async function observedChat(c: Ctx, opts: { closed?: boolean } = {}) {
  const { chatId } = await makeChat();
  await observe(chatId, [c.users.observer.id]);
  if (opts.closed) await close(chatId);
  return chatId;
}
/** A CRM world whose chat the observer observes. */
async function observedCrm(c: Ctx) {
  const f = await crmFixture();
  await observe(f.chat.id, [c.users.observer.id]);
  return f;
}
/** One of `account`'s own sessions other than the matrix's (each row logs in afresh, so one always exists). */
async function ownSessionId(account: Account) {
  const extra = await loginAs(account.email, account.password);
  const list = (await (await call('GET', '/api/me/sessions', { cookie: extra })).json()) as { id: string; current: boolean }[];
  return list.find((s) => s.current)!.id;
}
const accountOf = (c: Ctx, role: RoleName) => c.users[role === 'anonymous' ? 'employee' : role];

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
/** The employee's reply in an observed Telegram chat, delivered (so it may be edited or deleted by its author or an admin). */
async function sentReply(c: Ctx) {
  const chatId = await observedChat(c);
  const { message } = await postAgentMessage({ db: testDb() }, { chatId, authorId: c.users.employee.id, text: 'Olá' });
  const fake = messengerFake();
  fake.failNext('sendMessage', (normal) => normal());
  const messengers = { apiBase: (ch: string) => `http://${ch}.test`, encryptionKey: env.ENCRYPTION_KEY, fetch: fake.fetch };
  await deliverMessage({ db: testDb(), messengers, mediaUrl: async (k) => k }, message.id);
  return `/api/chats/${chatId}/messages/${message.id}`;
}
/** A stored file of an observed chat, as the UI links it. */
async function storedFile(c: Ctx) {
  const chatId = await observedChat(c);
  const file = new File(['%PDF-1.4'], 'fatura.pdf', { type: 'application/pdf' });
  const { message } = await postAgentAttachment({ db: testDb(), bucket: env.MEDIA }, { chatId, authorId: c.users.employee.id, file });
  return `/api/chats/${chatId}/attachments/${(message.attachments as { key: string }[])[0].key}`;
}
/** A canned response as `role` would see it: its own personal one, or (shared) one of the team's set. */
async function cannedOf(c: Ctx, role: RoleName, scope: 'shared' | 'personal') {
  const account = scope === 'shared' ? c.users.admin : accountOf(c, role);
  const asRole = scope === 'shared' || role === 'admin' ? 'admin' : role === 'employee' || role === 'anonymous' ? 'employee' : 'observer';
  const user = { id: account.id, email: account.email, name: 'Matrix', role: asRole } as const;
  const saved = await createCannedResponse({ db: testDb() }, user, { scope, shortcut: `m${Math.random().toString(36).slice(2, 12)}`, title: 'Oi', text: 'Olá {{contact.first_name}}' });
  return `/api/canned-responses/${saved.id}`;
}

const UPGRADE = { upgrade: 'websocket' };
const MULTIPART = 'multipart/form-data; boundary=ponte-matrix';
const photoForm = '--ponte-matrix\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nPNG\r\n--ponte-matrix--\r\n';

let n = 0;
const rows: Row[] = [
  { route: 'POST /api/auth/login', request: async (c) => ({ path: '/api/auth/login', body: { email: c.users.employee.email, password: c.users.employee.password } }), expect: everyone(200) },
  { route: 'POST /api/auth/logout', request: async () => ({ path: '/api/auth/logout' }), expect: everyone(204) },
  { route: 'GET /api/me', request: async () => ({ path: '/api/me' }), expect: everyoneLoggedIn(200) },
  // One's own account: the password (here set to the same again) and one's own sessions.
  { route: 'PUT /api/me/password', request: async (c, role) => ({ path: '/api/me/password', body: { oldPassword: accountOf(c, role).password, newPassword: accountOf(c, role).password } }), expect: everyoneLoggedIn(204) },
  { route: 'GET /api/me/sessions', request: async () => ({ path: '/api/me/sessions' }), expect: everyoneLoggedIn(200) },
  { route: 'DELETE /api/me/sessions/:id', request: async (c, role) => ({ path: `/api/me/sessions/${await ownSessionId(accountOf(c, role))}` }), expect: everyoneLoggedIn(204) },
  { route: 'GET /api/users', request: async () => ({ path: '/api/users' }), expect: everyoneLoggedIn(200) },
  { route: 'POST /api/users', request: async () => ({ path: '/api/users', body: { email: `new${n++}@test.ponte`, name: 'New', role: 'employee', password: 'long-enough' } }), expect: adminOnly(201) },
  { route: 'GET /api/settings/history', request: async () => ({ path: '/api/settings/history' }), expect: adminOnly(200) },
  { route: 'PUT /api/settings/history', request: async () => ({ path: '/api/settings/history', body: { archiveAfterMonths: 12 } }), expect: adminOnly(200) },
  { route: 'PATCH /api/users/:id', request: async () => ({ path: `/api/users/${(await makeUser('employee')).id}`, body: { name: 'Renamed' } }), expect: adminOnly(200) },
  // Queue: PATCH of one member's away flag is allowed to admins and to that member (here: the employee).
  { route: 'GET /api/integrations/:id/queue', request: async () => ({ path: `/api/integrations/${(await crmFixture()).integration.id}/queue` }), expect: everyoneLoggedIn(200) },
  { route: 'PUT /api/integrations/:id/queue', request: async (c) => ({ path: `/api/integrations/${(await crmFixture()).integration.id}/queue`, body: { userIds: [c.users.employee.id] } }), expect: adminOnly(200) },
  // A person's status: their own (staff; observers take no chats), or anyone's for an admin (the row asks for the employee's).
  { route: 'PUT /api/me/status', request: async () => ({ path: '/api/me/status', body: { status: 'available' } }), expect: staffOnly(200) },
  { route: 'PUT /api/users/:id/status', request: async (c) => ({ path: `/api/users/${c.users.employee.id}/status`, body: { status: 'available' } }), expect: staffOnly(200) },
  { route: 'POST /api/chats/:id/take', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/take` }), expect: chatWrite(200) },
  { route: 'PATCH /api/integrations/:id/queue/:userId', request: async (c) => ({ path: `/api/integrations/${(await crmFixture({ queue: [c.users.employee.id] })).integration.id}/queue/${c.users.employee.id}`, body: { away: true } }), expect: staffOnly(200) },
  // CRM: funnels are admin writes; everything else is written by employees and admins; observers read it only through a chat they observe.
  { route: 'GET /api/funnels', request: async () => ({ path: '/api/funnels' }), expect: everyoneLoggedIn(200) },
  { route: 'POST /api/funnels', request: async () => ({ path: '/api/funnels', body: { name: 'Funil', stages: ['Novo', 'Ganho'] } }), expect: adminOnly(201) },
  { route: 'PATCH /api/funnels/:id', request: async () => ({ path: `/api/funnels/${(await crmFixture()).funnel.id}`, body: { name: 'Renomeado' } }), expect: adminOnly(200) },
  { route: 'GET /api/reports/overview', request: async () => ({ path: '/api/reports/overview?from=2026-11-01&to=2026-11-30&tz=America%2FSao_Paulo' }), expect: staffOnly(200) },
  { route: 'GET /api/reports/export.csv', request: async () => ({ path: '/api/reports/export.csv?from=2026-11-01&to=2026-11-30' }), expect: staffOnly(200) },
  { route: 'GET /api/funnels/:id/board', request: async (c) => ({ path: `/api/funnels/${(await observedCrm(c)).funnel.id}/board` }), expect: staffOnly(200) },
  { route: 'GET /api/contacts', request: async () => ({ path: '/api/contacts?q=client' }), expect: staffOnly(200) },
  // Canned responses: staff use the shared set and keep their own (a personal one is its owner's); admins manage the shared set.
  { route: 'GET /api/canned-responses', request: async () => ({ path: '/api/canned-responses' }), expect: staffOnly(200) },
  { route: 'POST /api/canned-responses', request: async () => ({ path: '/api/canned-responses', body: { shortcut: `m${Math.random().toString(36).slice(2, 12)}`, title: 'Oi', text: 'Olá {{agent.name}}' } }), expect: staffOnly(201) },
  { route: 'PATCH /api/canned-responses/:id', request: async (c, role) => ({ path: await cannedOf(c, role, 'personal'), body: { title: 'Novo' } }), expect: staffOnly(200) },
  { route: 'DELETE /api/canned-responses/:id', request: async (c, role) => ({ path: await cannedOf(c, role, 'shared') }), expect: adminOnly(204) },
  { route: 'POST /api/contacts/:id/merge', request: async (c) => { const a = await observedCrm(c); const b = await observedCrm(c); return { path: `/api/contacts/${a.contactId}/merge`, body: { otherId: b.contactId } }; }, expect: staffOnly(200) },
  { route: 'GET /api/contacts/:id', request: async (c) => ({ path: `/api/contacts/${(await observedCrm(c)).contactId}` }), expect: chatRead(200) },
  { route: 'PATCH /api/contacts/:id', request: async (c) => ({ path: `/api/contacts/${(await observedCrm(c)).contactId}`, body: { phone: '+55 11 90000-0000' } }), expect: staffOnly(200) },
  { route: 'GET /api/opportunities', request: async (c) => ({ path: `/api/opportunities?chatId=${(await observedCrm(c)).chat.id}` }), expect: chatRead(200) },
  { route: 'POST /api/opportunities', request: async (c) => { const f = await observedCrm(c); return { path: '/api/opportunities', body: { contactId: f.contactId, funnelId: f.funnel.id, title: 'Outra', chatId: f.chat.id } }; }, expect: staffOnly(201) },
  { route: 'PATCH /api/opportunities/:id', request: async (c) => { const f = await observedCrm(c); return { path: `/api/opportunities/${f.opportunity.id}`, body: { stageId: f.funnel.stages[1].id } }; }, expect: staffOnly(200) },
  { route: 'GET /api/tasks', request: async (c) => ({ path: `/api/tasks?chatId=${(await observedCrm(c)).chat.id}` }), expect: chatRead(200) },
  { route: 'POST /api/tasks', request: async (c) => ({ path: '/api/tasks', body: { title: 'Ligar', chatId: (await observedCrm(c)).chat.id } }), expect: staffOnly(201) },
  { route: 'PATCH /api/tasks/:id', request: async () => ({ path: `/api/tasks/${(await crmFixture()).task.id}`, body: { done: true } }), expect: staffOnly(200) },
  { route: 'GET /api/projects', request: async (c) => ({ path: `/api/projects?chatId=${(await observedCrm(c)).chat.id}` }), expect: chatRead(200) },
  { route: 'POST /api/projects', request: async (c) => ({ path: '/api/projects', body: { name: 'Projeto', chatId: (await observedCrm(c)).chat.id } }), expect: staffOnly(201) },
  // Inbox: everyone logged in reads the chats they may see; observers change nothing but their own read marker and mute flag.
  { route: 'GET /api/chats', request: async () => ({ path: '/api/chats?group=unassigned' }), expect: everyoneLoggedIn(200) },
  { route: 'GET /api/chats/archive', request: async () => ({ path: '/api/chats/archive?status=open&q=ol' }), expect: everyoneLoggedIn(200) },
  { route: 'GET /api/chats/:id', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}` }), expect: chatRead(200) },
  { route: 'GET /api/chats/:id/timeline', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/timeline` }), expect: chatRead(200) },
  { route: 'GET /api/chats/:id/search', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/search?q=ola` }), expect: chatRead(200) },
  { route: 'POST /api/chats/:id/read', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/read` }), expect: chatRead(204) },
  { route: 'POST /api/chats/:id/close', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/close` }), expect: chatWrite(200) },
  { route: 'POST /api/chats/:id/reopen', request: async (c) => ({ path: `/api/chats/${await observedChat(c, { closed: true })}/reopen` }), expect: chatWrite(200) },
  { route: 'PUT /api/chats/:id/responsible', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/responsible`, body: { userId: c.users.employee.id } }), expect: chatWrite(200) },
  { route: 'PUT /api/chats/:id/observers', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/observers`, body: { userIds: [c.users.observer.id, c.users.employee.id] } }), expect: chatWrite(200) },
  { route: 'PUT /api/chats/:id/tags', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/tags`, body: { tags: ['VIP'] } }), expect: chatWrite(200) },
  { route: 'PUT /api/chats/:id/notifications', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/notifications`, body: { muted: true } }), expect: chatRead(200) },
  { route: 'GET /api/chats/:id/comments', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/comments` }), expect: chatRead(200) },
  { route: 'POST /api/chats/:id/comments', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/comments`, body: { text: 'Cliente VIP' } }), expect: chatWrite(201) },
  { route: 'POST /api/chats/:id/links', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/links`, body: { taskId: (await createTask({ db: testDb() }, await setupAdmin(), { title: 'Ligar' })).id } }), expect: chatWrite(201) },
  {
    route: 'DELETE /api/chats/:id/links/:kind/:linkedId',
    request: async (c) => {
      const chatId = await observedChat(c);
      const task = await createTask({ db: testDb() }, await setupAdmin(), { title: 'Ligar' });
      await linkChat({ db: testDb() }, await setupAdmin(), chatId, { kind: 'task', linkedId: task.id });
      return { path: `/api/chats/${chatId}/links/task/${task.id}` };
    },
    expect: chatWrite(204),
  },
  // Mentions: whom to call in is asked where one may comment; one's own mentions are everyone's (each sees only theirs).
  { route: 'GET /api/chats/:id/mentionable', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/mentionable?q=a` }), expect: chatWrite(200) },
  { route: 'GET /api/me/mentions', request: async () => ({ path: '/api/me/mentions?unread=true' }), expect: everyoneLoggedIn(200) },
  { route: 'POST /api/me/mentions/read', request: async () => ({ path: '/api/me/mentions/read', body: {} }), expect: everyoneLoggedIn(200) },
  { route: 'GET /api/tags', request: async () => ({ path: '/api/tags?q=v' }), expect: everyoneLoggedIn(200) },
  // Messengers: integrations are admin writes read by everyone; replies and files are staff writes on a chat.
  { route: 'GET /api/integrations', request: async () => ({ path: '/api/integrations' }), expect: everyoneLoggedIn(200) },
  { route: 'POST /api/integrations', request: async () => (offline(), { path: '/api/integrations', body: { channel: 'telegram', token: '7012345678:AAF3kq9ZxYw2Vb8nT4mR6pL1sD0cE5gH7jQ' } }), expect: adminOnly(201) },
  { route: 'PATCH /api/integrations/:id', request: async () => ({ path: `/api/integrations/${(await makeIntegration()).id}`, body: { autoReplyText: 'Já respondemos' } }), expect: adminOnly(200) },
  { route: 'DELETE /api/integrations/:id', request: async () => (offline(), { path: `/api/integrations/${(await makeIntegration()).id}` }), expect: adminOnly(204) },
  { route: 'POST /api/chats/:id/messages', request: async (c) => (offline(), { path: `/api/chats/${await observedChat(c)}/messages`, body: { text: 'Olá!' } }), expect: chatWrite(202) },
  { route: 'POST /api/chats/:id/attachments', request: async (c) => (offline(), { path: `/api/chats/${await observedChat(c)}/attachments`, body: photoForm, headers: { 'content-type': MULTIPART } }), expect: chatWrite(202) },
  { route: 'POST /api/chats/:id/messages/:messageId/retry', request: async (c) => (offline(), { path: await failedMessage(c) }), expect: chatWrite(202) },
  // The reply is the employee's: its author and an admin may change it (another employee: test/integration/reply-changes.test.ts).
  { route: 'PATCH /api/chats/:id/messages/:messageId', request: async (c) => (offline(), { path: await sentReply(c), body: { text: 'Olá de novo' } }), expect: chatWrite(202) },
  { route: 'DELETE /api/chats/:id/messages/:messageId', request: async (c) => (offline(), { path: await sentReply(c) }), expect: chatWrite(202) },
  { route: 'GET /api/chats/:id/attachments/:key', request: async (c) => ({ path: await storedFile(c) }), expect: chatRead(200) },
  // Live subscriptions: the inbox feed for everyone logged in (each sees only what they may), a chat's room like its REST card.
  { route: 'GET /api/live', request: async () => ({ path: '/api/live', headers: UPGRADE }), expect: everyoneLoggedIn(101) },
  { route: 'GET /api/chats/:id/live', request: async (c) => ({ path: `/api/chats/${await observedChat(c)}/live`, headers: UPGRADE }), expect: chatRead(101) },
  // Outside the session: the API document, the messengers' webhook (the secret is the permission), signed media, and the bench (off here).
  { route: 'GET /api/openapi.json', request: async () => ({ path: '/api/openapi.json' }), expect: everyone(200) },
  { route: 'POST /webhooks/:channel/:integrationId', request: async () => ({ path: '/webhooks/telegram/no-such-bot', body: { update_id: 1 } }), expect: everyone(404) },
  { route: 'GET /media/:key', request: async () => ({ path: '/media/some-key?exp=1&sig=forged' }), expect: everyone(403) },
  { route: 'GET /bench/constant', request: async () => ({ path: '/bench/constant' }), expect: everyone(404) },
  { route: 'POST /bench/baseline-insert', request: async () => ({ path: '/bench/baseline-insert', body: 'x' }), expect: everyone(404) },
  { route: 'GET /bench/pending', request: async () => ({ path: '/bench/pending' }), expect: everyone(404) },
];

/** Every route the app answers, as the router has it (middleware entries are `ALL`). */
const routerRoutes = () => [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))].sort();

describe('route × role access matrix', () => {
  const ctx = {} as Ctx;

  beforeAll(async () => {
    ctx.users = { admin: await makeUser('admin'), employee: await makeUser('employee'), observer: await makeUser('observer'), stranger: await makeUser('observer') };
  });

  it("has one row per route of the app's router, and the OpenAPI document lists no route the router lacks", async () => {
    expect(rows.map((r) => r.route).sort()).toEqual(routerRoutes());
    const doc = (await (await call('GET', '/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} /api${p.replace(/\{(\w+)\}/g, ':$1')}`));
    expect(documented.filter((r) => !routerRoutes().includes(r))).toEqual([]);
  });

  for (const role of roles) {
    it(`${role}: every route and live subscription answers the expected status`, async () => {
      const got: string[] = [];
      const want: string[] = [];
      for (const row of rows) {
        // Logout and session revocation end sessions, so each row logs in afresh.
        const cookie = role === 'anonymous' ? undefined : await loginAs(ctx.users[role].email, ctx.users[role].password);
        const req = await row.request(ctx, role);
        const method = row.route.split(' ')[0];
        const res = await call(method, req.path, { cookie, body: req.body, headers: req.headers });
        if (res.webSocket) {
          res.webSocket.accept();
          res.webSocket.close(1000, 'matrix');
        }
        got.push(`${row.route} → ${res.status}`);
        want.push(`${row.route} → ${row.expect[role]}`);
      }
      // Only the rows that differ, so a failure names them.
      expect(got.filter((g, i) => g !== want[i])).toEqual(want.filter((w, i) => w !== got[i]));
    }, 120_000);
  }
});
