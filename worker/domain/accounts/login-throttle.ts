/**
 * Password guessing is slowed per account: after FREE_FAILURES wrong passwords in a row the account's
 * key is locked for 1 s, then 2 s, 4 s … up to 15 min with each further failure; a success resets it.
 * While locked nothing is checked at all, so the right password is refused too (429 + Retry-After).
 * Unknown emails are counted the same way, so the answers never tell which accounts exist.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { loginThrottle } from '../../data/schema';
import { DomainError } from '../../shared/errors';

export const FREE_FAILURES = 5;
export const MAX_LOCK_MS = 15 * 60 * 1000;
/** A key untouched this long is forgotten by the cleanup (domain/cleanup; its lock expired long ago). */
export const THROTTLE_RETENTION_MS = 24 * 3600 * 1000;

export function accountThrottleKey(email: string): string {
  return `account:${email.trim().toLowerCase()}`;
}

/** 429 with the seconds to wait; http/errors.ts turns `retryAfterSeconds` into a Retry-After header. */
export function tooManyAttempts(retryAfterMs: number): DomainError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new DomainError(429, 'too_many_attempts', `Too many attempts, try again in ${seconds} s`, { retryAfterSeconds: seconds });
}

/** Lock length after `failures` consecutive failures (0 while still under the free allowance). */
export function lockMsAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(1000 * 2 ** Math.min(failures - FREE_FAILURES, 20), MAX_LOCK_MS);
}

/** Throws 429 while the key is locked. */
export async function assertNotLocked(db: Db, key: string, now = Date.now()): Promise<void> {
  const row = await db.select({ lockedUntil: loginThrottle.lockedUntil }).from(loginThrottle).where(eq(loginThrottle.key, key)).get();
  if (row && row.lockedUntil > now) throw tooManyAttempts(row.lockedUntil - now);
}

/** Counts one failure in a single upsert (concurrent failures each count) and sets the next lock. */
export async function recordFailure(db: Db, key: string, now = Date.now()): Promise<void> {
  const next = sql`${loginThrottle.failures} + 1`;
  // 2^(n-5) seconds as a bit shift (SQLite has no pow()), capped.
  const lockedUntil = sql`CASE WHEN ${next} < ${FREE_FAILURES} THEN 0
    ELSE ${now} + min(1000 * (1 << min(${next} - ${FREE_FAILURES}, 20)), ${MAX_LOCK_MS}) END`;
  await db.insert(loginThrottle)
    .values({ key, failures: 1, lockedUntil: lockMsAfter(1) ? now + lockMsAfter(1) : 0, updatedAt: now })
    .onConflictDoUpdate({ target: loginThrottle.key, set: { failures: next, lockedUntil, updatedAt: now } });
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
}

/**
 * Runs a password check under the account's throttle: refuses while locked, counts a failure, resets
 * on success. Returns the check's answer.
 */
export async function throttledCheck(db: Db, key: string, check: () => Promise<boolean>, now = Date.now()): Promise<boolean> {
  await assertNotLocked(db, key, now);
  const ok = await check();
  if (ok) await clearFailures(db, key);
  else await recordFailure(db, key, now);
  return ok;
}
