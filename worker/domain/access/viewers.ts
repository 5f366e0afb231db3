/**
 * Who is on the other end of a live socket, and what they may see. Sockets live for hours, so the
 * objects re-check the session behind each one (logout, expiry, role change and deactivation all end
 * sessions) and apply the one chat gate (chat-gate.ts) to every chat they fan out.
 */
import { and, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { sessions, users } from '../../data/schema';
import type { SessionUser } from './policy';

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
