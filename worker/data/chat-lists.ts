/**
 * Inbox list queries: the four groups of the logged-in user with their counts. Each group is one
 * keyset range over an index ending in (last_message_at, id) — see schema/ — so a page costs the
 * same at the top of the inbox and deep in it.
 */
import { and, desc, eq, inArray, isNotNull, isNull, ne, sql, type SQL, type WithSubquery } from 'drizzle-orm';
import type { SQLiteSelect } from 'drizzle-orm/sqlite-core';
import type { ChatCounts, ChatGroup, ChatListItem } from '../shared/chats';
import type { Db } from './db';
import { before, pageOf, type Keyset } from './keyset';
import { chatCounts, chatObservers, chats, chatUserState, contacts, integrations, messageCode } from './schema';
import { iso, isoOrNull } from './wire-time';
import { limitLiteral } from './inline-limits';

/** Counting unread messages stops here: the badge says "99+", and a long-ignored chat stays cheap. */
export const UNREAD_COUNT_CAP = 99;

/**
 * Who a list is for, as the access policy already decided it: the user, and whether they may list
 * every chat or only the ones they observe. Data code takes the decision, never makes it.
 */
export interface ListViewer {
  id: string;
  scope: 'all' | 'observed';
}

const readAt = sql<number>`coalesce(${chatUserState.lastReadAt}, 0)`;

/**
 * The columns of one list item for `userId` (read marker and mute are per user). Joined columns and
 * expressions carry their own aliases: in a D1 batch drizzle maps rows by column name, so two "name"s
 * or an unnamed expression would come back wrong.
 */
function itemColumns() {
  return {
    id: chats.id,
    status: chats.status,
    responsibleId: chats.responsibleId,
    startedAt: chats.startedAt,
    lastMessageAt: chats.lastMessageAt,
    lastMessagePreview: chats.lastMessagePreview,
    closedAt: chats.closedAt,
    channel: chats.channel,
    contactId: chats.contactId,
    contactName: sql<string | null>`${contacts.name}`.as('list_contact_name'),
    contactAvatarUrl: sql<string | null>`${contacts.avatarUrl}`.as('list_contact_avatar_url'),
    integrationId: chats.integrationId,
    integrationName: sql<string | null>`${integrations.name}`.as('list_integration_name'),
    muted: sql<number>`coalesce(${chatUserState.muted}, 0)`.as('list_muted'),
    // Evaluated only for the rows of the page; a bounded walk of messages_timeline from the marker.
    unreadCount: sql<number>`CASE WHEN ${chats.lastInboundAt} > ${readAt} THEN (
      SELECT count(*) FROM (SELECT 1 FROM messages WHERE messages.chat_id = ${chats.id}
        AND messages.created_at > ${readAt} AND messages.direction = ${messageCode('direction', 'in')} LIMIT ${limitLiteral(UNREAD_COUNT_CAP)})
    ) ELSE 0 END`.as('list_unread_count'),
  };
}

type ItemRow = Awaited<ReturnType<ReturnType<typeof listSelect>['all']>>[number];
/** A row of a page with extras: the anchor row of an empty page has every item column null. */
type MaybeItemRow = { [K in keyof ItemRow]: ItemRow[K] | null };

/**
 * What a page may carry besides its items: common table expressions its WHERE reads (found once however
 * often it reads them), and columns of its own (scalars, the same on every row). Such a page always has a
 * row, to carry the columns: with no chat on it, one whose item columns are all null (toPage drops it).
 */
export interface PageExtras {
  ctes: WithSubquery[];
  columns: Record<string, SQL.Aliased<number>>;
}

/**
 * The base list select. Left joins keep `chats` the outer loop, so the ORDER BY is served by the
 * chats index the WHERE picks (an inner join would let SQLite start from integrations and sort).
 */
export function listSelect(db: Db, userId: string) {
  return withItemJoins(db.select(itemColumns()).from(chats).$dynamic(), userId);
}

/** The tables a list item's columns read beside `chats`, each row's at most one. */
function withItemJoins<Q extends SQLiteSelect>(q: Q, userId: string) {
  return q
    .leftJoin(contacts, eq(contacts.id, chats.contactId))
    .leftJoin(integrations, eq(integrations.id, chats.integrationId))
    .leftJoin(chatUserState, and(eq(chatUserState.userId, userId), eq(chatUserState.chatId, chats.id)));
}

/** Restricts to the chats the user may list at all (observers: only the ones they observe). */
export function scopeCondition(user: ListViewer): SQL | undefined {
  if (user.scope === 'all') return undefined;
  return sql`${chats.id} IN (SELECT ${chatObservers.chatId} FROM ${chatObservers} WHERE ${chatObservers.userId} = ${user.id})`;
}

export function groupCondition(group: ChatGroup, userId: string): SQL {
  switch (group) {
    case 'mine':
      return and(eq(chats.status, 'open'), eq(chats.responsibleId, userId))!;
    case 'unassigned':
      return and(eq(chats.status, 'open'), isNull(chats.responsibleId))!;
    case 'others':
      return and(eq(chats.status, 'open'), isNotNull(chats.responsibleId), ne(chats.responsibleId, userId))!;
    case 'closed':
      return eq(chats.status, 'closed');
  }
}

/**
 * Newest activity first, id breaking ties; `limit + 1` rows so the caller knows if more exist. The page's
 * ids are found first (an index walk, or a sort of a filter's candidate set) and the columns — joins and
 * the unread count — are computed for those rows only, not for every candidate before the sort.
 */
export function pageQuery(db: Db, user: ListViewer, where: (SQL | undefined)[], after: Keyset, limit: number, extras?: PageExtras) {
  const pageIds = db.select({ id: chats.id }).from(chats)
    .where(and(...where, scopeCondition(user), before(chats.lastMessageAt, chats.id, after)))
    .orderBy(desc(chats.lastMessageAt), desc(chats.id))
    .limit(limit + 1);
  const order = [desc(chats.lastMessageAt), desc(chats.id)];
  if (!extras) return listSelect(db, user.id).where(inArray(chats.id, pageIds)).orderBy(...order);
  // One row to hang the page on: its chats join it, and with none it still carries the extra columns.
  const anchored = db.with(...extras.ctes).select({ ...itemColumns(), ...extras.columns })
    .from(sql`(SELECT 1) AS page_anchor`).leftJoin(chats, inArray(chats.id, pageIds)).$dynamic();
  return withItemJoins(anchored, user.id).orderBy(...order);
}

/** The rows of a pageQuery as one page of list items and the cursor for the next. */
export function toPage(rows: readonly MaybeItemRow[], limit: number): { items: ChatListItem[]; nextCursor: string | null } {
  const { page, next } = pageOf(rows.filter((r): r is ItemRow => r.id !== null), limit, (r) => ({ at: r.lastMessageAt, id: r.id }));
  return { items: page.map(toListItem), nextCursor: next };
}

/** One page of a group with the four counts, in one round trip. */
export async function listGroup(db: Db, user: ListViewer, group: ChatGroup, after: Keyset, limit: number) {
  const [rows, [counts]] = await db.batch([pageQuery(db, user, [groupCondition(group, user.id)], after, limit), countsQuery(db, user)]);
  return { ...toPage(rows, limit), counts: toCounts(counts) };
}

/**
 * The four counts, from the few chat_counts rows of this user's view (kept by triggers): every chat for
 * staff, the observed ones for an observer.
 */
function countsQuery(db: Db, user: ListViewer) {
  const me = user.id;
  const open = sql`${chatCounts.status} = 'open'`;
  return db.select({
    mine: sql<number>`coalesce(sum(CASE WHEN ${open} AND ${chatCounts.responsibleKey} = ${me} THEN ${chatCounts.n} END), 0)`.as('count_mine'),
    unassigned: sql<number>`coalesce(sum(CASE WHEN ${open} AND ${chatCounts.responsibleKey} = '' THEN ${chatCounts.n} END), 0)`.as('count_unassigned'),
    others: sql<number>`coalesce(sum(CASE WHEN ${open} AND ${chatCounts.responsibleKey} NOT IN ('', ${me}) THEN ${chatCounts.n} END), 0)`.as('count_others'),
    closed: sql<number>`coalesce(sum(CASE WHEN ${chatCounts.status} = 'closed' THEN ${chatCounts.n} END), 0)`.as('count_closed'),
  }).from(chatCounts).where(eq(chatCounts.viewer, user.scope === 'observed' ? me : ''));
}

function toCounts(row: { mine: number; unassigned: number; others: number; closed: number } | undefined): ChatCounts {
  return { mine: Number(row?.mine ?? 0), unassigned: Number(row?.unassigned ?? 0), others: Number(row?.others ?? 0), closed: Number(row?.closed ?? 0) };
}

export function toListItem(r: ItemRow): ChatListItem {
  const unreadCount = Number(r.unreadCount);
  return {
    id: r.id,
    status: r.status,
    contact: { id: r.contactId, name: r.contactName ?? '', avatarUrl: r.contactAvatarUrl ?? null },
    integration: { id: r.integrationId, name: r.integrationName ?? '', channel: r.channel },
    responsibleId: r.responsibleId,
    startedAt: iso(r.startedAt),
    lastMessageAt: iso(r.lastMessageAt),
    lastMessagePreview: r.lastMessagePreview,
    closedAt: isoOrNull(r.closedAt),
    unread: unreadCount > 0,
    unreadCount,
    muted: !!r.muted,
  };
}
