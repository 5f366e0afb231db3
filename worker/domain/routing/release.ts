/**
 * A manager who can no longer take chats (deactivated, or made an observer) gives their open chats
 * back: each becomes unassigned with an `unassigned` event naming the admin and the reason, in one
 * batch, and the bots' queues are then woken to place them (or they wait, loudly, in Unassigned).
 */
import { and, eq, sql } from 'drizzle-orm';
import { runBatch } from '../../data/db';
import { jsonEach } from '../../data/json-list';
import { chatEvents, chats } from '../../data/schema';
import { newId } from '../../shared/ids';
import type { SessionUser } from '../access';
import type { LiveChange } from '../live';
import { clock, publishAll, type Deps } from '../runtime';

export interface Released {
  chatIds: string[];
  /** The bots whose queues should now place these chats. */
  integrationIds: string[];
}

export async function releaseChatsOf(deps: Deps, actor: SessionUser, userId: string, reason: 'deactivated' | 'role_changed'): Promise<Released> {
  const { db } = deps;
  const open = await db.select({ id: chats.id, integrationId: chats.integrationId }).from(chats)
    .where(and(eq(chats.status, 'open'), eq(chats.responsibleId, userId))).all();
  if (open.length === 0) return { chatIds: [], integrationIds: [] };
  const t = clock(deps);
  const pairs = open.map((c) => [c.id, newId(t)]);
  const data = JSON.stringify({ previousId: userId, reason });
  await runBatch(db, [
    // Events first, for the chats that are still theirs (the UPDATE below decides the same set).
    db.insert(chatEvents).select(sql`
      SELECT json_extract(p.value, '$[1]'), c.id, 'unassigned', ${actor.id}, ${data}, ${t}
      FROM ${jsonEach(pairs)} AS p JOIN chats c ON c.id = json_extract(p.value, '$[0]')
      WHERE c.status = 'open' AND c.responsible_id = ${userId}`),
    db.update(chats).set({ responsibleId: null, lastResponsibleId: userId })
      .where(and(eq(chats.status, 'open'), eq(chats.responsibleId, userId), sql`${chats.id} IN (SELECT json_extract(value, '$[0]') FROM ${jsonEach(pairs)})`)),
  ]);
  const changes: LiveChange[] = pairs.flatMap(([chatId, eventId]) => [
    { kind: 'chat_updated', chatId, reason: 'unassigned' } as const,
    { kind: 'event', chatId, eventId } as const,
    { kind: 'taken_away', chatId, userId, reason } as const,
  ]);
  await publishAll(deps, changes);
  return { chatIds: open.map((c) => c.id), integrationIds: [...new Set(open.map((c) => c.integrationId))] };
}
