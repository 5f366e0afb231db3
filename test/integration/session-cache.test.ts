/**
 * The isolate's session cache: a burst of requests reads a session once, and every way a session ends
 * or a user changes in this isolate takes effect on the very next request, not when the entry ages out.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { database } from '../../worker/data/db';
import { cacheGeneration, cachedSession, cachedSessionCount, forgetSession, rememberSession, SESSION_CACHE_MAX, SESSION_CACHE_MS, userForSession } from '../../worker/domain/accounts';
import { countingD1 } from '../support/counting-d1';
import { makeUser } from '../support/factory';
import { call, loginAs } from '../support/http';

const tokenOf = (cookie: string) => cookie.split('=')[1];
/** A route that reads the session from the cache (GET /api/me always reads it fresh). */
const list = (cookie: string) => call('GET', '/api/chats?group=unassigned', { cookie });

async function signedIn(role: 'admin' | 'employee') {
  const user = await makeUser(role);
  return { ...user, cookie: await loginAs(user.email, user.password) };
}

async function loginFrom(user: { email: string; password: string }, agent: string): Promise<string> {
  const res = await call('POST', '/api/auth/login', { body: { email: user.email, password: user.password }, headers: { 'user-agent': agent } });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0];
}

describe('session cache', () => {
  it('reads a session once for a burst of requests; past its lifetime, or asked fresh, it reads again', async () => {
    const user = await makeUser('employee');
    const token = tokenOf(await loginAs(user.email, user.password));
    const counting = countingD1(env.DB);
    const db = database(counting.d1);
    const now = Date.now();
    for (let i = 0; i < 5; i++) expect(await userForSession(db, token, now + i)).toMatchObject({ id: user.id, role: 'employee' });
    expect(counting.trips()).toBe(1);
    expect(await userForSession(db, token, now + 10, undefined, { fresh: true })).toMatchObject({ id: user.id });
    expect(counting.trips()).toBe(2);
    // Re-read fresh at now + 10, the entry lives until now + 10 + SESSION_CACHE_MS.
    expect(await userForSession(db, token, now + 10 + SESSION_CACHE_MS - 1)).toMatchObject({ id: user.id });
    expect(counting.trips()).toBe(2);
    expect(await userForSession(db, token, now + 10 + SESSION_CACHE_MS)).toMatchObject({ id: user.id });
    expect(counting.trips()).toBe(3);
  });

  it('a session ended in another isolate is seen at most SESSION_CACHE_MS late', async () => {
    const user = await makeUser('employee');
    const token = tokenOf(await loginAs(user.email, user.password));
    const db = database(env.DB);
    const now = Date.now();
    expect(await userForSession(db, token, now)).not.toBeNull();
    // As another isolate would: the row goes without this isolate hearing of it.
    await env.DB.prepare('DELETE FROM sessions WHERE user_id = ?').bind(user.id).run();
    expect(await userForSession(db, token, now + SESSION_CACHE_MS - 1)).not.toBeNull();
    expect(await userForSession(db, token, now + SESSION_CACHE_MS)).toBeNull();
  });

  it('never outlives the session: an entry cached just before the session expires ends with it', async () => {
    const user = await makeUser('employee');
    const token = tokenOf(await loginAs(user.email, user.password));
    const db = database(env.DB);
    const { expires_at: expiresAt } = (await env.DB.prepare('SELECT expires_at FROM sessions WHERE user_id = ?').bind(user.id).first<{ expires_at: number }>())!;
    expect(await userForSession(db, token, expiresAt - 1)).not.toBeNull();
    expect(await userForSession(db, token, expiresAt)).toBeNull();
  });

  it('a read that began before a forget does not put back what was forgotten', async () => {
    const user = { id: 'late-read', email: 'l@x', name: 'L', role: 'employee' as const, status: 'available' as const };
    const now = Date.now();
    const readAt = cacheGeneration();
    forgetSession('hash-late'); // a logout lands while the read is on its way
    rememberSession('hash-late', { user, lastSeenAt: now, expiresAt: now + 60_000 }, now, readAt);
    expect(cachedSession('hash-late', now)).toBeNull();
    rememberSession('hash-late', { user, lastSeenAt: now, expiresAt: now + 60_000 }, now, cacheGeneration());
    expect(cachedSession('hash-late', now)).not.toBeNull();
  });

  it('opening a live socket reads the session fresh: a session ended in another isolate opens none', async () => {
    const user = await makeUser('employee');
    const cookie = await loginAs(user.email, user.password);
    expect((await list(cookie)).status).toBe(200);
    await env.DB.prepare('DELETE FROM sessions WHERE user_id = ?').bind(user.id).run();
    expect((await list(cookie)).status).toBe(200); // the cached entry, within its 10 s
    const upgrade = { upgrade: 'websocket' };
    expect((await call('GET', '/api/live', { cookie, headers: upgrade })).status).toBe(401);
  });

  it('holds at most SESSION_CACHE_MAX entries, dropping the oldest', async () => {
    const user = { id: 'bound-check', email: 'b@x', name: 'B', role: 'employee' as const, status: 'available' as const };
    const now = Date.now();
    for (let i = 0; i < SESSION_CACHE_MAX + 50; i++) rememberSession(`hash-${i}`, { user, lastSeenAt: now, expiresAt: now + 60_000 }, now);
    expect(cachedSessionCount()).toBe(SESSION_CACHE_MAX);
  });
});

describe('session cache: changes made here apply on the next request', () => {
  it('logout', async () => {
    const user = await makeUser('employee');
    const cookie = await loginAs(user.email, user.password);
    expect((await list(cookie)).status).toBe(200);
    expect((await call('POST', '/api/auth/logout', { cookie })).status).toBe(204);
    expect((await list(cookie)).status).toBe(401);
  });

  it('revoking another session, and changing the own password, end the other sessions', async () => {
    const user = await makeUser('employee');
    const laptop = await loginFrom(user, 'Laptop');
    const phone = await loginFrom(user, 'Phone');
    const tablet = await loginFrom(user, 'Tablet');
    for (const cookie of [laptop, phone, tablet]) expect((await list(cookie)).status).toBe(200);
    const sessions = (await (await call('GET', '/api/me/sessions', { cookie: laptop })).json()) as { id: string; userAgent: string }[];
    const phoneSession = sessions.find((s) => s.userAgent === 'Phone')!;
    expect((await call('DELETE', `/api/me/sessions/${phoneSession.id}`, { cookie: laptop })).status).toBe(204);
    expect((await list(phone)).status).toBe(401);
    expect((await list(tablet)).status).toBe(200);
    expect((await call('PUT', '/api/me/password', { cookie: laptop, body: { oldPassword: user.password, newPassword: 'brand-new-pass' } })).status).toBe(204);
    expect((await list(tablet)).status).toBe(401);
    expect((await list(laptop)).status).toBe(200);
  });

  it('an administrator deactivating a user, or changing their role', async () => {
    const admin = await signedIn('admin');
    const leaving = await signedIn('employee');
    const moving = await signedIn('employee');
    expect((await list(leaving.cookie)).status).toBe(200);
    expect((await list(moving.cookie)).status).toBe(200);
    expect((await call('PATCH', `/api/users/${leaving.id}`, { cookie: admin.cookie, body: { active: false } })).status).toBe(200);
    expect((await list(leaving.cookie)).status).toBe(401);
    expect((await call('PATCH', `/api/users/${moving.id}`, { cookie: admin.cookie, body: { role: 'observer' } })).status).toBe(200);
    expect((await list(moving.cookie)).status).toBe(401);
  });

  it("a new name shows in the user's next request", async () => {
    const admin = await signedIn('admin');
    const { cookie, ...user } = await signedIn('employee');
    const db = database(env.DB);
    expect(await userForSession(db, tokenOf(cookie))).toMatchObject({ name: user.name });
    expect((await call('PATCH', `/api/users/${user.id}`, { cookie: admin.cookie, body: { name: 'Renamed Person' } })).status).toBe(200);
    const counting = countingD1(env.DB);
    expect(await userForSession(database(counting.d1), tokenOf(cookie))).toMatchObject({ name: 'Renamed Person' });
    expect(counting.trips()).toBe(1);
  });
});
