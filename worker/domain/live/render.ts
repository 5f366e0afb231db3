/**
 * The inbox feed's per-user view of a change: who sees a chat frame, with which unread/mute state and
 * whether it notifies, and each user's group counts. Pure functions over what the feed stores, so a
 * replay renders exactly what the live fan-out rendered.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { chatCounts } from '../../data/schema';
import type { ChatCounts } from '../../shared/chats';
import type { InboxFrame } from '../../shared/live';
import type { SessionUser } from '../access';
import type { InboxEnvelope } from './frames';
import { can, chatScope, maySee } from '../access';

/** One user's frame for one stored change, or null when they may not see that chat. */
export function renderInbox(e: InboxEnvelope, viewer: SessionUser, seq: number): InboxFrame | null {
  if (!maySee(viewer, e.observerIds)) {
    return e.removedObserverIds?.includes(viewer.id) ? { seq, type: 'chat_removed', chatId: e.chatId } : null;
  }
  const { lastInboundAt, ...shared } = e.chat;
  const own = e.readers[viewer.id];
  const lastReadAt = own?.lastReadAt ?? 0;
  const unread = lastInboundAt !== null && lastInboundAt > lastReadAt;
  const muted = own?.muted ?? false;
  // An unassigned client is the business of everyone who may take the chat, so nobody misses them.
  const takeable = e.chat.status === 'open' && e.chat.responsibleId === null && can(viewer, 'chats:take');
  const involved = e.chat.responsibleId === viewer.id || e.observerIds.includes(viewer.id) || takeable;
  return {
    seq, type: 'chat', changes: e.changes,
    chat: { ...shared, unread, unreadCount: unread ? (own ? own.unreadCount : e.inboundCount) : 0, muted },
    message: e.message, notify: e.fromClient && involved && !muted,
    ...takenAwayFrom(e, viewer.id),
  };
}

/** The `takenAway` notice, in the frame of the manager the chat was just taken from only. */
function takenAwayFrom(e: InboxEnvelope, userId: string): Pick<Extract<InboxFrame, { type: 'chat' }>, 'takenAway'> {
  const taken = e.takenAway?.find((t) => t.userId === userId);
  return taken ? { takenAway: { reason: taken.reason, responsibleId: e.chat.responsibleId } } : {};
}

/** Open chats by responsible ('' = unassigned) and closed chats, over some set of chats. */
export interface Tally {
  open: Record<string, number>;
  openTotal: number;
  closed: number;
}

/** Everything needed to give every connected user their counts, from two grouped queries. */
export interface CountsBasis {
  all: Tally;
  /** Per observer: the tally over the chats they observe. */
  observed: Record<string, Tally>;
}

const IDS_PER_STATEMENT = 90;
const emptyTally = (): Tally => ({ open: {}, openTotal: 0, closed: 0 });

/** Counts as GET /api/chats gives them: mine, unassigned, others (open, someone else's), closed. */
export function countsFor(basis: CountsBasis, viewer: SessionUser): ChatCounts {
  const t = chatScope(viewer) === 'observed' ? basis.observed[viewer.id] ?? emptyTally() : basis.all;
  const mine = t.open[viewer.id] ?? 0;
  const unassigned = t.open[''] ?? 0;
  return { mine, unassigned, others: t.openTotal - mine - unassigned, closed: t.closed };
}

/**
 * Reads the basis once for all connected users, from chat_counts: the rows everyone shares, and the rows
 * of the observers that are connected. Per-user counts are then arithmetic.
 */
export async function loadCountsBasis(db: Db, observerIds: string[]): Promise<CountsBasis> {
  const ids = [...new Set(observerIds)];
  // chat_counts holds these per (viewer, status, responsible) already; '' is its key for "everyone" and for unassigned.
  const responsibleId = sql<string | null>`nullif(${chatCounts.responsibleKey}, '')`.as('basis_responsible_id');
  const grouped = db.select({ status: chatCounts.status, responsibleId, n: chatCounts.n }).from(chatCounts).where(eq(chatCounts.viewer, ''));
  const observed = (slice: string[]) => db
    .select({ userId: sql<string>`${chatCounts.viewer}`.as('basis_user_id'), status: chatCounts.status, responsibleId, n: chatCounts.n })
    .from(chatCounts)
    .where(inArray(chatCounts.viewer, slice));
  const slices: string[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) slices.push(ids.slice(i, i + IDS_PER_STATEMENT));
  const [all, ...perObserver] = await db.batch([grouped, ...slices.map(observed)]);
  const basis: CountsBasis = { all: emptyTally(), observed: {} };
  for (const r of all) addTo(basis.all, r);
  for (const rows of perObserver) for (const r of rows as { userId: string; status: 'open' | 'closed'; responsibleId: string | null; n: number }[]) addTo((basis.observed[r.userId] ??= emptyTally()), r);
  for (const id of ids) basis.observed[id] ??= emptyTally();
  return basis;
}

function addTo(t: Tally, r: { status: 'open' | 'closed'; responsibleId: string | null; n: number }) {
  if (r.status === 'closed') t.closed += r.n;
  else {
    t.open[r.responsibleId ?? ''] = (t.open[r.responsibleId ?? ''] ?? 0) + r.n;
    t.openTotal += r.n;
  }
}
