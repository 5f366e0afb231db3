/**
 * One's own mentions: the list behind the badge, marking them read, and the clearing that reading a
 * chat does. Every change to a person's unread count is told to their open inbox tabs (`notifyUsers`).
 */
import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { before, decodeCursor, pageOf } from '../../data/keyset';
import { chats, comments, contacts, mentions, users } from '../../data/schema';
import { iso, isoOrNull } from '../../data/wire-time';
import type { Mention, MentionNotice, MyMentions } from '../../shared/mention-wire';
import { forbidden } from '../../shared/errors';
import { can, type SessionUser } from '../access';
import { clock, type Deps } from '../runtime';
import { mentionStillVisible } from './who';

/** The unread mentions of `userId` they may still see: the badge. */
export function unreadCountQuery(db: Db, userId: string) {
  return db.select({ n: count() }).from(mentions).where(and(eq(mentions.userId, userId), isNull(mentions.readAt), mentionStillVisible()));
}

/** Whether `userId` has an unread mention in the chat (a seek of mentions_user_unread): rows, empty when none. */
export function unreadMentionInChatQuery(db: Db, userId: string, chatId: string) {
  return db.select({ id: mentions.id }).from(mentions).where(and(eq(mentions.userId, userId), eq(mentions.chatId, chatId), isNull(mentions.readAt))).limit(1);
}

/** My mentions, newest first (only unread ones with `unread`), with the badge count. */
export async function listMyMentions(db: Db, user: SessionUser, opts: { unread?: boolean; cursor?: string; limit: number }): Promise<MyMentions> {
  if (!can(user, 'mentions:own')) throw forbidden();
  const after = decodeCursor(opts.cursor);
  const [rows, [total]] = await db.batch([
    db.select({
      id: mentions.id, chatId: mentions.chatId, commentId: mentions.commentId, authorId: mentions.authorId,
      authorName: sql<string>`${users.name}`.as('author_name'), contactName: sql<string>`${contacts.name}`.as('contact_name'),
      text: comments.text, createdAt: mentions.createdAt, readAt: mentions.readAt,
    }).from(mentions)
      .innerJoin(comments, eq(comments.id, mentions.commentId))
      .innerJoin(users, eq(users.id, mentions.authorId))
      .innerJoin(chats, eq(chats.id, mentions.chatId))
      .innerJoin(contacts, eq(contacts.id, chats.contactId))
      .where(and(eq(mentions.userId, user.id), before(mentions.createdAt, mentions.id, after), opts.unread ? isNull(mentions.readAt) : undefined, mentionStillVisible()))
      .orderBy(desc(mentions.createdAt), desc(mentions.id)).limit(opts.limit + 1),
    unreadCountQuery(db, user.id),
  ]);
  const { page, next } = pageOf(rows, opts.limit, (r) => ({ at: r.createdAt, id: r.id }));
  return { items: page.map(toMention), unread: total.n, nextCursor: next };
}

const IDS_PER_STATEMENT = 90;
const chunks = <T>(list: T[], size: number): T[][] => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

/** Marks my mentions read: all, one chat's, or the listed ones. Answers the badge count. */
export async function readMyMentions(deps: Deps, user: SessionUser, which: { chatId?: string; ids?: string[] }): Promise<{ unread: number }> {
  if (!can(user, 'mentions:own')) throw forbidden();
  const { db } = deps;
  const at = clock(deps);
  const update = (ids?: string[]) => db.update(mentions).set({ readAt: at })
    .where(and(eq(mentions.userId, user.id), isNull(mentions.readAt), which.chatId ? eq(mentions.chatId, which.chatId) : undefined, ids ? inArray(mentions.id, ids) : undefined))
    .returning({ id: mentions.id });
  // D1 binds at most 100 parameters a statement: listed ids go in slices.
  const updates = which.ids ? chunks(which.ids, IDS_PER_STATEMENT).map(update) : [update()];
  const results = await db.batch([unreadCountQuery(db, user.id), ...updates, unreadCountQuery(db, user.id)]);
  const total = (results.at(-1) as { n: number }[])[0];
  if (total.n !== (results[0] as { n: number }[])[0].n) await tellUsers(deps, [{ userId: user.id, unread: total.n, mention: null }]);
  return { unread: total.n };
}

/**
 * Reading a chat clears my mentions in it: two statements for the reader's own batch (so opening a chat
 * costs no extra round trip), and what to do with their results.
 */
export function chatReadClearsMentions(deps: Deps, userId: string, chatId: string) {
  const { db } = deps;
  const statements = [
    db.update(mentions).set({ readAt: clock(deps) })
      .where(and(eq(mentions.userId, userId), eq(mentions.chatId, chatId), isNull(mentions.readAt))).returning({ id: mentions.id }),
    unreadCountQuery(db, userId),
  ] as const;
  const after = async (results: unknown[]) => {
    const [cleared, [total]] = results as [{ id: string }[], { n: number }[]];
    if (cleared.length > 0) await tellUsers(deps, [{ userId, unread: total.n, mention: null }]);
  };
  return { statements, after };
}

/** Hands badge changes to the live fan-out; a lost notice is repaired by the next list fetch, so it never throws. */
export async function tellUsers(deps: Deps, notices: MentionNotice[]): Promise<void> {
  if (!deps.notifyUsers || notices.length === 0) return;
  try {
    await deps.notifyUsers(notices);
  } catch (err) {
    console.error('mention notice failed', err);
  }
}

export function toMention(r: { id: string; chatId: string; commentId: string; authorId: string; authorName: string; contactName: string; text: string; createdAt: number; readAt: number | null }): Mention {
  return { ...r, createdAt: iso(r.createdAt), readAt: isoOrNull(r.readAt) };
}
