/**
 * One chat's timeline: messages and events interleaved by (created_at, id), read backwards. Each
 * source is a keyset range on its own (chat_id, created_at, id) index taking at most limit + 1 rows;
 * the merged top `limit` of the two is exactly the next page, so a chat with 50k messages costs the
 * same to open as one with five.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { TimelineItem, TimelinePage } from '../shared/chats';
import type { Db } from './db';
import { before, pageOf, type Keyset } from './keyset';
import { chatEvents, messages } from './schema';
import { toMessageItem } from './message-item';
import { iso } from './wire-time';

type Entry = { at: number; id: string; item: TimelineItem };

/** The two reads of one timeline page: messages and events strictly before `after`, newest first. */
export function timelineQueries(db: Db, chatId: string, after: Keyset, limit: number) {
  return [
    db
      .select({
        id: messages.id, chatId: messages.chatId, direction: messages.direction, origin: messages.origin, authorId: messages.authorId, text: messages.text,
        attachments: messages.attachments, status: messages.status, error: messages.error, createdAt: messages.createdAt, editedAt: messages.editedAt,
        pendingOp: messages.pendingOp, deletedAt: messages.deletedAt,
      })
      .from(messages)
      .where(and(eq(messages.chatId, chatId), before(messages.createdAt, messages.id, after)))
      .orderBy(desc(messages.createdAt), desc(messages.id))
      .limit(limit + 1),
    db
      .select({ id: chatEvents.id, type: chatEvents.type, actorId: chatEvents.actorId, data: chatEvents.data, createdAt: chatEvents.createdAt })
      .from(chatEvents)
      .where(and(eq(chatEvents.chatId, chatId), before(chatEvents.createdAt, chatEvents.id, after)))
      .orderBy(desc(chatEvents.createdAt), desc(chatEvents.id))
      .limit(limit + 1),
  ] as const;
}

type Queries = ReturnType<typeof timelineQueries>;
type TimelineRows = [Awaited<Queries[0]>, Awaited<Queries[1]>];

/** Merges the two reads into the page (oldest first) and the cursor for older items. */
export function toTimelinePage([msgs, events]: TimelineRows, limit: number): TimelinePage {
  const merged: Entry[] = [
    ...msgs.map((m): Entry => ({
      at: m.createdAt, id: m.id,
      // The same mapping as live frames: file URLs behind the session, internal refs and keys kept inside.
      item: toMessageItem(m),
    })),
    ...events.map((e): Entry => ({ at: e.createdAt, id: e.id, item: { kind: 'event', ...e, data: e.data ?? {}, createdAt: iso(e.createdAt) } })),
  ].sort(newestFirst);
  const { page, next } = pageOf(merged, limit, (e) => ({ at: e.at, id: e.id }));
  return { items: page.reverse().map((e) => e.item), nextBefore: next };
}

function newestFirst(a: Entry, b: Entry): number {
  if (a.at !== b.at) return b.at - a.at;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
