/**
 * The mentions a saved comment carries: written in the comment's own batch (one row per person), and
 * each mentioned person's tabs told at once with their new badge count.
 */
import { desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { chats, comments, contacts, mentions } from '../../data/schema';
import { iso } from '../../data/wire-time';
import { newId } from '../../shared/ids';
import type { MentionNotice } from '../../shared/mention-wire';
import type { SessionUser } from '../access';
import type { Deps } from '../runtime';
import { tellUsers, unreadCountQuery } from './mine';

export interface CommentMentions {
  commentId: string;
  chatId: string;
  author: SessionUser;
  text: string;
  userIds: readonly string[];
  at: number;
}

/**
 * Statements to append to the comment's batch (rows, then each person's count, then the contact's
 * name), and `after`, which takes their results and sends the notices. Nothing when nobody is mentioned.
 */
export function mentionWrites(deps: Deps, c: CommentMentions) {
  const { db } = deps;
  const rows = c.userIds.map((userId) => ({ id: newId(c.at), commentId: c.commentId, chatId: c.chatId, userId, authorId: c.author.id, createdAt: c.at }));
  const statements = c.userIds.length === 0 ? [] : [
    // One statement per person keeps each far under D1's 100 bound parameters.
    ...rows.map((row) => db.insert(mentions).values(row)),
    ...c.userIds.map((userId) => unreadCountQuery(db, userId)),
    db.select({ name: contacts.name }).from(chats).innerJoin(contacts, eq(contacts.id, chats.contactId)).where(eq(chats.id, c.chatId)),
  ];
  const after = async (results: unknown[]) => {
    if (rows.length === 0) return;
    const counts = results.slice(rows.length, rows.length * 2) as { n: number }[][];
    const contactName = (results[rows.length * 2] as { name: string }[])[0]?.name ?? '';
    const notices: MentionNotice[] = rows.map((row, i) => ({
      userId: row.userId,
      unread: counts[i][0]?.n ?? 0,
      mention: {
        id: row.id, chatId: c.chatId, commentId: c.commentId, authorId: c.author.id, authorName: c.author.name, contactName,
        text: c.text, createdAt: iso(c.at), readAt: null,
      },
    }));
    await tellUsers(deps, notices);
  };
  return { statements, after };
}

/** Who each of a chat's newest `shown` comments mentions (comment id → user ids). */
export async function mentionedByComment(db: Db, chatId: string, shown: number): Promise<Map<string, string[]>> {
  const newest = db.select({ id: comments.id }).from(comments).where(eq(comments.chatId, chatId)).orderBy(desc(comments.createdAt), desc(comments.id)).limit(shown);
  const rows = await db.select({ commentId: mentions.commentId, userId: mentions.userId }).from(mentions).where(inArray(mentions.commentId, newest)).all();
  const byComment = new Map<string, string[]>();
  for (const r of rows) byComment.set(r.commentId, [...(byComment.get(r.commentId) ?? []), r.userId]);
  return byComment;
}
