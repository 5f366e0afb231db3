/**
 * "Take" from the Unassigned group: the first manager to press it gets the chat. One guarded UPDATE
 * decides (`… WHERE responsible_id IS NULL`), so of two at once exactly one wins; the other gets a 409
 * that says who took it. The BotQueue's backlog writes are guarded the same way.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { chats, users } from '../../data/schema';
import { conflict, DomainError, forbidden, notFound } from '../../shared/errors';
import { authorizeChat, can, type SessionUser } from '../access';
import type { LiveChange } from '../live';
import { clock, guardedEventInsert, publishAll, type Deps } from '../runtime';

export async function takeChat(deps: Deps, user: SessionUser, chatId: string): Promise<{ eventId: string; changes: LiveChange[] }> {
  const { db } = deps;
  // Who may not see the chat learns nothing of it (404); who may see but not assign it gets a 403.
  await authorizeChat(db, user, chatId, 'chat:assign');
  if (!can(user, 'chats:take')) throw forbidden('Only a manager can take a chat');
  const t = clock(deps);
  const event = guardedEventInsert(db, { chatId, type: 'assigned', actorId: user.id, data: { responsibleId: user.id, previousId: null, taken: true }, at: t });
  const [updated] = await db.batch([
    db.update(chats).set({ responsibleId: user.id })
      .where(and(eq(chats.id, chatId), eq(chats.status, 'open'), isNull(chats.responsibleId)))
      .returning({ id: chats.id }),
    event.write,
  ]);
  if (updated.length === 0) throw await whyNot(deps, chatId);
  const changes = await publishAll(deps, [{ kind: 'chat_updated', chatId, reason: 'assigned' }, { kind: 'event', chatId, eventId: event.id }]);
  return { eventId: event.id, changes };
}

/** The 404 / 409 for a chat that could not be taken: gone, closed, or someone was first (and who). */
async function whyNot(deps: Deps, chatId: string) {
  const row = await deps.db.select({ status: chats.status, responsibleId: chats.responsibleId, name: users.name })
    .from(chats).leftJoin(users, eq(users.id, chats.responsibleId)).where(eq(chats.id, chatId)).get();
  if (!row) return notFound('Chat');
  if (row.status === 'closed') return conflict('already_closed', 'This chat is closed');
  return new DomainError(409, 'already_taken', `${row.name ?? 'Someone'} already took this chat`, { responsibleId: row.responsibleId, name: row.name });
}
