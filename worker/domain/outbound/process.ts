/** Routes one outbox queue message to the work its row needs: deliver a reply, or keep a client's file. */
import { clock } from '../runtime';
import { deliverLooked, lookAndClaim, type DeliveryDeps, type Looked } from './delivery';
import { fetchInboundMedia, type MediaDeps } from './inbound-media';
import { applySentChange } from './sent-changes';
import { skipped, type OutboxOutcome } from './outbox';

/**
 * Looks at message `messageId` and does whatever outbox work it still needs. `already`: the look (and
 * claim) made at `t` together with other messages' (lookAndClaimMany), instead of one of its own.
 */
export async function processOutboxMessage(deps: DeliveryDeps & MediaDeps, messageId: string, already?: { looked: Looked; t: number }): Promise<OutboxOutcome> {
  // A reply to deliver is looked at and claimed in the same round trip; other rows are only looked at.
  const t = already?.t ?? clock(deps);
  const looked = already?.looked ?? await lookAndClaim(deps.db, messageId, t);
  const { row } = looked;
  if (!row) return skipped('no such message');
  // An edit or delete of a reply that was sent already.
  if (row.pendingOp) return applySentChange(deps, messageId);
  return row.direction === 'out' ? deliverLooked(deps, looked, t) : fetchInboundMedia(deps, messageId);
}
