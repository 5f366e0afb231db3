/**
 * The out-of-office reply, stored only if the chat's burst has none yet (hours/out-of-office.ts). The
 * planner already read that there is none, but two messages of one client can be planned at once: the
 * check is repeated inside the batch (a transaction), so only the first batch stores a reply. A reply
 * that was not stored costs nothing after: its live frames skip missing rows, the outbox skips a
 * message that does not exist.
 */
import { sql } from 'drizzle-orm';
import { batchableRun } from '../../data/db';
import { messageCode } from '../../data/schema';
import { newId } from '../../shared/ids';
import { OUT_OF_OFFICE_BURST_MS } from '../hours';
import type { PlanContext } from './plan';
import { outOfOfficeOfBurst } from './reader';

export function planOutOfOffice(ctx: PlanContext, chatId: string, text: string): void {
  const { db, plan, t } = ctx;
  const messageId = newId(t);
  const eventId = newId(t);
  plan.writes.push(
    batchableRun(db, sql`
      INSERT INTO messages (id, chat_id, direction, origin, text, attachments, status, created_at, next_attempt_at)
      SELECT ${messageId}, ${chatId}, ${messageCode('direction', 'out')}, ${messageCode('origin', 'out_of_office')}, ${text}, '', ${messageCode('status', 'sending')}, ${t}, ${t}
      WHERE ${outOfOfficeOfBurst(sql`${chatId}`, t - OUT_OF_OFFICE_BURST_MS)} IS NULL`),
    batchableRun(db, sql`
      INSERT INTO chat_events (id, chat_id, type, data, created_at)
      SELECT ${eventId}, ${chatId}, 'out_of_office_sent', ${JSON.stringify({ messageId })}, ${t}
      WHERE EXISTS (SELECT 1 FROM messages WHERE id = ${messageId})`),
  );
  plan.changes.push({ kind: 'message', chatId, messageId }, { kind: 'event', chatId, eventId });
  plan.outbound.push({ messageId, chatId });
}
