/** Routes one outbox queue message to the work its row needs: deliver a reply, or keep a client's file. */
import { eq } from 'drizzle-orm';
import { messages } from '../../data/schema';
import { deliverMessage, type DeliveryDeps } from './delivery';
import { fetchInboundMedia, type MediaDeps } from './inbound-media';
import { applySentChange } from './sent-changes';
import { skipped, type OutboxOutcome } from './outbox';

/** Looks at message `messageId` and does whatever outbox work it still needs. */
export async function processOutboxMessage(deps: DeliveryDeps & MediaDeps, messageId: string): Promise<OutboxOutcome> {
  const row = await deps.db.select({ direction: messages.direction, pendingOp: messages.pendingOp }).from(messages).where(eq(messages.id, messageId)).get();
  if (!row) return skipped('no such message');
  // An edit or delete of a reply that was sent already.
  if (row.pendingOp) return applySentChange(deps, messageId);
  return row.direction === 'out' ? deliverMessage(deps, messageId) : fetchInboundMedia(deps, messageId);
}
