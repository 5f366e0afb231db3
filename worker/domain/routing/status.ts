/**
 * A person's status (available / away), one per person for every bot: set by themself, or by an admin
 * for anyone. Becoming available can unblock the backlog, so callers wake the person's queues after it.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { inJsonList } from '../../data/json-list';
import { integrationQueue, users, type UserStatus } from '../../data/schema';
import { forbidden, notFound } from '../../shared/errors';
import { can, type SessionUser } from '../access';
import type { RotationMember } from './round-robin';

/** Sets `userId`'s status; 403 unless the actor is that person (and may take chats) or an admin. */
export async function setUserStatus(db: Db, actor: SessionUser, userId: string, status: UserStatus): Promise<{ id: string; status: UserStatus }> {
  if (!can(actor, 'queue:away', { subjectUserId: userId })) throw forbidden('Only an administrator or the manager themself can change this');
  const updated = await db.update(users).set({ status }).where(eq(users.id, userId)).returning({ id: users.id, status: users.status });
  if (updated.length === 0) throw notFound('User');
  return updated[0];
}

/** The bots whose queues this person is in: the ones to wake when they may take chats again. */
export async function queuesOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db.select({ id: integrationQueue.integrationId }).from(integrationQueue).where(eq(integrationQueue.userId, userId)).all();
  return rows.map((r) => r.id);
}

/**
 * People as the rotation sees them, whether or not they are in the queue (a reopened chat's previous
 * manager): active only if they may take chats at all.
 */
export async function peopleAsMembers(db: Db, ids: string[]): Promise<RotationMember[]> {
  if (ids.length === 0) return [];
  const rows = await db.select({ userId: users.id, status: users.status, active: users.active, role: users.role }).from(users).where(inJsonList(users.id, ids)).all();
  return rows.map((r) => ({ userId: r.userId, away: r.status === 'away', active: r.active && can({ id: r.userId, role: r.role }, 'chats:take'), openChats: 0 }));
}
