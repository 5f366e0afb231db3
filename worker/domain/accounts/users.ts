/**
 * Users and sessions: creating and editing accounts, logging in and out, resolving a session cookie.
 * Session tokens are random 32 bytes; only their SHA-256 is stored.
 */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { sessions, users, type Role, type UserStatus } from '../../data/schema';
import type { SessionUser } from '../access';
import { badRequest, conflict, DomainError, notFound } from '../../shared/errors';
import { insertWithFreshId } from '../../shared/ids';
import { accountThrottleKey, addressThrottleKey, refundAddressAttempt, reserveAddressAttempt, throttledCheck } from './login-throttle';
import { hashPassword, sha256Hex, toHex, verifyPassword } from './passwords';
import { cacheGeneration, cachedSession, forgetSession, forgetUserSessions, rememberSession } from './session-cache';
import { lastSeenDue, touchSession } from './sessions';

export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;

export interface UserView extends SessionUser {
  active: boolean;
  status: UserStatus;
  createdAt: number;
}

const userColumns = { id: users.id, email: users.email, name: users.name, role: users.role, active: users.active, status: users.status, createdAt: users.createdAt };

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Creates a user; a taken email is a 409. */
export async function createUser(db: Db, input: { email: string; name: string; role: Role; password: string }, now = Date.now()): Promise<UserView> {
  const email = normaliseEmail(input.email);
  const emailTaken = async () => !!(await db.select({ id: users.id }).from(users).where(eq(users.email, email)).get());
  if (await emailTaken()) throw conflict('email_taken', 'A user with this email already exists');
  const { hash, salt } = await hashPassword(input.password);
  const fields = { email, name: input.name.trim(), role: input.role, active: true, status: 'available' as const, createdAt: now };
  // Nothing inserted: either the id was taken (insertWithFreshId tries another) or, by a request racing
  // this one, the email was (a 409 like the check above, not a constraint error).
  const id = await insertWithFreshId(now, async (id) => {
    const inserted = await db.insert(users).values({ id, ...fields, passwordHash: hash, passwordSalt: salt }).onConflictDoNothing().returning({ id: users.id });
    if (inserted.length === 0 && await emailTaken()) throw conflict('email_taken', 'A user with this email already exists');
    return inserted.length === 1;
  });
  return { id, ...fields };
}

export async function listUsers(db: Db): Promise<UserView[]> {
  return db.select(userColumns).from(users).orderBy(asc(users.name)).all();
}

/**
 * Edits name, role, active flag or password (an admin's reset). Deactivating, re-roling or a new
 * password ends the user's sessions. Demoting or deactivating the last active admin is a 409: the team
 * could no longer manage itself.
 */
export async function updateUser(db: Db, id: string, patch: { name?: string; role?: Role; active?: boolean; password?: string }): Promise<UserView> {
  const before = await db.select(userColumns).from(users).where(eq(users.id, id)).get();
  if (!before) throw notFound('User');
  const set: Partial<typeof users.$inferInsert> = {};
  if (patch.name !== undefined) set.name = patch.name.trim();
  if (patch.role !== undefined) set.role = patch.role;
  if (patch.active !== undefined) set.active = patch.active;
  if (patch.password !== undefined) Object.assign(set, await passwordColumns(patch.password));
  const privilegesDropped = (patch.active === false && before.active) || (patch.role !== undefined && patch.role !== before.role) || patch.password !== undefined;
  if (Object.keys(set).length === 0) return before;
  const losesAdmin = before.role === 'admin' && before.active && ((patch.role !== undefined && patch.role !== 'admin') || patch.active === false);
  // The check is in the UPDATE itself, so two admins demoting each other at once cannot both pass.
  const guard = losesAdmin ? sql`(SELECT count(*) FROM ${users} AS other WHERE other.role = 'admin' AND other.active = 1 AND other.id <> ${id}) > 0` : undefined;
  try {
    const updated = await db.update(users).set(set).where(and(eq(users.id, id), guard)).returning({ id: users.id });
    if (updated.length === 0) throw conflict('last_admin', 'The last active administrator cannot be demoted or deactivated');
    if (privilegesDropped) await db.delete(sessions).where(eq(sessions.userId, id));
  } finally {
    // A new name or role shows at once here too, even if ending the sessions failed after the update.
    forgetUserSessions(id);
  }
  return { ...before, ...set } as UserView;
}

async function passwordColumns(password: string) {
  if (password.length < 8) throw badRequest('weak_password', 'Passwords need at least 8 characters');
  const { hash, salt } = await hashPassword(password);
  return { passwordHash: hash, passwordSalt: salt };
}

/**
 * Checks credentials under the account's throttle and opens a session; returns the raw token for the
 * cookie, or null for any wrong email / password / inactive account (one answer for all). Throws 429
 * while the account is locked or the client address has used up its window's attempts.
 */
export async function login(db: Db, email: string, password: string, now = Date.now(), client: { userAgent?: string; address?: string } = {}): Promise<{ user: SessionUser; token: string; expiresAt: number } | null> {
  const attempt = client.address ? await reserveAddressAttempt(db, addressThrottleKey(client.address), now) : null;
  const row = await db.select().from(users).where(eq(users.email, normaliseEmail(email))).get();
  // Hash even for unknown emails so response time does not reveal which emails exist.
  const ok = await throttledCheck(db, accountThrottleKey(email), async () => {
    const matches = await verifyPassword(password, row ? { hash: row.passwordHash, salt: row.passwordSalt } : { hash: 'pbkdf2-sha256$100000$00', salt: 'x' });
    return matches && !!row && row.active;
  }, now).catch(async (err) => {
    // A locked account refused the attempt before any password was checked: not the address's guess.
    if (attempt && err instanceof DomainError && err.status === 429) await refundAddressAttempt(db, attempt);
    throw err;
  });
  if (!row || !ok) return null;
  const token = toHex(crypto.getRandomValues(new Uint8Array(32)));
  const expiresAt = now + SESSION_TTL_MS;
  const openSession = db.insert(sessions).values({
    tokenHash: await sha256Hex(token), userId: row.id, createdAt: now, expiresAt,
    publicId: toHex(crypto.getRandomValues(new Uint8Array(16))), lastSeenAt: now, userAgent: client.userAgent?.slice(0, 300) ?? null,
  });
  // The address's attempt comes back in the same round trip that opens the session.
  if (attempt) await db.batch([openSession, refundAddressAttempt(db, attempt)]);
  else await openSession;
  return { user: { id: row.id, email: row.email, name: row.name, role: row.role }, token, expiresAt };
}

export async function logout(db: Db, token: string): Promise<void> {
  const tokenHash = await sha256Hex(token);
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
  forgetSession(tokenHash);
}

/**
 * The active user behind a session token, or null when expired, logged out or deactivated. Notes the
 * session's use (at most every few minutes) through `defer`, so the request need not wait for it.
 * A session read in this isolate a moment ago is not read again (session-cache.ts) unless `fresh`:
 * GET /api/me asks for the availability status as it is now, which another person may have changed.
 */
export async function userForSession(
  db: Db,
  token: string,
  now = Date.now(),
  defer: (work: Promise<unknown>) => void = () => {},
  { fresh = false }: { fresh?: boolean } = {},
): Promise<(SessionUser & { status: UserStatus }) | null> {
  const tokenHash = await sha256Hex(token);
  const cached = fresh ? null : cachedSession(tokenHash, now);
  const readAt = cacheGeneration();
  if (cached) {
    if (lastSeenDue(cached.lastSeenAt, now)) {
      defer(touchSession(db, tokenHash, cached.lastSeenAt, now).catch((err) => console.error('session touch failed', err)));
      cached.lastSeenAt = now;
    }
    return cached.user;
  }
  const row = await db
    // The status rides along for GET /api/me (same row, no extra read).
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, status: users.status, lastSeenAt: sessions.lastSeenAt, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now), eq(users.active, true)))
    .get();
  if (!row) {
    // Only a fresh read can find gone a session this isolate still holds (a miss had nothing to forget).
    if (fresh) forgetSession(tokenHash);
    return null;
  }
  const { lastSeenAt, expiresAt, ...user } = row;
  defer(touchSession(db, tokenHash, lastSeenAt, now).catch((err) => console.error('session touch failed', err)));
  rememberSession(tokenHash, { user, lastSeenAt: lastSeenDue(lastSeenAt, now) ? now : lastSeenAt, expiresAt }, now, readAt);
  return user;
}

/** The current role and active flag of a user (live sockets re-check these). */
export async function currentUser(db: Db, id: string): Promise<SessionUser | null> {
  const row = await db.select({ id: users.id, email: users.email, name: users.name, role: users.role }).from(users).where(and(eq(users.id, id), eq(users.active, true))).get();
  return row ?? null;
}
