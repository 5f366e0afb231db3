/**
 * "No reply, next manager": a client waiting longer than the bot's `reassignAfterMinutes` for a
 * manager's reply has the chat moved to the next manager in the rotation, once per client message.
 * The clock starts at the oldest unanswered client message or at the current manager's assignment,
 * whichever is later, so the new manager gets the full time too. The BotQueue object runs this from
 * its alarm, set for the next chat that will be due.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Write } from '../../data/db';
import { chats, messageCode } from '../../data/schema';
import type { LiveChange } from '../live';
import { guardedEventInsert } from '../runtime';
import { nextInRotation, type RotationCursor, type RotationMember, type RotationRule } from './round-robin';
import { limitLiteral } from '../../data/inline-limits';

export interface Waiting {
  chatId: string;
  responsibleId: string;
  /** The client's latest message: what "at most once per client message" counts. */
  messageId: string;
  /** The newest manager reply when read (a reply landing after it cancels the move). */
  lastReplyAt: number | null;
  /** When the chat is due to move (ms). */
  dueAt: number;
}

export const MINUTE_MS = 60_000;

/**
 * The length of a `reassignAfterMinutes` minute from the ROUTING_MINUTE_MS var: a real minute unless a
 * test stack set a positive number of ms (anything else is ignored, so a typo cannot make it instant).
 */
export function routingMinuteMs(value: string | undefined): number {
  const ms = Number(value);
  return value !== undefined && Number.isFinite(ms) && ms >= 100 ? ms : MINUTE_MS;
}

/** How many waiting chats one read looks at, soonest due first. */
const WAITING_BATCH = 200;

/** Which manager-side events hand a chat to its current manager (the clock restarts there). */
const HANDED = sql.raw(`'opened', 'assigned', 'reassigned', 'reopened'`);

/**
 * The bot's assigned open chats whose latest client message has no manager reply after it and did not
 * already move the chat, soonest due first.
 */
export async function loadWaiting(db: Db, integrationId: string, minutes: number, { limit = WAITING_BATCH, minuteMs = MINUTE_MS } = {}): Promise<Waiting[]> {
  const rows = await db.all<{ chat_id: string; responsible_id: string; message_id: string; last_reply: number | null; due_at: number }>(sql`
    SELECT chat_id, responsible_id, message_id, last_reply,
      max(coalesce(waiting_since, 0), coalesce(handed_at, 0)) + ${minutes * minuteMs} AS due_at
    FROM (
      SELECT y.*,
        (SELECT min(m.created_at) FROM messages m WHERE m.chat_id = y.chat_id AND m.direction = ${messageCode('direction', 'in')} AND m.created_at > coalesce(y.last_reply, 0)) AS waiting_since,
        (SELECT m.id FROM messages m WHERE m.chat_id = y.chat_id AND m.direction = ${messageCode('direction', 'in')} ORDER BY m.created_at DESC, m.id DESC LIMIT 1) AS message_id
      FROM (
        SELECT c.id AS chat_id, c.responsible_id AS responsible_id, c.last_inbound_at AS last_inbound_at, c.no_reply_reassigned_for AS handled,
          (SELECT max(m.created_at) FROM messages m WHERE m.chat_id = c.id AND m.direction = ${messageCode('direction', 'out')} AND m.origin = ${messageCode('origin', 'agent')}) AS last_reply,
          (SELECT max(e.created_at) FROM chat_events e WHERE e.chat_id = c.id AND e.type IN (${HANDED})) AS handed_at
        FROM chats c
        WHERE c.integration_id = ${integrationId} AND c.status = 'open' AND c.responsible_id IS NOT NULL AND c.last_inbound_at IS NOT NULL
      ) y
      WHERE y.last_reply IS NULL OR y.last_inbound_at > y.last_reply
    )
    WHERE message_id IS NOT NULL AND message_id IS NOT handled
    ORDER BY due_at, chat_id
    LIMIT ${limitLiteral(limit)}`);
  return rows.map((r) => ({ chatId: r.chat_id, responsibleId: r.responsible_id, messageId: r.message_id, lastReplyAt: r.last_reply, dueAt: r.due_at }));
}

export interface Move {
  chat: Waiting;
  toUserId: string;
}

/**
 * The next manager for each due chat, passing over the one it is taken from; a chat nobody else can
 * take stays where it is (and is looked at again on the next alarm). Updates the members' counts.
 */
export function planMoves(members: RotationMember[], cap: number | null, cursor: RotationCursor | null, how: RotationRule, due: readonly Waiting[]): { moves: Move[]; cursor: RotationCursor | null } {
  const moves: Move[] = [];
  for (const chat of due) {
    const next = nextInRotation(members, cap, cursor, { ...how, skip: chat.responsibleId });
    if (!next) continue;
    members[next.position].openChats++;
    const from = members.find((m) => m.userId === chat.responsibleId);
    if (from) from.openChats--;
    moves.push({ chat, toUserId: next.userId });
    cursor = next;
  }
  return { moves, cursor };
}

/**
 * Writes the moves: each only if the chat is still open with the same manager, no manager replied
 * since it was read and this client message has not moved it already; a `reassigned` event (with the
 * reason) only where it moved.
 */
export async function writeMoves(db: Db, moves: readonly Move[], minutes: number, at: number): Promise<LiveChange[]> {
  if (moves.length === 0) return [];
  const writes: Write[] = [];
  const events: string[] = [];
  for (const { chat, toUserId } of moves) {
    const event = guardedEventInsert(db, {
      chatId: chat.chatId, type: 'reassigned', actorId: null, at,
      data: { responsibleId: toUserId, previousId: chat.responsibleId, reason: 'no_reply', minutes, messageId: chat.messageId },
    });
    const noReplySince = sql`coalesce((SELECT max(m.created_at) FROM messages m WHERE m.chat_id = ${chat.chatId} AND m.direction = ${messageCode('direction', 'out')} AND m.origin = ${messageCode('origin', 'agent')}), 0) = ${chat.lastReplyAt ?? 0}`;
    writes.push(
      db.update(chats).set({ responsibleId: toUserId, lastResponsibleId: chat.responsibleId, noReplyReassignedFor: chat.messageId })
        .where(and(
          eq(chats.id, chat.chatId), eq(chats.status, 'open'), eq(chats.responsibleId, chat.responsibleId),
          sql`${chats.noReplyReassignedFor} IS NOT ${chat.messageId}`, noReplySince,
        ))
        .returning({ id: chats.id }),
      event.write,
    );
    events.push(event.id);
  }
  const results = (await db.batch(writes as [Write, ...Write[]])) as unknown[];
  // The manager it left is told over their own inbox socket (`takenAway`), not left to notice.
  return moves.flatMap((m, i) => ((results[2 * i] as unknown[]).length > 0
    ? [
      { kind: 'chat_updated', chatId: m.chat.chatId, reason: 'assigned' } as const,
      { kind: 'event', chatId: m.chat.chatId, eventId: events[i] } as const,
      { kind: 'taken_away', chatId: m.chat.chatId, userId: m.chat.responsibleId, reason: 'no_reply' } as const,
    ]
    : []));
}
