/**
 * Password guessing is slowed per account: after FREE_FAILURES wrong passwords in a row the account's
 * key is locked for 1 s, then 2 s, 4 s … up to 15 min with each further failure; a success resets it.
 * Each attempt is counted before its password is checked (see reserveAttempt), so a parallel burst is
 * throttled like a sequential one. While locked nothing is checked at all, so the right password is refused too (429 + Retry-After).
 * Unknown emails are counted the same way, so the answers never tell which accounts exist.
 *
 * Per client address (reserveAddressAttempt), attempts are counted in one-minute windows and a success
 * gives its attempt back: one address spraying one password over many accounts is stopped after
 * ADDRESS_FAILURES_PER_WINDOW failures, while a whole office behind one NAT address can still log in
 * at nine o'clock.
 */
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { loginThrottle } from '../../data/schema';
import { DomainError } from '../../shared/errors';

export const FREE_FAILURES = 5;
export const MAX_LOCK_MS = 15 * 60 * 1000;
/** A key untouched this long is forgotten by the cleanup (domain/cleanup; its lock expired long ago). */
export const THROTTLE_RETENTION_MS = 24 * 3600 * 1000;

export const ADDRESS_FAILURES_PER_WINDOW = 30;
export const ADDRESS_WINDOW_MS = 60 * 1000;

export function addressThrottleKey(address: string): string {
  return `address:${address}`;
}

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

/** The failure counter's next value and the lock it brings, as SQL over the stored row. */
function nextFailureSql(now: number) {
  const next = sql`${loginThrottle.failures} + 1`;
  // 2^(n-5) seconds as a bit shift (SQLite has no pow()), capped.
  const lockedUntil = sql`CASE WHEN ${next} < ${FREE_FAILURES} THEN 0
    ELSE ${now} + min(1000 * (1 << min(${next} - ${FREE_FAILURES}, 20)), ${MAX_LOCK_MS}) END`;
  return { failures: next, lockedUntil, updatedAt: now };
}

/** Counts one failure in a single upsert (concurrent failures each count) and sets the next lock. */
export async function recordFailure(db: Db, key: string, now = Date.now()): Promise<void> {
  await db.insert(loginThrottle)
    .values({ key, failures: 1, lockedUntil: lockMsAfter(1) ? now + lockMsAfter(1) : 0, updatedAt: now })
    .onConflictDoUpdate({ target: loginThrottle.key, set: nextFailureSql(now) });
}

/**
 * Reserves one attempt before the password is checked: a single guarded upsert counts it as a failure
 * (and sets the lock it would bring) only if the key is not locked, so parallel guesses cannot all
 * read "unlocked" before any of them is recorded. Throws 429 when the key is locked.
 */
export async function reserveAttempt(db: Db, key: string, now = Date.now()): Promise<void> {
  const reserved = await db.insert(loginThrottle)
    .values({ key, failures: 1, lockedUntil: lockMsAfter(1) ? now + lockMsAfter(1) : 0, updatedAt: now })
    .onConflictDoUpdate({ target: loginThrottle.key, set: nextFailureSql(now), setWhere: sql`${loginThrottle.lockedUntil} <= ${now}` })
    .returning({ failures: loginThrottle.failures })
    .all();
  if (reserved.length) return;
  const row = await db.select({ lockedUntil: loginThrottle.lockedUntil }).from(loginThrottle).where(eq(loginThrottle.key, key)).get();
  throw tooManyAttempts((row?.lockedUntil ?? now + 1000) - now);
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
}

/**
 * Runs a password check under the account's throttle: the attempt is reserved (counted as a failure)
 * first, refused while locked, and a success resets the counter. Returns the check's answer.
 */
export async function throttledCheck(db: Db, key: string, check: () => Promise<boolean>, now = Date.now()): Promise<boolean> {
  await reserveAttempt(db, key, now);
  const ok = await check();
  if (ok) await clearFailures(db, key);
  return ok;
}

/**
 * Reserves one attempt for a client address in its current window, before any password is checked (so
 * a parallel spray is counted like a sequential one). A row's `updatedAt` is its window's start; a
 * window full of attempts that did not succeed refuses the next one with 429 until the window ends.
 */
export async function reserveAddressAttempt(db: Db, key: string, now = Date.now()): Promise<AddressAttempt> {
  const expired = sql`${loginThrottle.updatedAt} <= ${now - ADDRESS_WINDOW_MS}`;
  const reserved = await db.insert(loginThrottle)
    .values({ key, failures: 1, lockedUntil: 0, updatedAt: now })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`CASE WHEN ${expired} THEN 1 ELSE ${loginThrottle.failures} + 1 END`,
        updatedAt: sql`CASE WHEN ${expired} THEN ${now} ELSE ${loginThrottle.updatedAt} END`,
      },
      setWhere: sql`${expired} OR ${loginThrottle.failures} < ${ADDRESS_FAILURES_PER_WINDOW}`,
    })
    .returning({ windowStart: loginThrottle.updatedAt })
    .all();
  if (reserved.length) return { key, windowStart: reserved[0].windowStart };
  const row = await db.select({ windowStart: loginThrottle.updatedAt }).from(loginThrottle).where(eq(loginThrottle.key, key)).get();
  throw tooManyAttempts((row?.windowStart ?? now) + ADDRESS_WINDOW_MS - now);
}

/** One reserved attempt: which address, in which window. */
export interface AddressAttempt {
  key: string;
  windowStart: number;
}

/**
 * A successful login gives its attempt back, to the window it was counted in only (not to the next one's
 * failures). The statement, not run: await it, or put it in the batch that opens the session.
 */
export function refundAddressAttempt(db: Db, attempt: AddressAttempt) {
  return db.update(loginThrottle).set({ failures: sql`${loginThrottle.failures} - 1` })
    .where(and(eq(loginThrottle.key, attempt.key), eq(loginThrottle.updatedAt, attempt.windowStart), gt(loginThrottle.failures, 0)));
}
