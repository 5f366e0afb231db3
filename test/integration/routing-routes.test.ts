/**
 * Issue 15's HTTP additions through the real fetch handler: a person's status (PUT /api/me/status,
 * PUT /api/users/:id/status), in GET /api/me and the users list; the integration's assignment rule and
 * reply timer through PATCH /api/integrations/:id; the old per-bot away route now sets the status.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { chatEvents, chats } from '../../worker/data/schema';
import { putQueue } from '../../worker/domain/routing';
import { makeChat } from '../support/chat-world';
import { db, makeIntegration, makeUser } from '../support/factory';
import { call, loginAs } from '../support/http';
import { makeTeam, type Team, type TeamCookies } from '../support/team';

const people = {} as Team;
const cookie = {} as TeamCookies;

beforeAll(() => makeTeam(people, cookie));

const me = async (who: keyof Team) => (await call('GET', '/api/me', { cookie: cookie[who] })).json() as Promise<{ id: string; status: string }>;
const listed = async (who: keyof Team, id: string) => ((await (await call('GET', '/api/users', { cookie: cookie[who] })).json()) as { id: string; status: string; online: boolean }[]).find((u) => u.id === id);

describe('a manager status', () => {
  it('a manager sets their own status; /api/me and the users list carry it', async () => {
    expect((await me('ana')).status).toBe('available');
    const put = await call('PUT', '/api/me/status', { cookie: cookie.ana, body: { status: 'away' } });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ id: people.ana.id, status: 'away' });
    expect((await me('ana')).status).toBe('away');
    expect(await listed('bruno', people.ana.id)).toMatchObject({ status: 'away', online: false });
    expect((await call('PUT', '/api/me/status', { cookie: cookie.ana, body: { status: 'available' } })).status).toBe(200);
    expect((await me('ana')).status).toBe('available');
  });

  it('an admin sets anyone’s; a manager only their own; observers have none; bad input is a 400 that changes nothing', async () => {
    expect((await call('PUT', `/api/users/${people.bruno.id}/status`, { cookie: cookie.admin, body: { status: 'away' } })).status).toBe(200);
    expect((await me('bruno')).status).toBe('away');
    expect((await call('PUT', `/api/users/${people.bruno.id}/status`, { cookie: cookie.ana, body: { status: 'available' } })).status).toBe(403);
    expect((await call('PUT', `/api/users/${people.ana.id}/status`, { cookie: cookie.ana, body: { status: 'away' } })).status).toBe(200);
    expect((await call('PUT', '/api/me/status', { cookie: cookie.olga, body: { status: 'away' } })).status).toBe(403);
    expect((await call('PUT', '/api/me/status', { cookie: cookie.bruno, body: { status: 'busy' } })).status).toBe(400);
    expect((await call('PUT', '/api/me/status', { cookie: cookie.bruno, body: {} })).status).toBe(400);
    expect((await call('PUT', `/api/users/nobody/status`, { cookie: cookie.admin, body: { status: 'away' } })).status).toBe(404);
    expect((await call('PUT', '/api/me/status', { body: { status: 'away' } })).status).toBe(401);
    expect((await me('bruno')).status).toBe('away');
    await call('PUT', `/api/users/${people.bruno.id}/status`, { cookie: cookie.admin, body: { status: 'available' } });
    await call('PUT', '/api/me/status', { cookie: cookie.ana, body: { status: 'available' } });
  });

  it('PATCH …/queue/:userId {away} (the old per-bot flag) sets the person’s status, seen by every bot', async () => {
    const [one, two] = [await makeIntegration(), await makeIntegration()];
    for (const i of [one, two]) await call('PUT', `/api/integrations/${i.id}/queue`, { cookie: cookie.admin, body: { userIds: [people.ana.id, people.bruno.id] } });
    expect((await call('PATCH', `/api/integrations/${one.id}/queue/${people.ana.id}`, { cookie: cookie.ana, body: { away: true } })).status).toBe(200);
    expect((await me('ana')).status).toBe('away');
    const queue = (await (await call('GET', `/api/integrations/${two.id}/queue`, { cookie: cookie.admin })).json()) as { items: { userId: string; away: boolean }[] };
    expect(queue.items.find((m) => m.userId === people.ana.id)?.away).toBe(true);
    await call('PATCH', `/api/integrations/${one.id}/queue/${people.ana.id}`, { cookie: cookie.ana, body: { away: false } });
    expect((await me('ana')).status).toBe('available');
  });
});

describe('integration routing settings', () => {
  it('PATCH sets the assignment rule, reassignAfterMinutes and the cap; GET lists them; defaults are available / off', async () => {
    const integration = await makeIntegration();
    const listedNow = async () => ((await (await call('GET', '/api/integrations', { cookie: cookie.ana })).json()) as Record<string, unknown>[]).find((i) => i.id === integration.id)!;
    expect(await listedNow()).toMatchObject({ assignmentRule: 'available', reassignAfterMinutes: null, maxOpenChatsPerManager: null });
    const patch = await call('PATCH', `/api/integrations/${integration.id}`, {
      cookie: cookie.admin, body: { assignmentRule: 'available_online', reassignAfterMinutes: 15, maxOpenChatsPerManager: 3 },
    });
    expect(patch.status).toBe(200);
    expect(await patch.json()).toMatchObject({ assignmentRule: 'available_online', reassignAfterMinutes: 15, maxOpenChatsPerManager: 3 });
    expect(await listedNow()).toMatchObject({ assignmentRule: 'available_online', reassignAfterMinutes: 15, maxOpenChatsPerManager: 3 });
    expect((await call('PATCH', `/api/integrations/${integration.id}`, { cookie: cookie.admin, body: { reassignAfterMinutes: null } })).status).toBe(200);
    expect(await listedNow()).toMatchObject({ assignmentRule: 'available_online', reassignAfterMinutes: null });
  });

  it('refuses a bad rule or timer (400) and non-admins (403), changing nothing', async () => {
    const integration = await makeIntegration();
    for (const body of [{ assignmentRule: 'random' }, { reassignAfterMinutes: 0 }, { reassignAfterMinutes: 1.5 }, { reassignAfterMinutes: '5' }, { maxOpenChatsPerManager: 0 }]) {
      expect((await call('PATCH', `/api/integrations/${integration.id}`, { cookie: cookie.admin, body })).status).toBe(400);
    }
    expect((await call('PATCH', `/api/integrations/${integration.id}`, { cookie: cookie.ana, body: { reassignAfterMinutes: 5 } })).status).toBe(403);
    const row = ((await (await call('GET', '/api/integrations', { cookie: cookie.ana })).json()) as Record<string, unknown>[]).find((i) => i.id === integration.id)!;
    expect(row).toMatchObject({ assignmentRule: 'available', reassignAfterMinutes: null, maxOpenChatsPerManager: null });
  });

  it('/api/openapi.json documents the additions', async () => {
    const doc = (await (await call('GET', '/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    // The document is served under /api; its paths are relative to it.
    expect(doc.paths['/me/status']?.put).toBeDefined();
    expect(doc.paths['/users/{id}/status']?.put).toBeDefined();
    expect(doc.paths['/chats/{id}/take']?.post).toBeDefined();
    expect(Object.keys(doc.components.schemas.Integration.properties!)).toEqual(expect.arrayContaining(['assignmentRule', 'reassignAfterMinutes', 'maxOpenChatsPerManager']));
    expect(Object.keys(doc.components.schemas.User.properties!)).toEqual(expect.arrayContaining(['status', 'online']));
  });
});

describe('deactivation', () => {
  it('deactivating a manager unassigns their open chats (one unassigned event each, by the admin, reason deactivated) and the queue places them', async () => {
    const [leaving, staying] = [await makeUser('employee', 'Leaving'), await makeUser('employee', 'Staying')];
    const integration = await makeIntegration();
    await putQueue(db(), integration.id, { userIds: [leaving.id, staying.id] });
    const ids = [(await makeChat({ integration, responsibleId: leaving.id })).chatId, (await makeChat({ integration, responsibleId: leaving.id })).chatId];
    const res = await call('PATCH', `/api/users/${leaving.id}`, { cookie: cookie.admin, body: { active: false } });
    expect(res.status).toBe(200);
    const unassigned = await db().select().from(chatEvents).where(inArray(chatEvents.chatId, ids)).all();
    expect(unassigned.filter((e) => e.type === 'unassigned')).toEqual(ids.map(() => expect.objectContaining({ actorId: people.admin.id, data: { previousId: leaving.id, reason: 'deactivated' } })));
    // The queue's alarm hands them to whoever may take them.
    await expect.poll(async () => (await db().select({ r: chats.responsibleId }).from(chats).where(inArray(chats.id, ids)).all()).map((x) => x.r), { timeout: 15_000 })
      .toEqual([staying.id, staying.id]);
    const row = await db().select({ last: chats.lastResponsibleId }).from(chats).where(eq(chats.id, ids[0])).get();
    expect(row?.last).toBe(leaving.id);
  });

  it('closing a chat under the cap places a waiting one at once: the close wakes the bot\'s queue', async () => {
    const capped = await makeUser('employee', 'Capped');
    const cappedCookie = await loginAs(capped.email, capped.password);
    const integration = await makeIntegration({ maxOpenChatsPerManager: 1 });
    await putQueue(db(), integration.id, { userIds: [capped.id] });
    const held = (await makeChat({ integration, responsibleId: capped.id })).chatId;
    // Nothing wakes the queue for this one (no sweep, no alarm): only the close below can place it.
    const waiting = (await makeChat({ integration })).chatId;
    expect((await call('POST', `/api/chats/${held}/close`, { cookie: cappedCookie })).status).toBe(200);
    await expect.poll(async () => (await db().select({ r: chats.responsibleId }).from(chats).where(eq(chats.id, waiting)).get())?.r, { timeout: 15_000 })
      .toBe(capped.id);
  });
});
