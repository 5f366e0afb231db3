/**
 * What CRM code needs about a chat it touches: that it exists, that the acting user may do the action
 * on it (through `can()`), and the writes that link a task or project to it.
 */
import { and, eq } from 'drizzle-orm';
import { runBatch, type Db, type Write } from '../../data/db';
import { chatEvents, chatLinks, chatObservers, chats } from '../../data/schema';
import { can, type ChatAction, type SessionUser } from '../access';
import { forbidden, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { LiveChange } from '../live';
import { publishAll, type Deps } from '../runtime';

export interface CrmChat {
  id: string;
  contactId: string;
  responsibleId: string | null;
}

/**
 * The chat, if `user` may do every one of `actions` on it: 404 when it does not exist or the user may
 * not see it (as everywhere else, an observer learns nothing of chats they do not observe), 403 when
 * they see it but the policy says no.
 */
export async function chatFor(db: Db, user: SessionUser, chatId: string, ...actions: ChatAction[]): Promise<CrmChat> {
  const row = await db
    .select({ id: chats.id, contactId: chats.contactId, responsibleId: chats.responsibleId, observer: chatObservers.userId })
    .from(chats)
    .leftJoin(chatObservers, and(eq(chatObservers.chatId, chats.id), eq(chatObservers.userId, user.id)))
    .where(eq(chats.id, chatId))
    .get();
  const facts = { observedByUser: row?.observer != null };
  if (!row || !can(user, 'chat:view', facts)) throw notFound('Chat');
  if (!actions.every((action) => can(user, action, facts))) throw forbidden();
  return { id: row.id, contactId: row.contactId, responsibleId: row.responsibleId };
}

/**
 * The writes that link a task or project to a chat and leave a `linked` event in its timeline; the
 * primary key of chat_links makes a repeated link a conflict rather than a duplicate.
 */
export function linkWrites(db: Db, link: { chatId: string; kind: 'task' | 'project'; linkedId: string; title: string; actorId: string; t: number }): { writes: Write[]; change: LiveChange } {
  const eventId = newId(link.t);
  return {
    writes: [
      db.insert(chatLinks).values({ chatId: link.chatId, kind: link.kind, linkedId: link.linkedId, createdAt: link.t }),
      db.insert(chatEvents).values({ id: eventId, chatId: link.chatId, type: 'linked', actorId: link.actorId, data: { kind: link.kind, linkedId: link.linkedId, title: link.title }, createdAt: link.t }),
    ],
    change: { kind: 'event', chatId: link.chatId, eventId },
  };
}


/**
 * Stores a new task or project and, when it was created from a chat, links it in the same batch (one
 * transaction) and publishes the `linked` event.
 */
export async function insertLinked(deps: Deps, insert: Write, link: Parameters<typeof linkWrites>[1] | null): Promise<void> {
  const linked = link ? linkWrites(deps.db, link) : null;
  await runBatch(deps.db, linked ? [insert, ...linked.writes] : [insert]);
  if (linked) await publishAll(deps, [linked.change]);
}
