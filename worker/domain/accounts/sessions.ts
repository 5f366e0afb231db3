/**
 * A user's own sessions: listing them (by a public id, never the token hash), ending one, ending all
 * but the current one, and noting when a session was last used.
 */
import { and, desc, eq, gt, ne, sql } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { sessions } from '../../data/schema';
import { notFound } from '../../shared/errors';
import { sha256Hex } from './passwords';
import { forgetSession, forgetUserSessions } from './session-cache';

/** lastSeenAt is refreshed at most this often, so a request rarely pays for a write. */
export const LAST_SEEN_EVERY_MS = 5 * 60 * 1000;

export interface SessionView {
  id: string;
  createdAt: number;
  lastSeenAt: number | null;
  userAgent: string | null;
  current: boolean;
}

/** The user's live sessions, most recently used first; `current` marks the one holding `currentToken`. */
export async function listSessions(db: Db, userId: string, currentToken: string | undefined, now = Date.now()): Promise<SessionView[]> {
  const currentHash = currentToken ? await sha256Hex(currentToken) : null;
  const rows = await db
    .select({ tokenHash: sessions.tokenHash, id: sessions.publicId, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, userAgent: sessions.userAgent })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
    .orderBy(desc(sql`coalesce(${sessions.lastSeenAt}, ${sessions.createdAt})`))
    .all();
  return rows.filter((r) => r.id !== null).map((r) => ({
    id: r.id!, createdAt: r.createdAt, lastSeenAt: r.lastSeenAt, userAgent: r.userAgent, current: r.tokenHash === currentHash,
  }));
}

/** Ends one of the user's sessions; another user's id is a 404 like an unknown one. Returns whether it was the current one. */
export async function revokeSession(db: Db, userId: string, publicId: string, currentToken: string | undefined): Promise<{ wasCurrent: boolean }> {
  const gone = await db.delete(sessions).where(and(eq(sessions.userId, userId), eq(sessions.publicId, publicId)))
    .returning({ tokenHash: sessions.tokenHash });
  if (gone.length === 0) throw notFound('Session');
  forgetSession(gone[0].tokenHash);
  return { wasCurrent: !!currentToken && gone[0].tokenHash === (await sha256Hex(currentToken)) };
}

/** Ends every session of the user except the one holding `keepToken` (none kept without it). */
export async function endOtherSessions(db: Db, userId: string, keepToken: string | undefined): Promise<void> {
  const keep = keepToken ? await sha256Hex(keepToken) : null;
  await db.delete(sessions).where(keep ? and(eq(sessions.userId, userId), ne(sessions.tokenHash, keep)) : eq(sessions.userId, userId));
  forgetUserSessions(userId);
}

/** Whether a session's use is worth noting again (it never was, or not for LAST_SEEN_EVERY_MS). */
export function lastSeenDue(lastSeenAt: number | null, now: number): boolean {
  return lastSeenAt === null || now - lastSeenAt >= LAST_SEEN_EVERY_MS;
}

/** Notes that a session was used, unless that was noted recently. */
export async function touchSession(db: Db, tokenHash: string, lastSeenAt: number | null, now = Date.now()): Promise<void> {
  if (!lastSeenDue(lastSeenAt, now)) return;
  await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, tokenHash));
}
