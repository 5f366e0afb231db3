/**
 * Who may be called into a chat's comment: active colleagues, not the author, whom the one policy lets
 * view the chat. The policy is asked per role (not restated here), so the same rule decides the picker,
 * the server-side check of a saved comment and which mentions a person still sees.
 */
import { and, eq, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { chatObservers, mentions, roles, users, type Role } from '../../data/schema';
import { MENTIONABLE_MAX, type MentionableUser } from '../../shared/mention-wire';
import { badRequest } from '../../shared/errors';
import { authorizeChat, can, type SessionUser } from '../access';

/** Roles that see every chat, and roles that see only the chats they observe, as the policy says. */
function rolesByView(): { all: Role[]; observed: Role[] } {
  const sees = (role: Role, observedByUser: boolean) => can({ id: '', role }, 'chat:view', { observedByUser });
  return { all: roles.filter((r) => sees(r, false)), observed: roles.filter((r) => !sees(r, false) && sees(r, true)) };
}

/** SQL: the user in `userColumn` (with role in `roleColumn`) may view the chat in `chatColumn`. */
function mayView(userColumn: SQL | typeof users.id, roleColumn: typeof users.role, chatColumn: SQL | string | typeof mentions.chatId): SQL {
  const { all, observed } = rolesByView();
  const observes = sql`EXISTS (SELECT 1 FROM ${chatObservers} WHERE ${chatObservers.chatId} = ${chatColumn} AND ${chatObservers.userId} = ${userColumn})`;
  const branches = [all.length ? inArray(roleColumn, all) : undefined, observed.length ? and(inArray(roleColumn, observed), observes) : undefined].filter(Boolean) as SQL[];
  return branches.length ? or(...branches)! : sql`0`;
}

/** SQL: the mention row's person may still see its chat (an observer taken off the chat no longer does). */
export function mentionStillVisible(): SQL {
  return sql`EXISTS (SELECT 1 FROM ${users} WHERE ${users.id} = ${mentions.userId} AND ${mayView(users.id, users.role, sql`${mentions.chatId}`)})`;
}

/** The colleagues `user` may mention in a comment on `chatId`, by name, optionally filtered by `q` (any part of the name). */
export async function listMentionable(db: Db, user: SessionUser, chatId: string, q?: string): Promise<MentionableUser[]> {
  await authorizeChat(db, user, chatId, 'chat:comment');
  const needle = q?.toLowerCase();
  return db.select({ id: users.id, name: users.name, role: users.role }).from(users)
    .where(and(eq(users.active, true), ne(users.id, user.id), mayView(users.id, users.role, chatId), needle ? sql`instr(lower(${users.name}), ${needle}) > 0` : undefined))
    .orderBy(users.name, users.id).limit(MENTIONABLE_MAX).all();
}

/**
 * Throws 400 `mention_not_allowed` (with the refused ids) unless every one of `userIds` may be mentioned
 * by `author` on `chatId`. The caller has already checked the author may comment there.
 */
export async function checkMentions(db: Db, author: SessionUser, chatId: string, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  const rows = await db.select({
    id: users.id, role: users.role, active: users.active,
    observed: sql<number>`EXISTS (SELECT 1 FROM ${chatObservers} WHERE ${chatObservers.chatId} = ${chatId} AND ${chatObservers.userId} = ${users.id})`,
  }).from(users).where(inArray(users.id, [...userIds])).all();
  const allowed = new Set(rows.filter((r) => r.active && r.id !== author.id && can(r, 'chat:view', { observedByUser: !!r.observed })).map((r) => r.id));
  const refused = userIds.filter((id) => !allowed.has(id));
  if (refused.length > 0) throw badRequest('mention_not_allowed', 'Only active colleagues who can see this chat can be mentioned', { userIds: refused });
}
