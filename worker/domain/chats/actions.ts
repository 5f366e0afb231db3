/**
 * Status and ownership of a chat: close, reopen, set or clear the responsible manager. Each writes
 * the state change and its timeline event in one batch and reports the live changes.
 *
 * Responsible bookkeeping (the ingest core's reopen relies on it): closing keeps responsible_id and
 * copies it to last_responsible_id; reopening by hand gives the chat back to that last manager if the
 * bot's rule lets them take chats now, else leaves it unassigned for the bot's queue to place; unassigning an open chat remembers who had it.
 */
import { and, eq, sql } from 'drizzle-orm';
import { runBatch } from '../../data/db';
import { chats, users } from '../../data/schema';
import { authorizeChat, can, type SessionUser } from '../access';
import { clock, eventInsert, guardedEventInsert, publishAll, type Deps } from '../runtime';
import { reopenOwner } from '../routing';
import { cancelPendingSurveys } from '../csat';
import { badRequest, conflict, notFound } from '../../shared/errors';
import type { LiveChange } from '../live';

export interface ActionResult {
  /** The timeline event the action recorded; null when nothing changed (an idempotent PUT). */
  eventId: string | null;
  changes: LiveChange[];
}

/** Closes an open chat; a closed one is a 409 `already_closed`. */
export async function closeChat(deps: Deps, user: SessionUser, chatId: string): Promise<ActionResult> {
  const { db } = deps;
  const facts = await authorizeChat(db, user, chatId, 'chat:close');
  if (facts.status === 'closed') throw alreadyClosed();
  const t = clock(deps);
  const event = guardedEventInsert(db, { chatId, type: 'closed', actorId: user.id, data: { responsibleId: facts.responsibleId }, at: t });
  const [updated] = await db.batch([
    db.update(chats).set({ status: 'closed', closedAt: t, lastResponsibleId: sql`${chats.responsibleId}` })
      .where(and(eq(chats.id, chatId), eq(chats.status, 'open'))).returning({ id: chats.id }),
    event.write,
  ]);
  // A concurrent close won between our read and our write: the guard kept this one from writing.
  if (updated.length === 0) throw alreadyClosed();
  // Its manager has one open chat fewer: under a cap, the bot's waiting chats may fit now.
  if (facts.responsibleId) await deps.wakeQueues?.({ integrationId: facts.integrationId });
  return done(deps, chatId, 'closed', event.id);
}

/** Reopens a closed chat to its last manager if they may still take chats; an open one is a 409 `already_open`. */
export async function reopenChat(deps: Deps, user: SessionUser, chatId: string): Promise<ActionResult> {
  const { db } = deps;
  const facts = await authorizeChat(db, user, chatId, 'chat:reopen');
  if (facts.status === 'open') throw alreadyOpen();
  const last = facts.lastResponsibleId ?? facts.responsibleId;
  // Back to the last manager only if the bot's rule lets them take chats now; else the queue places it.
  const { responsibleId, integrationId } = await reopenOwner(db, chatId, last);
  const t = clock(deps);
  const event = guardedEventInsert(db, { chatId, type: 'reopened', actorId: user.id, data: { responsibleId }, at: t });
  const [updated] = await db.batch([
    db.update(chats).set({ status: 'open', responsibleId, closedAt: null })
      .where(and(eq(chats.id, chatId), eq(chats.status, 'closed'))).returning({ id: chats.id }),
    event.write,
    // A reopen before the client answered the satisfaction survey cancels it.
    cancelPendingSurveys(db, chatId, t),
  ]);
  if (updated.length === 0) throw alreadyOpen();
  if (!responsibleId && integrationId) await deps.wakeQueues?.({ integrationId });
  return done(deps, chatId, 'reopened', event.id);
}

/**
 * Makes `userId` responsible, or unassigns with null. The target must be an active Administrator or
 * Employee (404 if unknown, 400 `invalid_responsible` otherwise). Setting the current value changes
 * nothing and records nothing. On a closed chat the choice also decides who gets it on reopen.
 */
export async function setResponsible(deps: Deps, user: SessionUser, chatId: string, userId: string | null): Promise<ActionResult> {
  const { db } = deps;
  const facts = await authorizeChat(db, user, chatId, 'chat:assign');
  if (userId === facts.responsibleId) return { eventId: null, changes: [] };
  if (userId !== null) {
    const target = await assignableUser(deps, userId);
    if (!target.exists) throw notFound('User');
    if (!target.ok) throw badRequest('invalid_responsible', 'Only an active Administrator or Employee can be responsible for a chat');
  }
  const previousId = facts.responsibleId;
  const closed = facts.status === 'closed';
  const lastResponsibleId = userId !== null
    ? (closed ? userId : facts.lastResponsibleId)
    // Unassigning an open chat remembers who had it; a closed one then goes to the queue when it reopens.
    : (closed ? null : previousId);
  const t = clock(deps);
  const event = eventInsert(db, {
    chatId, type: userId ? 'assigned' : 'unassigned', actorId: user.id,
    data: userId ? { responsibleId: userId, previousId } : { previousId }, at: t,
  });
  await runBatch(db, [db.update(chats).set({ responsibleId: userId, lastResponsibleId }).where(eq(chats.id, chatId)), event.write]);
  return done(deps, chatId, userId ? 'assigned' : 'unassigned', event.id);
}

async function assignableUser(deps: Deps, id: string): Promise<{ exists: boolean; ok: boolean }> {
  const row = await deps.db.select({ id: users.id, active: users.active, role: users.role }).from(users).where(eq(users.id, id)).get();
  return { exists: !!row, ok: !!row && row.active && can(row, 'chats:take') };
}

async function done(deps: Deps, chatId: string, reason: 'closed' | 'reopened' | 'assigned' | 'unassigned', eventId: string): Promise<ActionResult> {
  const changes = await publishAll(deps, [{ kind: 'chat_updated', chatId, reason }, { kind: 'event', chatId, eventId }]);
  return { eventId, changes };
}

const alreadyClosed = () => conflict('already_closed', 'This chat is already closed');
const alreadyOpen = () => conflict('already_open', 'This chat is already open');
