/**
 * Reading the inbox and one chat as a given user: lists, archive, details, timeline and history
 * search, each behind the access policy. Opening a chat's newest timeline page marks it read.
 */
import { sql } from 'drizzle-orm';
import { searchArchive, type ArchiveFilters } from '../../data/archive';
import { listGroup } from '../../data/chat-lists';
import { chatDetails, chatFactsQuery, toChatFacts, type ChatFactsRow } from '../../data/chat-queries';
import type { Db } from '../../data/db';
import { archivedPartsBefore } from '../../data/archived-history';
import { searchChatHistory } from '../../data/history-search';
import { decodeCursor } from '../../data/keyset';
import { chats, chatUserState } from '../../data/schema';
import { timelineQueries, toTimelinePage } from '../../data/timeline';
import { getAdapter } from '../../messengers/registry';
import type { ChatDetails, ChatGroup, ChatListResponse, TimelinePage } from '../../shared/chats';
import { authorizeChat, can, chatScope, listViewer, requireChat, type SessionUser } from '../access';
import { publishAll, type Deps } from '../runtime';
import { forbidden, notFound } from '../../shared/errors';
import type { LiveChange } from '../live';
import { chatReadClearsMentions, unreadMentionInChatQuery } from '../mentions';
import { archivedMessagesBefore } from '../history';
import { searchHistoryWithArchive } from './archived-search';

/** One page of an inbox group with all four counts. */
export async function listInbox(db: Db, user: SessionUser, group: ChatGroup, cursor: string | undefined, limit: number): Promise<ChatListResponse> {
  if (!can(user, 'chats:list')) throw forbidden();
  const after = decodeCursor(cursor);
  return listGroup(db, listViewer(user), group, after, limit);
}

/** One page of the archive with the given filters. */
export async function listArchive(db: Db, user: SessionUser, filters: ArchiveFilters, cursor: string | undefined, limit: number) {
  if (!can(user, 'chats:list')) throw forbidden();
  return searchArchive(db, listViewer(user), filters, decodeCursor(cursor), limit);
}

/** The chat card. */
export async function getChat(db: Db, user: SessionUser, chatId: string): Promise<ChatDetails> {
  await authorizeChat(db, user, chatId, 'chat:view');
  return chatCard(db, user, chatId);
}

/**
 * The card as `user` may see it, for a chat the gate already let them view. The contact's other deals
 * are the CRM's, not this chat's: without the whole CRM (observers), only this chat's opportunities.
 */
export async function chatCard(db: Db, user: SessionUser, chatId: string): Promise<ChatDetails> {
  const found = await chatDetails(db, chatId, user.id);
  if (!found) throw notFound('Chat');
  const changes = getAdapter(found.channel)?.sentMessageChanges;
  const details: ChatDetails = { ...found, replyChanges: changes ? { edit: changes.edit, deleteWithinHours: changes.deleteWithinMs / 3_600_000 } : null };
  if (can(user, 'crm:view')) return details;
  return { ...details, opportunities: details.opportunities.filter((o) => o.chatId === chatId) };
}

/** Where archived history is read from (the MEDIA bucket); only needed once a chat has some. */
export type HistoryDeps = Deps & { media?: R2Bucket };

/**
 * A timeline page; the newest page (no `before`) also marks the chat read for `user`, in the same round
 * trip. The chat's archived parts are listed in that batch too: when D1 runs out of messages before the
 * page is full, the rest comes from R2, so an archived chat pages exactly as it did before it moved.
 */
export async function readTimeline(deps: HistoryDeps, user: SessionUser, chatId: string, before: string | undefined, limit: number): Promise<TimelinePage & { changes: LiveChange[] }> {
  const after = decodeCursor(before);
  // The gate's facts ride in the same batch as the page's reads (one round trip, not two); the rows are
  // only used once the gate has passed. The writes a newest page may make (move the read marker, clear
  // the user's mentions here) need the gate first, so they follow in a second batch, and only when there
  // is something to write: reopening a chat already read costs one round trip too.
  // A user who may view every chat passes the gate for any chat that exists, so the read marker can
  // move in the first batch (after the facts are read, so they still show the state before it).
  const markFirst = !before && chatScope(user) === 'all';
  const reads = [...timelineQueries(deps.db, chatId, after, limit), archivedPartsBefore(deps.db, chatId, after)] as const;
  const mentionRead = before ? null : unreadMentionInChatQuery(deps.db, user.id, chatId);
  const [factRows, msgs, events, parts, ...more] = await deps.db.batch([
    chatFactsQuery(deps.db, chatId, user.id), ...reads, ...(mentionRead ? [mentionRead] : []),
    ...(markFirst ? [readMarkerIfBehind(deps, user.id, chatId)] : []),
  ]);
  const unreadMention = (mentionRead ? more[0] : []) as Awaited<NonNullable<typeof mentionRead>>;
  const facts = requireChat(user, toChatFacts(factRows[0]), 'chat:view');
  // The facts were read before the first batch's marker write, so they say whether it moved.
  const marks = !before && markerBehind(facts);
  const marker = marks && !markFirst ? readMarkerWrite(deps, user, facts) : null;
  const mentions = unreadMention.length > 0 ? chatReadClearsMentions(deps, user.id, chatId) : null;
  const writes = [...(mentions ? mentions.statements : []), ...(marker ? [marker] : [])];
  const rest = writes.length > 0 ? await deps.db.batch(writes as [typeof writes[number], ...typeof writes]) : [];
  const archived = msgs.length <= limit && parts.length > 0
    ? await archivedMessagesBefore(historyBucket(deps), chatId, parts, after, limit + 1 - msgs.length, new Set(msgs.map((m) => m.id)))
    : [];
  const page = toTimelinePage([[...msgs, ...archived], events], limit);
  const changes = marks ? await publishAll(deps, [{ kind: 'chat_updated', chatId, reason: 'read' }]) : [];
  await mentions?.after(rest);
  return { ...page, changes };
}

/** Marks everything the client wrote so far as read by `user`, and their mentions in the chat. */
export async function markRead(deps: Deps, user: SessionUser, chatId: string): Promise<LiveChange[]> {
  const facts = await authorizeChat(deps.db, user, chatId, 'chat:view');
  const marker = markerBehind(facts) ? readMarkerWrite(deps, user, facts) : null;
  const mentions = chatReadClearsMentions(deps, user.id, chatId);
  await mentions.after(await deps.db.batch([...mentions.statements, ...(marker ? [marker] : [])]));
  return marker ? publishAll(deps, [{ kind: 'chat_updated', chatId, reason: 'read' }]) : [];
}

/** History search inside one chat: D1's full-text index, then the chat's archived parts in R2. */
export async function searchHistory(db: Db, user: SessionUser, chatId: string, q: string, cursor: string | undefined, limit: number, media?: R2Bucket) {
  await authorizeChat(db, user, chatId, 'chat:view');
  const after = decodeCursor(cursor);
  const [live, parts] = await Promise.all([searchChatHistory(db, chatId, q, after, limit), archivedPartsBefore(db, chatId, after)]);
  if (live.nextCursor !== null || parts.length === 0) return live;
  return searchHistoryWithArchive(historyBucket({ db, media }), chatId, q, after, limit, live.items, parts);
}

function historyBucket(deps: HistoryDeps): R2Bucket {
  if (!deps.media) throw new Error('this chat has archived history and no bucket was given to read it');
  return deps.media;
}

/**
 * readMarkerWrite as one statement that decides in SQL: moves the marker only when the chat has unread
 * messages. The SELECT's values go to chat_user_state's columns in their declared order (chat, user,
 * muted, marker): a new column there must be added here too (timeline-round-trips.test.ts fails first).
 */
function readMarkerIfBehind(deps: Deps, userId: string, chatId: string) {
  const behind = sql`${chats.lastInboundAt} > coalesce((SELECT ${chatUserState.lastReadAt} FROM ${chatUserState} WHERE ${chatUserState.chatId} = ${chatId} AND ${chatUserState.userId} = ${userId}), 0)`;
  return deps.db.insert(chatUserState)
    .select(sql`SELECT ${chats.id}, ${userId}, 0, ${chats.lastInboundAt} FROM ${chats} WHERE ${chats.id} = ${chatId} AND ${behind}`)
    .onConflictDoUpdate(MARKER_ONLY_FORWARD);
}

/** A marker only moves forward (max), so a stale tab cannot un-read a chat. */
const MARKER_ONLY_FORWARD = {
  target: [chatUserState.chatId, chatUserState.userId],
  set: { lastReadAt: sql`max(${chatUserState.lastReadAt}, excluded.last_read_at)` },
};

/** Whether the client wrote since `user` last read the chat. */
function markerBehind(facts: ChatFactsRow): boolean {
  return (facts.lastInboundAt ?? 0) > facts.lastReadAt;
}

/**
 * The marker is the chat's last inbound time as read before the page: a message arriving after that
 * stays unread (so a marker written after the gate takes it from the facts, not from the chat row then).
 */
function readMarkerWrite(deps: Deps, user: SessionUser, facts: ChatFactsRow) {
  return deps.db.insert(chatUserState).values({ chatId: facts.id, userId: user.id, lastReadAt: facts.lastInboundAt ?? 0 }).onConflictDoUpdate(MARKER_ONLY_FORWARD);
}
