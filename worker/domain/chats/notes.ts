/**
 * Team-side notes on a chat: internal comments (never sent to the client) and links to tasks and
 * projects. Both show in the timeline as events.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { chatLinks, comments, projects, tasks } from '../../data/schema';
import { iso } from '../../data/wire-time';
import type { Comment } from '../../shared/chats';
import type { SessionUser } from '../access';
import type { ActionResult } from './actions';
import { authorizeChat } from '../access';
import { checkMentions, mentionedByComment, mentionWrites } from '../mentions';
import { clock, eventInsert, guardedEventInsert, publishAll, type Deps } from '../runtime';
import { conflict, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';

const COMMENTS_SHOWN = 500;

/**
 * Adds an internal comment; its `commented` event carries the text (and who it mentions) so the timeline
 * can show it inline. Each mentioned colleague (checked: may see the chat) gets a mention and a live notice.
 */
export async function addComment(deps: Deps, user: SessionUser, chatId: string, text: string, mentioned: readonly string[] = []): Promise<ActionResult & { comment: Comment }> {
  const { db } = deps;
  await authorizeChat(db, user, chatId, 'chat:comment');
  await checkMentions(db, user, chatId, mentioned);
  const t = clock(deps);
  const id = newId(t);
  const data = mentioned.length > 0 ? { commentId: id, text, mentions: [...mentioned] } : { commentId: id, text };
  const event = eventInsert(db, { chatId, type: 'commented', actorId: user.id, data, at: t });
  const withMentions = mentionWrites(deps, { commentId: id, chatId, author: user, text, userIds: mentioned, at: t });
  const results = await db.batch([db.insert(comments).values({ id, chatId, authorId: user.id, text, createdAt: t }), event.write, ...withMentions.statements]);
  const changes = await publishAll(deps, [{ kind: 'event', chatId, eventId: event.id }]);
  await withMentions.after(results.slice(2));
  return { eventId: event.id, changes, comment: { id, chatId, authorId: user.id, text, createdAt: iso(t), mentions: [...mentioned] } };
}

/** The chat's comments, oldest first (the most recent COMMENTS_SHOWN). */
export async function listComments(db: Db, user: SessionUser, chatId: string): Promise<Comment[]> {
  await authorizeChat(db, user, chatId, 'chat:view');
  const [rows, mentioned] = await Promise.all([
    db.select().from(comments).where(eq(comments.chatId, chatId)).orderBy(desc(comments.createdAt), desc(comments.id)).limit(COMMENTS_SHOWN).all(),
    mentionedByComment(db, chatId, COMMENTS_SHOWN),
  ]);
  return rows.reverse().map((r) => ({ id: r.id, chatId: r.chatId, authorId: r.authorId, text: r.text, createdAt: iso(r.createdAt), mentions: mentioned.get(r.id) ?? [] }));
}

export type LinkTarget = { kind: 'task' | 'project'; linkedId: string };

/** Links a task or project (404 if it does not exist, 409 `already_linked` if linked). */
export async function linkChat(deps: Deps, user: SessionUser, chatId: string, target: LinkTarget) {
  const { db } = deps;
  await authorizeChat(db, user, chatId, 'chat:link');
  const title = await targetTitle(db, target);
  if (title === null) throw notFound(target.kind === 'task' ? 'Task' : 'Project');
  const t = clock(deps);
  const event = guardedEventInsert(db, { chatId, type: 'linked', actorId: user.id, data: { ...target, title }, at: t });
  const [inserted] = await db.batch([
    db.insert(chatLinks).values({ chatId, ...target, createdAt: t }).onConflictDoNothing().returning({ chatId: chatLinks.chatId }),
    event.write,
  ]);
  if (inserted.length === 0) throw conflict('already_linked', `This ${target.kind} is already linked to the chat`);
  const changes = await publishAll(deps, [{ kind: 'chat_updated', chatId, reason: 'other' }, { kind: 'event', chatId, eventId: event.id }]);
  return { eventId: event.id, changes, link: { chatId, ...target, createdAt: iso(t) } };
}

/** Removes a link (404 if there is none). */
export async function unlinkChat(deps: Deps, user: SessionUser, chatId: string, target: LinkTarget): Promise<ActionResult> {
  const { db } = deps;
  await authorizeChat(db, user, chatId, 'chat:link');
  const title = await targetTitle(db, target);
  const t = clock(deps);
  const event = guardedEventInsert(db, { chatId, type: 'unlinked', actorId: user.id, data: { ...target, title }, at: t });
  const [deleted] = await db.batch([
    db.delete(chatLinks)
      .where(and(eq(chatLinks.chatId, chatId), eq(chatLinks.kind, target.kind), eq(chatLinks.linkedId, target.linkedId)))
      .returning({ chatId: chatLinks.chatId }),
    event.write,
  ]);
  if (deleted.length === 0) throw notFound('Link');
  const changes = await publishAll(deps, [{ kind: 'chat_updated', chatId, reason: 'other' }, { kind: 'event', chatId, eventId: event.id }]);
  return { eventId: event.id, changes };
}

async function targetTitle(db: Db, target: LinkTarget): Promise<string | null> {
  if (target.kind === 'task') {
    const row = await db.select({ title: tasks.title }).from(tasks).where(eq(tasks.id, target.linkedId)).get();
    return row?.title ?? null;
  }
  const row = await db.select({ name: projects.name }).from(projects).where(eq(projects.id, target.linkedId)).get();
  return row?.name ?? null;
}
