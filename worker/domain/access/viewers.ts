/**
 * Who is on the other end of a live socket, and what they may see. Sockets live for hours, so the
 * objects re-check the session behind each one (logout, expiry, role change and deactivation all end
 * sessions) and apply the one access policy to every chat they fan out.
 */
import { and, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { chatObservers, chats, sessions, users } from '../../data/schema';
import { can, type SessionUser } from './policy';

/** A socket's user, plus the hash of the session it was opened with (the same hash `sessions` stores). */
export interface Viewer extends SessionUser {
  session: string;
}

const HASHES_PER_STATEMENT = 90;

/** The still-valid sessions among `hashes`, with their users' current name and role. */
export async function currentViewers(db: Db, hashes: string[], now = Date.now()): Promise<Map<string, Viewer>> {
  const unique = [...new Set(hashes)];
  const found = new Map<string, Viewer>();
  if (unique.length === 0) return found;
  const queries = [];
  for (let i = 0; i < unique.length; i += HASHES_PER_STATEMENT) {
    queries.push(
      db.select({ session: sessions.tokenHash, id: users.id, email: users.email, name: users.name, role: users.role })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(inArray(sessions.tokenHash, unique.slice(i, i + HASHES_PER_STATEMENT)), gt(sessions.expiresAt, now), eq(users.active, true))),
    );
  }
  const results = await db.batch(queries as [typeof queries[0], ...typeof queries]);
  for (const rows of results) for (const r of rows) found.set(r.session, r);
  return found;
}

export type ChatAccess = { status: 'ok'; canType: boolean; observerIds: string[] } | { status: 'not_found' } | { status: 'forbidden' };

/** May `user` open the live view of a chat, and may they type in it? */
export async function chatAccess(db: Db, chatId: string, user: SessionUser): Promise<ChatAccess> {
  const [chat, observers] = await db.batch([
    db.select({ id: chats.id }).from(chats).where(eq(chats.id, chatId)),
    db.select({ userId: chatObservers.userId }).from(chatObservers).where(eq(chatObservers.chatId, chatId)),
  ]);
  if (chat.length === 0) return { status: 'not_found' };
  const observerIds = observers.map((o) => o.userId);
  if (!maySee(user, observerIds)) return { status: 'forbidden' };
  return { status: 'ok', canType: mayType(user, observerIds), observerIds };
}

/** Whether a viewer may see a chat with these observers (the policy's view on one chat). */
export function maySee(viewer: SessionUser, observerIds: readonly string[]): boolean {
  return can(viewer, 'chat:view', { observedByUser: observerIds.includes(viewer.id) });
}

/** Typing is part of replying: read-only viewers (observers) may watch but not type. */
export function mayType(viewer: SessionUser, observerIds: readonly string[]): boolean {
  return can(viewer, 'chat:reply', { observedByUser: observerIds.includes(viewer.id) });
}
