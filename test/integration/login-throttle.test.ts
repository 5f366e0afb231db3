import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createUser } from '../../worker/domain/accounts';
import { database } from '../../worker/data/db';
import { call } from '../support/http';

const login = (email: string, password: string, ip?: string) =>
  call('POST', '/api/auth/login', { body: { email, password }, headers: ip ? { 'cf-connecting-ip': ip } : {} });

describe('login throttle', () => {
  it('answers 429 with Retry-After after repeated wrong passwords, and refuses the right one during the lock', async () => {
    await createUser(database(env.DB), { email: 'guess@example.com', name: 'Guess', role: 'employee', password: 'right-password' });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 40; i++) {
      const res = await login('guess@example.com', `wrong-${i}`);
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get('retry-after');
        expect((await res.json()) as object).toMatchObject({ error: { code: 'too_many_attempts' } });
      } else expect((await res.json()) as object).toMatchObject({ error: { code: 'invalid_credentials', message: 'Wrong email or password' } });
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(20);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    const right = await login('guess@example.com', 'right-password');
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(right.headers.get('set-cookie')).toBeNull();
  });

  it('a burst of parallel wrong guesses cannot slip past the lock', async () => {
    await createUser(database(env.DB), { email: 'burst@example.com', name: 'Burst', role: 'employee', password: 'right-password' });
    // Each guess reserves its attempt before the password is checked, so they cannot all see "unlocked".
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => login('burst@example.com', `wrong-${i}`, '198.51.100.20')));
    const statuses = burst.map((res) => res.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    const right = await login('burst@example.com', 'right-password', '198.51.100.21');
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('throttles unknown emails the same way (no hint which accounts exist)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await login('nobody@example.com', `x-${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
  });

  it('a success resets the account counter', async () => {
    await createUser(database(env.DB), { email: 'reset@example.com', name: 'Reset', role: 'employee', password: 'right-password' });
    for (let i = 0; i < 4; i++) expect((await login('reset@example.com', 'wrong')).status).toBe(401);
    expect((await login('reset@example.com', 'right-password')).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login('reset@example.com', 'wrong')).status).toBe(401);
    expect((await login('reset@example.com', 'right-password')).status).toBe(200);
  });

  it('limits login attempts per client address across accounts', async () => {
    const ip = '203.0.113.77';
    // 30 per minute; 61 attempts cross the limit even if they straddle a window boundary.
    const statuses: number[] = [];
    for (let i = 0; i < 61 && !statuses.includes(429); i++) statuses.push((await login(`spray-${i}@example.com`, 'password1', ip)).status);
    expect(statuses).toContain(429);
    expect(statuses.indexOf(429)).toBeGreaterThanOrEqual(30);
    const limited = await login('spray-x@example.com', 'password1', ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await login('spray-y@example.com', 'password1', '203.0.113.78')).status).toBe(401);
  });

  it('a team behind one office address logs in together: successes do not use up the address', async () => {
    await createUser(database(env.DB), { email: 'office@example.com', name: 'Office', role: 'employee', password: 'right-password' });
    const ip = '203.0.113.90';
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await login('office@example.com', 'right-password', ip)).status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // The address still has its whole allowance for wrong passwords, and no more.
    const wrong: number[] = [];
    for (let i = 0; i < 31; i++) wrong.push((await login(`office-${i}@example.com`, 'password1', ip)).status);
    expect(wrong.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(wrong[30]).toBe(429);
  });

  it('a success gives back only its own attempt: failures around it still add up', async () => {
    await createUser(database(env.DB), { email: 'mixed@example.com', name: 'Mixed', role: 'employee', password: 'right-password' });
    const ip = '203.0.113.91';
    const statuses: number[] = [];
    for (let i = 0; i < 29; i++) statuses.push((await login(`mixed-${i}@example.com`, 'password1', ip)).status);
    statuses.push((await login('mixed@example.com', 'right-password', ip)).status);
    statuses.push((await login('mixed-last@example.com', 'password1', ip)).status);
    statuses.push((await login('mixed-over@example.com', 'password1', ip)).status);
    expect(statuses.slice(0, 29).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(29)).toEqual([200, 401, 429]);
  });

  it('attempts a locked account refuses unchecked do not use up the address', async () => {
    await createUser(database(env.DB), { email: 'locked@example.com', name: 'Locked', role: 'employee', password: 'right-password' });
    const ip = '203.0.113.93';
    const locked: number[] = [];
    for (let i = 0; i < 25; i++) locked.push((await login('locked@example.com', `wrong-${i}`, ip)).status);
    expect(locked.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const checked = locked.filter((s) => s === 401).length;
    expect(locked.filter((s) => s === 429).length).toBeGreaterThan(10);
    // Only the checked ones count: the address has the rest of its 30.
    const others: number[] = [];
    for (let i = 0; i <= 30 - checked; i++) others.push((await login(`locked-other-${i}@example.com`, 'password1', ip)).status);
    expect(others.slice(0, 30 - checked).every((s) => s === 401)).toBe(true);
    expect(others[30 - checked]).toBe(429);
  });

  it('a parallel spray over many accounts from one address is counted before any password is checked', async () => {
    const ip = '203.0.113.92';
    const burst = await Promise.all(Array.from({ length: 50 }, (_, i) => login(`parallel-${i}@example.com`, 'password1', ip)));
    const statuses = burst.map((res) => res.status);
    expect(statuses.filter((s) => s === 401).length).toBe(30);
    expect(statuses.filter((s) => s === 429).length).toBe(20);
  });
});
