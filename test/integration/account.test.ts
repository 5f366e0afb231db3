import { describe, expect, it } from 'vitest';
import { call, loginAs } from '../support/http';
import { makeUser } from '../support/factory';

const asBrowser = (agent: string) => ({ 'user-agent': agent });

async function loginWith(email: string, password: string, agent: string): Promise<string> {
  const res = await call('POST', '/api/auth/login', { body: { email, password }, headers: asBrowser(agent) });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0];
}

const me = (cookie: string) => call('GET', '/api/me', { cookie });

describe('own password', () => {
  it('changes with the old password and ends every other session', async () => {
    const user = await makeUser('employee');
    const laptop = await loginWith(user.email, user.password, 'Laptop');
    const phone = await loginWith(user.email, user.password, 'Phone');
    const res = await call('PUT', '/api/me/password', { cookie: laptop, body: { oldPassword: user.password, newPassword: 'brand-new-pass' } });
    expect(res.status).toBe(204);
    expect((await me(laptop)).status).toBe(200);
    expect((await me(phone)).status).toBe(401);
    expect((await call('POST', '/api/auth/login', { body: { email: user.email, password: user.password } })).status).toBe(401);
    await loginAs(user.email, 'brand-new-pass');
  });

  it('refuses a wrong old password or a short new one and changes nothing', async () => {
    const user = await makeUser('employee');
    const cookie = await loginAs(user.email, user.password);
    const other = await loginAs(user.email, user.password);
    const wrong = await call('PUT', '/api/me/password', { cookie, body: { oldPassword: 'not-it', newPassword: 'brand-new-pass' } });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { code: 'wrong_password' } });
    const short = await call('PUT', '/api/me/password', { cookie, body: { oldPassword: user.password, newPassword: 'short' } });
    expect(short.status).toBe(400);
    expect((await me(other)).status).toBe(200);
    await loginAs(user.email, user.password);
    expect((await call('PUT', '/api/me/password', { body: { oldPassword: user.password, newPassword: 'brand-new-pass' } })).status).toBe(401);
  });

  it('guessing the old password is throttled like login', async () => {
    const user = await makeUser('employee');
    const cookie = await loginAs(user.email, user.password);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await call('PUT', '/api/me/password', { cookie, body: { oldPassword: `guess-${i}`, newPassword: 'brand-new-pass' } })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
    expect(statuses.slice(5)).toContain(429);
    const right = await call('PUT', '/api/me/password', { cookie, body: { oldPassword: user.password, newPassword: 'brand-new-pass' } });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('sessions', () => {
  it('lists the own sessions without token hashes and revokes one', async () => {
    const user = await makeUser('employee');
    const laptop = await loginWith(user.email, user.password, 'Laptop Browser');
    const phone = await loginWith(user.email, user.password, 'Phone Browser');
    const res = await call('GET', '/api/me/sessions', { cookie: laptop });
    expect(res.status).toBe(200);
    const text = await res.text();
    const list = JSON.parse(text) as { id: string; current: boolean; userAgent?: string; createdAt: string; lastSeenAt?: string }[];
    expect(list).toHaveLength(2);
    expect(list.find((s) => s.current)?.userAgent).toBe('Laptop Browser');
    const phoneSession = list.find((s) => !s.current)!;
    expect(phoneSession.userAgent).toBe('Phone Browser');
    expect(Date.parse(phoneSession.createdAt)).toBeGreaterThan(0);
    // Neither the cookie token nor its hash appears anywhere.
    for (const cookie of [laptop, phone]) expect(text).not.toContain(cookie.split('=')[1]);
    expect(text).not.toMatch(/[0-9a-f]{64}/);

    expect((await call('DELETE', `/api/me/sessions/${phoneSession.id}`, { cookie: laptop })).status).toBe(204);
    expect((await me(phone)).status).toBe(401);
    expect((await me(laptop)).status).toBe(200);
    expect(await (await call('GET', '/api/me/sessions', { cookie: laptop })).json()).toHaveLength(1);
  });

  it("cannot revoke another user's session (404) and ending the current one logs out", async () => {
    const ana = await makeUser('employee');
    const bruno = await makeUser('employee');
    const anaCookie = await loginAs(ana.email, ana.password);
    const brunoCookie = await loginAs(bruno.email, bruno.password);
    const [brunoSession] = (await (await call('GET', '/api/me/sessions', { cookie: brunoCookie })).json()) as { id: string }[];
    expect((await call('DELETE', `/api/me/sessions/${brunoSession.id}`, { cookie: anaCookie })).status).toBe(404);
    expect((await me(brunoCookie)).status).toBe(200);
    const del = await call('DELETE', `/api/me/sessions/${brunoSession.id}`, { cookie: brunoCookie });
    expect(del.status).toBe(204);
    expect(del.headers.get('set-cookie')).toMatch(/ponte_session=;/);
    expect((await me(brunoCookie)).status).toBe(401);
    expect((await call('GET', '/api/me/sessions')).status).toBe(401);
  });
});

describe('admin tools', () => {
  it("an admin's password reset ends that user's sessions", async () => {
    const admin = await makeUser('admin');
    const user = await makeUser('employee');
    const adminCookie = await loginAs(admin.email, admin.password);
    const userCookie = await loginAs(user.email, user.password);
    const res = await call('PATCH', `/api/users/${user.id}`, { cookie: adminCookie, body: { password: 'reset-by-admin' } });
    expect(res.status).toBe(200);
    expect((await me(userCookie)).status).toBe(401);
    await loginAs(user.email, 'reset-by-admin');
    expect((await me(adminCookie)).status).toBe(200);
  });

  it('the last active admin cannot be demoted or deactivated (409), another admin can', async () => {
    // Each test file has its own database: these are the only admins.
    const first = await makeUser('admin');
    const cookie = await loginAs(first.email, first.password);
    const existing = (await (await call('GET', '/api/users', { cookie })).json()) as { id: string; role: string; active?: boolean }[];
    const admins = existing.filter((u) => u.role === 'admin' && u.active !== false);
    // Demote every other admin first, so `first` is the last one.
    for (const a of admins.filter((a) => a.id !== first.id)) {
      expect((await call('PATCH', `/api/users/${a.id}`, { cookie, body: { role: 'employee' } })).status).toBe(200);
    }
    const demote = await call('PATCH', `/api/users/${first.id}`, { cookie, body: { role: 'employee' } });
    expect(demote.status).toBe(409);
    expect(await demote.json()).toMatchObject({ error: { code: 'last_admin' } });
    expect((await call('PATCH', `/api/users/${first.id}`, { cookie, body: { active: false } })).status).toBe(409);
    expect((await me(cookie)).status).toBe(200);
    expect(await (await me(cookie)).json()).toMatchObject({ role: 'admin' });

    const second = await makeUser('admin');
    expect((await call('PATCH', `/api/users/${first.id}`, { cookie, body: { active: false } })).status).toBe(200);
    const secondCookie = await loginAs(second.email, second.password);
    expect((await call('PATCH', `/api/users/${second.id}`, { cookie: secondCookie, body: { role: 'observer' } })).status).toBe(409);
    // Renaming the last admin is fine.
    expect((await call('PATCH', `/api/users/${second.id}`, { cookie: secondCookie, body: { name: 'Still Admin' } })).status).toBe(200);
  });
});

describe('OpenAPI', () => {
  it('documents the account routes and the 429 on login', async () => {
    const doc = (await (await call('GET', '/api/openapi.json')).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(Object.keys(doc.paths['/me/password'] ?? doc.paths['/api/me/password'] ?? {})).toContain('put');
    const sessionsPath = doc.paths['/me/sessions'] ?? doc.paths['/api/me/sessions'];
    expect(Object.keys(sessionsPath ?? {})).toContain('get');
    expect(Object.keys(doc.paths['/me/sessions/{id}'] ?? doc.paths['/api/me/sessions/{id}'] ?? {})).toContain('delete');
    const login = doc.paths['/auth/login'] ?? doc.paths['/api/auth/login'];
    expect(Object.keys(login.post.responses)).toContain('429');
  });
});
