import { exports, env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createUser } from '../../worker/domain/accounts';
import { database } from '../../worker/data/db';

const base = 'http://ponte.test';

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return exports.default.fetch(new Request(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }));
}

describe('auth', () => {
  it('logs in, answers /me, logs out', async () => {
    await createUser(database(env.DB), { email: 'Ana@Example.com', name: 'Ana', role: 'employee', password: 'secret-pass' });
    const bad = await post('/api/auth/login', { email: 'ana@example.com', password: 'nope' });
    expect(bad.status).toBe(401);
    const res = await post('/api/auth/login', { email: 'ana@example.com', password: 'secret-pass' });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/ponte_session=[0-9a-f]{64}/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const token = cookie.split(';')[0];
    const me = await exports.default.fetch(new Request(base + '/api/me', { headers: { cookie: token } }));
    expect(await me.json()).toMatchObject({ email: 'ana@example.com', role: 'employee' });
    expect((await post('/api/auth/logout', {}, { cookie: token })).status).toBe(204);
    const after = await exports.default.fetch(new Request(base + '/api/me', { headers: { cookie: token } }));
    expect(after.status).toBe(401);
  });
});
