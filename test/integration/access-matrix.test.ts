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

type RoleName = 'anonymous' | 'admin' | 'employee' | 'observer';
interface Ctx {
  users: Record<Exclude<RoleName, 'anonymous'>, { id: string; email: string; password: string }>;
}
interface Row {
  method: string;
  /** OpenAPI path, e.g. /api/users/{id}. */
  path: string;
  /** Builds the concrete request (path with ids, body) for a fresh fixture. */
  request: (ctx: Ctx) => Promise<{ path: string; body?: unknown }>;
  expect: Record<RoleName, number>;
}

const everyoneLoggedIn = (ok: number) => ({ anonymous: 401, admin: ok, employee: ok, observer: ok });
const adminOnly = (ok: number) => ({ anonymous: 401, admin: ok, employee: 403, observer: 403 });

let n = 0;
const rows: Row[] = [
  { method: 'POST', path: '/api/auth/login', request: async (c) => ({ path: '/api/auth/login', body: { email: c.users.employee.email, password: c.users.employee.password } }), expect: { anonymous: 200, admin: 200, employee: 200, observer: 200 } },
  { method: 'POST', path: '/api/auth/logout', request: async () => ({ path: '/api/auth/logout' }), expect: { anonymous: 204, admin: 204, employee: 204, observer: 204 } },
  { method: 'GET', path: '/api/me', request: async () => ({ path: '/api/me' }), expect: everyoneLoggedIn(200) },
  { method: 'GET', path: '/api/users', request: async () => ({ path: '/api/users' }), expect: everyoneLoggedIn(200) },
  { method: 'POST', path: '/api/users', request: async () => ({ path: '/api/users', body: { email: `new${n++}@test.ponte`, name: 'New', role: 'employee', password: 'long-enough' } }), expect: adminOnly(201) },
  { method: 'PATCH', path: '/api/users/{id}', request: async () => ({ path: `/api/users/${(await makeUser('employee')).id}`, body: { name: 'Renamed' } }), expect: adminOnly(200) },
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
        const res = await call(row.method, req.path, { cookie, body: req.body });
        got.push(`${row.method} ${row.path} → ${res.status}`);
        want.push(`${row.method} ${row.path} → ${row.expect[role]}`);
      }
      expect(got).toEqual(want);
    });
  }
});
