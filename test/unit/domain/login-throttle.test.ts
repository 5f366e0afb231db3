import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { accountThrottleKey, assertNotLocked, MAX_LOCK_MS, recordFailure, throttledCheck } from '../../../worker/domain/accounts';
import { database } from '../../../worker/data/db';
import { DomainError } from '../../../worker/shared/errors';

const db = () => database(env.DB);

async function lockedFor(key: string, now: number): Promise<number> {
  try {
    await assertNotLocked(db(), key, now);
    return 0;
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return (err as DomainError & { details: { retryAfterSeconds: number } }).details.retryAfterSeconds;
  }
}

describe('login throttle (domain)', () => {
  it('locks after five failures for 1 s, doubling with each further failure, capped at 15 min', async () => {
    const key = accountThrottleKey(' Growth@Example.com ');
    expect(key).toBe('account:growth@example.com');
    let now = 1_000_000;
    for (let i = 0; i < 4; i++) await recordFailure(db(), key, now);
    expect(await lockedFor(key, now)).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 16; i++) {
      await recordFailure(db(), key, now);
      waits.push(await lockedFor(key, now));
      now += 20 * 60 * 1000; // past any lock
    }
    expect(waits.slice(0, 6)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(Math.max(...waits)).toBe(MAX_LOCK_MS / 1000);
  });

  it('refuses the check without running it while locked, and a success resets', async () => {
    const key = accountThrottleKey('check@example.com');
    const now = 5_000_000;
    for (let i = 0; i < 5; i++) expect(await throttledCheck(db(), key, async () => false, now)).toBe(false);
    let ran = false;
    await expect(throttledCheck(db(), key, async () => (ran = true), now + 500)).rejects.toMatchObject({ status: 429, code: 'too_many_attempts' });
    expect(ran).toBe(false);
    expect(await throttledCheck(db(), key, async () => true, now + 1001)).toBe(true);
    expect(await lockedFor(key, now + 1001)).toBe(0);
    for (let i = 0; i < 4; i++) await throttledCheck(db(), key, async () => false, now + 2000);
    expect(await lockedFor(key, now + 2000)).toBe(0);
  });
});
