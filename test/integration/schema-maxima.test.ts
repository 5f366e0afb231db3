/**
 * D1 binds at most 100 parameters per statement: every array a route accepts must become statements
 * that stay under it at the largest size the schema allows (issue 13, item 1).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { arrayFields, driveArrayRoutes } from '../support/at-schema-max';
import { makeUser } from '../support/factory';
import { call, loginAs } from '../support/http';

let cookie: string;
beforeAll(async () => {
  const admin = await makeUser('admin');
  cookie = await loginAs(admin.email, admin.password);
});

const failures = (results: Awaited<ReturnType<typeof driveArrayRoutes>>) => results.filter((r) => r.status < 200 || r.status > 299);

describe('array-taking routes within D1 limits', () => {
  it('the maxima are what a company of 200 staff needs', async () => {
    const max = Object.fromEntries((await arrayFields()).map((f) => [`${f.method} ${f.path} ${f.field}`, f.maxItems]));
    expect(max).toMatchObject({
      'PUT /integrations/{id}/queue userIds': 200,
      'PUT /integrations/{id}/queue away': 200,
      'PUT /chats/{id}/observers userIds': 200,
      'PUT /chats/{id}/tags tags': 50,
      'POST /funnels stages': 50,
      'PATCH /funnels/{id} stages': 50,
      'POST /chats/{id}/comments mentions': 20,
      'POST /me/mentions/read ids': 100,
    });
  });

  it('sizes past 100 bound parameters (queue 40, observers 60, 40 stages, 40 tags) answer 2xx', async () => {
    const sizes: Record<string, number> = { userIds: 40, away: 40, stages: 40, tags: 40 };
    const results = await driveArrayRoutes(cookie, (f) => (f.path.endsWith('/observers') ? 60 : Math.min(sizes[f.field] ?? f.maxItems, f.maxItems)));
    expect(failures(results)).toEqual([]);
  });

  it('every array-taking route answers 2xx at its schema maximum, and stores all of it', async () => {
    const results = await driveArrayRoutes(cookie);
    expect(failures(results)).toEqual([]);
    expect(new Set(results.map((r) => r.route)).size).toBeGreaterThanOrEqual(5);
    const queuePut = results.find((r) => r.route === 'PUT /integrations/{id}/queue')!;
    expect(queuePut.sizes.userIds).toBe(200);
    const queue = (await (await call('GET', queuePut.path, { cookie })).json()) as { items: { position: number; away: boolean }[] };
    expect(queue.items.map((m) => m.position)).toEqual([...Array(200).keys()]);
    expect(queue.items.every((m) => m.away)).toBe(true);
    const funnels = (await (await call('GET', '/api/funnels', { cookie })).json()) as { stages: { name: string; position: number }[] }[];
    // The patched funnel: 25 kept stages renamed in their new order, then 25 new ones, positions 0…49.
    const patched = funnels.find((f) => f.stages.length === 50 && f.stages[0].name === 'Renomeada 0')!;
    expect(patched.stages.map((s) => s.position)).toEqual([...Array(50).keys()]);
    expect(patched.stages.slice(0, 25).map((s) => s.name)).toEqual(Array.from({ length: 25 }, (_, i) => `Renomeada ${i}`));
    expect(patched.stages.slice(25).every((s) => s.name.startsWith('Nova '))).toBe(true);
    const mentioned = results.find((r) => r.route === 'POST /chats/{id}/comments')!;
    const stored = (await (await call('GET', mentioned.path, { cookie })).json()) as { mentions: string[] }[];
    expect(stored.at(-1)!.mentions).toHaveLength(20);
    const read = results.find((r) => r.route === 'POST /me/mentions/read')!;
    expect(read.sizes.ids).toBe(100);
    expect(JSON.parse(read.body)).toEqual({ unread: 0 });
  }, 120_000);
});
