/**
 * Turns the LiveChange[] of one durable change into what the two live Durable Objects fan out: one
 * InboxEnvelope per chat for the inbox feed (rendered per user by the feed) and one RoomPush per chat for
 * that chat's room. Everything they need is read in ONE D1 batch, so a publish costs one round trip.
 */
import type { Db } from '../../data/db';
import { readLiveRows, type EventRow, type LiveReadPlan, type LiveRows, type MessageRow, type SummaryRow } from '../../data/live-reads';
import { iso, isoOrNull } from '../../data/wire-time';
import type { ChatListItem } from '../../shared/chats';
import type { ChatChange, ChatFrame, LiveChatState, TakenAwayReason, TimelineEvent } from '../../shared/live';
import type { MessageItem } from '../../shared/messages';
import type { LiveChange } from './change';
/**
 * How fresh a snapshot of a chat is: the newest event and the newest message it saw. Both only grow, so a
 * snapshot with a smaller part was read before another one, whatever order the two reached the object in.
 */
export interface Stamp {
  event: string;
  message: string;
}

/** A chat list item without the fields that depend on who is looking. */
export type SharedChatItem = Omit<ChatListItem, 'unread' | 'unreadCount' | 'muted'> & { lastInboundAt: number | null };

/** One user's own view of a chat: mute flag and unread state. */
export interface ReaderState {
  muted: boolean;
  lastReadAt: number;
  unreadCount: number;
}

/** What the inbox feed stores per chat change and renders for each connected user. */
export interface InboxEnvelope {
  chatId: string;
  changes: ChatChange[];
  chat: SharedChatItem;
  observerIds: string[];
  /** Users with a read marker or a mute flag on this chat; anyone else has read nothing and muted nothing. */
  readers: Record<string, ReaderState>;
  /** Unread count of a user with no read marker. */
  inboundCount: number;
  message: MessageItem | null;
  /** `message` is a new client message: the responsible manager and observers get notified. */
  fromClient: boolean;
  stamp: Stamp;
  /** Managers this change took the chat from, and why: each of them is told in their own frame. */
  takenAway?: TakenAway[];
  /** Filled in by the feed: observers who stopped observing with this change. */
  removedObserverIds?: string[];
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A durable chat frame before the room numbers it. */
export type RoomFrameBody = DistributiveOmit<Extract<ChatFrame, { type: 'message' | 'message_status' | 'event' | 'chat' }>, 'seq'>;

/** What one chat room receives per publish. */
export interface RoomPush {
  chatId: string;
  /** Current observers: an observer's socket that is no longer among them is closed. */
  observerIds: string[];
  frames: RoomFrameBody[];
  stamp: Stamp | null;
}

export interface TakenAway {
  userId: string;
  reason: TakenAwayReason;
}

export interface ChatPlan {
  chatId: string;
  inbox: ChatChange[];
  /** Chat-level changes the chat view shows in its header. */
  room: ChatChange[];
  created: boolean;
  newMessages: string[];
  updatedMessages: string[];
  events: string[];
  takenAway: TakenAway[];
}

const reasonChange: Record<Extract<LiveChange, { kind: 'chat_updated' }>['reason'], ChatChange> = {
  message: 'message', assigned: 'assigned', unassigned: 'unassigned', closed: 'closed', reopened: 'reopened',
  observers: 'observers', tags: 'tags', read: 'read', other: 'updated',
};

/** Groups changes by chat and decides which object hears about each. */
export function planLive(changes: LiveChange[]): ChatPlan[] {
  const byChat = new Map<string, ChatPlan>();
  const planOf = (chatId: string) => {
    let p = byChat.get(chatId);
    if (!p) byChat.set(chatId, (p = { chatId, inbox: [], room: [], created: false, newMessages: [], updatedMessages: [], events: [], takenAway: [] }));
    return p;
  };
  const add = (list: ChatChange[], c: ChatChange) => { if (!list.includes(c)) list.push(c); };
  for (const change of changes) {
    const p = planOf(change.chatId);
    if (change.kind === 'chat_created') { p.created = true; add(p.inbox, 'created'); }
    else if (change.kind === 'chat_updated') {
      const c = reasonChange[change.reason] ?? 'updated';
      add(p.inbox, c);
      if (c !== 'message' && c !== 'read') add(p.room, c);
    } else if (change.kind === 'message') { add(p.inbox, 'message'); p.newMessages.push(change.messageId); }
    else if (change.kind === 'message_status') p.updatedMessages.push(change.messageId);
    else if (change.kind === 'event') p.events.push(change.eventId);
    else if (change.kind === 'taken_away') p.takenAway.push({ userId: change.userId, reason: change.reason });
  }
  return [...byChat.values()];
}

/** A chat created by this very change has no viewers yet: nobody can hold its id, so its room is skipped. */
function needsRoom(p: ChatPlan): boolean {
  return !p.created && (p.room.length > 0 || p.newMessages.length > 0 || p.updatedMessages.length > 0 || p.events.length > 0);
}

/**
 * Reads what the plans need (one D1 batch) and builds the inbox envelopes and room pushes. `toItem` is
 * the timeline's own message mapper, so a live message is byte-for-byte the item a refetch returns.
 */
export async function buildLive(db: Db, plans: ChatPlan[], toItem: (row: MessageRow) => MessageItem): Promise<{ inbox: InboxEnvelope[]; rooms: RoomPush[] }> {
  const want = liveReadPlan(plans);
  if (!want) return { inbox: [], rooms: [] };
  return renderLive(plans, await readLiveRows(db, want), toItem);
}

/** What the frames of `plans` need read; null when they need nothing (no list or open chat shows them). */
export function liveReadPlan(plans: ChatPlan[]): LiveReadPlan | null {
  const inboxChats = plans.filter((p) => p.inbox.length > 0).map((p) => p.chatId);
  const anyChats = [...new Set([...inboxChats, ...plans.filter(needsRoom).map((p) => p.chatId)])];
  if (anyChats.length === 0) return null;
  return {
    // Rooms get the summary too: its stamp tells a late snapshot from a fresh one.
    summaries: anyChats, observers: anyChats, readers: inboxChats,
    messages: [...new Set(plans.flatMap((p) => [...p.newMessages, ...p.updatedMessages]))],
    events: plans.flatMap((p) => [...new Set(p.events)].map((id) => ({ chatId: p.chatId, id }))),
  };
}

/**
 * Builds the inbox envelopes and room pushes from rows already in hand: what `buildLive` read, or what a
 * write returned in its own batch (ingest's one-round-trip path), so a publish need not read them back.
 * `rows` must hold what `buildLive` would have read for these plans.
 */
export function renderLive(plans: ChatPlan[], rows: LiveRows, toItem: (row: MessageRow) => MessageItem): { inbox: InboxEnvelope[]; rooms: RoomPush[] } {
  const { summaries, observers, messages: messageRows, events: eventRows } = rows;
  // A room nobody ever opened has no one to tell (chats.room_opened).
  const roomPlans = plans.filter((p) => needsRoom(p) && summaries.get(p.chatId)?.roomOpened !== false);
  const readers = (chatId: string): Record<string, ReaderState> =>
    Object.fromEntries((rows.readers.get(chatId) ?? []).map((r) => [r.userId, { muted: r.muted, lastReadAt: r.lastReadAt, unreadCount: Number(r.unreadCount) }]));

  const inbox: InboxEnvelope[] = [];
  for (const p of plans) {
    const s = summaries.get(p.chatId);
    if (p.inbox.length === 0 || !s) continue;
    const added = p.newMessages.map((id) => messageRows.get(id)).filter((m): m is MessageRow => !!m);
    // The client's own words make the better preview and the only reason to notify.
    const pick = [...added].reverse().find((m) => m.origin === 'client') ?? added[added.length - 1] ?? null;
    inbox.push({
      chatId: p.chatId, changes: p.inbox, chat: sharedItem(s), observerIds: observers.get(p.chatId) ?? [],
      readers: readers(p.chatId), inboundCount: Number(s.inboundCount), message: pick ? toItem(pick) : null,
      fromClient: pick?.origin === 'client', stamp: stampOf(s), ...(p.takenAway.length > 0 ? { takenAway: p.takenAway } : {}),
    });
  }

  const rooms: RoomPush[] = roomPlans.map((p) => {
    const frames: RoomFrameBody[] = [];
    for (const id of p.newMessages) {
      const m = messageRows.get(id);
      if (m) frames.push({ type: 'message', chatId: p.chatId, message: toItem(m) });
    }
    for (const id of p.updatedMessages) {
      const m = messageRows.get(id);
      if (!m) continue;
      const item = toItem(m);
      frames.push({ type: 'message_status', chatId: p.chatId, id: item.id, status: item.status, error: item.error, message: item });
    }
    for (const id of p.events) {
      const e = eventRows.get(id);
      if (e) frames.push({ type: 'event', chatId: p.chatId, event: timelineEvent(e) });
    }
    const s = summaries.get(p.chatId);
    const observerIds = observers.get(p.chatId) ?? [];
    if (p.room.length > 0 && s) frames.push({ type: 'chat', chatId: p.chatId, changes: p.room, chat: liveChatState(s, observerIds) });
    return { chatId: p.chatId, observerIds, frames, stamp: s ? stampOf(s) : null };
  });
  return { inbox, rooms };
}

/** True when `next` was certainly read before `prev` (see Stamp). */
export function isOlder(next: Stamp, prev: Stamp): boolean {
  return next.event < prev.event || next.message < prev.message;
}

function sharedItem(s: SummaryRow): SharedChatItem {
  return {
    id: s.id, status: s.status, contact: { id: s.contactId, name: s.contactName, avatarUrl: s.avatarUrl },
    integration: { id: s.integrationId, name: s.integrationName, channel: s.channel }, responsibleId: s.responsibleId,
    startedAt: iso(s.startedAt), lastMessageAt: iso(s.lastMessageAt), lastMessagePreview: s.lastMessagePreview,
    closedAt: isoOrNull(s.closedAt), lastInboundAt: s.lastInboundAt,
  };
}

function liveChatState(s: SummaryRow, observerIds: string[]): LiveChatState {
  return { id: s.id, status: s.status, responsibleId: s.responsibleId, observerIds, lastMessageAt: iso(s.lastMessageAt), closedAt: isoOrNull(s.closedAt) };
}

function stampOf(s: SummaryRow): Stamp {
  return { event: s.eventStamp ?? '', message: s.messageStamp ?? '' };
}

export function timelineEvent(e: EventRow): TimelineEvent {
  return { kind: 'event', id: e.id, type: e.type, actorId: e.actorId, data: e.data ?? {}, createdAt: iso(e.createdAt) };
}
