/**
 * The backlog: a bot's open chats nobody is responsible for. The BotQueue object hands them out
 * through the same rotation as new chats (oldest first, within the cap) whenever someone may have
 * become able to take them; these are the reads, the arithmetic and the writes it uses.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db, Write } from '../../data/db';
import { chats } from '../../data/schema';
import type { LiveChange } from '../live';
import { guardedEventInsert } from '../runtime';
import { nextInRotation, type RotationCursor, type RotationMember, type RotationRule } from './round-robin';

/** How many backlog chats one turn of the object places (a batch of two statements each). */
export const BACKLOG_BATCH = 100;

/** The bot's unassigned open chats, oldest first. */
export async function loadBacklog(db: Db, integrationId: string, limit = BACKLOG_BATCH): Promise<string[]> {
  const rows = await db.select({ id: chats.id }).from(chats)
    .where(and(eq(chats.status, 'open'), isNull(chats.responsibleId), eq(chats.integrationId, integrationId)))
    .orderBy(asc(chats.startedAt), asc(chats.id)).limit(limit).all();
  return rows.map((r) => r.id);
}

export interface Placement {
  chatId: string;
  userId: string;
}

/**
 * Who gets each backlog chat, in order, continuing the rotation from `cursor`; stops at the first chat
 * nobody can take. Counts each placement against the cap (mutates `members`' open chats, as the
 * object's snapshot is shared by everything decided from it).
 */
export function placeBacklog(members: RotationMember[], cap: number | null, cursor: RotationCursor | null, how: RotationRule, chatIds: readonly string[]): { placements: Placement[]; cursor: RotationCursor | null } {
  const placements: Placement[] = [];
  for (const chatId of chatIds) {
    const next = nextInRotation(members, cap, cursor, how);
    if (!next) break;
    members[next.position].openChats++;
    placements.push({ chatId, userId: next.userId });
    cursor = next;
  }
  return { placements, cursor };
}

/**
 * Writes placements: each chat is taken only if it is still open and unassigned (a Take or a manual
 * assignment may have won meanwhile), with an `assigned` event by the queue only when it was.
 * Returns the live changes of the chats that were assigned.
 */
export async function writePlacements(db: Db, placements: readonly Placement[], at: number): Promise<LiveChange[]> {
  if (placements.length === 0) return [];
  const writes: Write[] = [];
  const events: string[] = [];
  for (const p of placements) {
    const event = guardedEventInsert(db, { chatId: p.chatId, type: 'assigned', actorId: null, data: { responsibleId: p.userId, previousId: null, byQueue: true }, at });
    writes.push(
      db.update(chats).set({ responsibleId: p.userId })
        .where(and(eq(chats.id, p.chatId), eq(chats.status, 'open'), isNull(chats.responsibleId)))
        .returning({ id: chats.id }),
      event.write,
    );
    events.push(event.id);
  }
  const results = (await db.batch(writes as [Write, ...Write[]])) as unknown[];
  return placements.flatMap((p, i) => ((results[2 * i] as unknown[]).length > 0
    ? [{ kind: 'chat_updated', chatId: p.chatId, reason: 'assigned' } as const, { kind: 'event', chatId: p.chatId, eventId: events[i] } as const]
    : []));
}
