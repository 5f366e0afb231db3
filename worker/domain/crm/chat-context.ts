/**
 * What CRM code needs about a chat it touches: that it exists, that the acting user may do the action
 * on it (through `can()`), and the writes that link a task or project to it.
 */
import { runBatch, type Db, type Write } from '../../data/db';
import { chatEvents, chatLinks } from '../../data/schema';
import { authorizeChat, type ChatAction, type SessionUser } from '../access';
import { newId } from '../../shared/ids';
import type { LiveChange } from '../live';
import { publishAll, type Deps } from '../runtime';

export interface CrmChat {
  id: string;
  contactId: string;
  responsibleId: string | null;
}

/** The chat, if the one chat gate lets `user` do every one of `actions` on it (else 404 / 403). */
export async function chatFor(db: Db, user: SessionUser, chatId: string, ...actions: [ChatAction, ...ChatAction[]]): Promise<CrmChat> {
  const facts = await authorizeChat(db, user, chatId, ...actions);
  return { id: facts.id, contactId: facts.contactId, responsibleId: facts.responsibleId };
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
