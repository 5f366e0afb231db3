/**
 * Who watches a chat and whether it pings me: the observer list (shared) and the mute flag (per user).
 */
import { and, eq, sql } from 'drizzle-orm';
import { runBatch, type Write } from '../../data/db';
import { inJsonList, jsonEach } from '../../data/json-list';
import { chatObservers, chatUserState, users } from '../../data/schema';
import type { SessionUser } from '../access';
import type { ActionResult } from './actions';
import { authorizeChat } from '../access';
import { clock, eventInsert, publishAll, type Deps } from '../runtime';
import { badRequest, notFound } from '../../shared/errors';

/**
 * Replaces the chat's observers with `userIds` (any active users; an Observer-role user sees only
 * the chats listed here). Unknown ids are a 404, deactivated users a 400; the same set is a no-op.
 */
export async function setObservers(deps: Deps, user: SessionUser, chatId: string, userIds: string[]): Promise<ActionResult> {
  const { db } = deps;
  await authorizeChat(db, user, chatId, 'chat:observers');
  const wanted = [...new Set(userIds)];
  if (wanted.length) {
    const found = await db.select({ id: users.id, active: users.active }).from(users).where(inJsonList(users.id, wanted)).all();
    const unknown = wanted.filter((id) => !found.some((u) => u.id === id));
    if (unknown.length) throw notFound(`User ${unknown[0]}`);
    if (found.some((u) => !u.active)) throw badRequest('invalid_observer', 'Deactivated users cannot observe chats');
  }
  const current = (await db.select({ userId: chatObservers.userId }).from(chatObservers).where(eq(chatObservers.chatId, chatId)).all()).map((r) => r.userId);
  const added = wanted.filter((id) => !current.includes(id));
  const removed = current.filter((id) => !wanted.includes(id));
  if (!added.length && !removed.length) return { eventId: null, changes: [] };

  const t = clock(deps);
  const event = eventInsert(db, { chatId, type: 'observers_changed', actorId: user.id, data: { observerIds: wanted, added, removed }, at: t });
  const writes: Write[] = [];
  if (removed.length) writes.push(db.delete(chatObservers).where(and(eq(chatObservers.chatId, chatId), inJsonList(chatObservers.userId, removed))));
  if (added.length) writes.push(db.insert(chatObservers).select(sql`SELECT ${chatId}, value FROM ${jsonEach(added)} WHERE true`).onConflictDoNothing());
  await runBatch(db, [...writes, event.write]);
  const changes = await publishAll(deps, [{ kind: 'chat_updated', chatId, reason: 'observers' }, { kind: 'event', chatId, eventId: event.id }]);
  return { eventId: event.id, changes };
}

/**
 * Mutes or unmutes the chat's notifications for `user` only; the same value is a no-op. A personal
 * setting (chat_user_state), so it leaves no timeline event: colleagues never learn who muted what.
 */
export async function setMuted(deps: Deps, user: SessionUser, chatId: string, muted: boolean): Promise<ActionResult> {
  const { db } = deps;
  const facts = await authorizeChat(db, user, chatId, 'chat:mute');
  if (facts.muted === muted) return { eventId: null, changes: [] };
  await db.insert(chatUserState).values({ chatId, userId: user.id, muted })
    .onConflictDoUpdate({ target: [chatUserState.chatId, chatUserState.userId], set: { muted } });
  // The inbox feed renders each user's own flag, so colleagues' frames show nothing new.
  const changes = await publishAll(deps, [{ kind: 'chat_updated', chatId, reason: 'other' }]);
  return { eventId: null, changes };
}
