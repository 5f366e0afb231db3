/** GET/PUT /api/integrations/:id/queue and PATCH …/queue/:userId through the real fetch handler. */
import { beforeAll, describe, expect, it } from 'vitest';
import { clientText, ingest, ingestDeps, makeIntegration, makeUser } from '../support/factory';
import { call } from '../support/http';
import { makeTeam, type Team, type TeamCookies } from '../support/team';

const people = {} as Team;
const cookie = {} as TeamCookies;

beforeAll(() => makeTeam(people, cookie));

const queueOf = async (id: string, who: keyof Team = 'admin') => (await call('GET', `/api/integrations/${id}/queue`, { cookie: cookie[who] })).json() as Promise<{
  items: { userId: string; name: string; position: number; away: boolean; active: boolean; openChats: number }[];
  maxOpenChatsPerManager: number | null;
}>;

describe('queue routes', () => {
  it('admin puts an ordered queue with away flags and a cap; everyone logged in reads it', async () => {
    const integration = await makeIntegration();
    const put = await call('PUT', `/api/integrations/${integration.id}/queue`, {
      cookie: cookie.admin, body: { userIds: [people.bruno.id, people.ana.id], away: [people.ana.id], maxOpenChatsPerManager: 5 },
    });
    expect(put.status).toBe(200);
    const seen = await queueOf(integration.id, 'olga');
    expect(seen).toEqual({
      maxOpenChatsPerManager: 5,
      items: [
        { userId: people.bruno.id, name: 'Bruno', position: 0, away: false, active: true, openChats: 0 },
        { userId: people.ana.id, name: 'Ana', position: 1, away: true, active: true, openChats: 0 },
      ],
    });
  });

  it('a reorder without `away` keeps flags and cap; null clears the cap; an empty list empties the queue', async () => {
    const integration = await makeIntegration();
    const path = `/api/integrations/${integration.id}/queue`;
    await call('PUT', path, { cookie: cookie.admin, body: { userIds: [people.ana.id, people.bruno.id], away: [people.bruno.id], maxOpenChatsPerManager: 3 } });
    await call('PUT', path, { cookie: cookie.admin, body: { userIds: [people.bruno.id, people.ana.id] } });
    let q = await queueOf(integration.id);
    expect(q.items.map((i) => [i.name, i.away])).toEqual([['Bruno', true], ['Ana', false]]);
    expect(q.maxOpenChatsPerManager).toBe(3);
    await call('PUT', path, { cookie: cookie.admin, body: { userIds: [people.ana.id], maxOpenChatsPerManager: null } });
    q = await queueOf(integration.id);
    expect(q).toMatchObject({ maxOpenChatsPerManager: null, items: [{ name: 'Ana', position: 0 }] });
    expect((await call('PUT', path, { cookie: cookie.admin, body: { userIds: [] } })).status).toBe(200);
    expect((await queueOf(integration.id)).items).toEqual([]);
  });

  it('openChats counts the open chats a member is responsible for', async () => {
    const manager = await makeUser('employee', 'Carla');
    const integration = await makeIntegration();
    await call('PUT', `/api/integrations/${integration.id}/queue`, { cookie: cookie.admin, body: { userIds: [manager.id] } });
    await ingest(integration, clientText('c-1', 'oi'), ingestDeps(async () => manager.id));
    await ingest(integration, clientText('c-2', 'oi'), ingestDeps(async () => manager.id));
    expect((await queueOf(integration.id)).items[0]).toMatchObject({ userId: manager.id, openChats: 2 });
  });

  it('refuses bad queues: duplicates, stray away ids, observers (400), unknown users and bots (404), non-admins (403)', async () => {
    const integration = await makeIntegration();
    const path = `/api/integrations/${integration.id}/queue`;
    const put = (body: unknown, who: keyof Team = 'admin', p = path) => call('PUT', p, { cookie: cookie[who], body });
    const codeOf = async (res: Response) => [res.status, ((await res.json()) as { error: { code: string } }).error.code];
    expect(await codeOf(await put({ userIds: [people.ana.id, people.ana.id] }))).toEqual([400, 'duplicate_member']);
    expect(await codeOf(await put({ userIds: [people.ana.id], away: [people.bruno.id] }))).toEqual([400, 'away_not_member']);
    expect(await codeOf(await put({ userIds: [people.olga.id] }))).toEqual([400, 'not_assignable']);
    expect(await codeOf(await put({ userIds: ['nobody'] }))).toEqual([404, 'not_found']);
    expect(await codeOf(await put({ userIds: [people.ana.id], maxOpenChatsPerManager: 0 }))).toEqual([400, 'validation_failed']);
    expect(await codeOf(await put({ userIds: [] }, 'admin', '/api/integrations/nope/queue'))).toEqual([404, 'not_found']);
    expect((await call('GET', '/api/integrations/nope/queue', { cookie: cookie.ana })).status).toBe(404);
    expect((await put({ userIds: [people.ana.id] }, 'ana')).status).toBe(403);
    expect((await put({ userIds: [people.ana.id] }, 'olga')).status).toBe(403);
    // Nothing of the refused requests landed.
    expect((await queueOf(integration.id)).items).toEqual([]);
  });

  it('away: a manager toggles their own flag, an admin anyone’s; others may not', async () => {
    const integration = await makeIntegration();
    await call('PUT', `/api/integrations/${integration.id}/queue`, { cookie: cookie.admin, body: { userIds: [people.ana.id, people.bruno.id] } });
    const patch = (userId: string, who: keyof Team, away: boolean) => call('PATCH', `/api/integrations/${integration.id}/queue/${userId}`, { cookie: cookie[who], body: { away } });

    const own = await patch(people.ana.id, 'ana', true);
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ userId: people.ana.id, away: true, position: 0 });
    expect((await patch(people.bruno.id, 'ana', true)).status).toBe(403);
    expect((await patch(people.bruno.id, 'olga', true)).status).toBe(403);
    expect((await patch(people.bruno.id, 'admin', true)).status).toBe(200);
    expect((await patch(people.ana.id, 'admin', false)).status).toBe(200);
    expect((await queueOf(integration.id)).items.map((i) => i.away)).toEqual([false, true]);
    expect((await patch(people.olga.id, 'admin', true)).status).toBe(404);
    expect((await call('PATCH', `/api/integrations/${integration.id}/queue/${people.ana.id}`, { cookie: cookie.ana, body: { away: 'yes' } })).status).toBe(400);
  });
});
