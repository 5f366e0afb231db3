/**
 * Ingest: turns one verified, parsed update into stored facts, top to bottom — read (through the
 * reader), plan each event, store each event's writes in ONE D1 batch (one transaction). The first
 * event's batch carries the update's dedup key: either the update is fully stored or not at all, so a
 * messenger retry after a failure is processed again and a replay after success is refused by the
 * dedup key's primary key.
 */
import { runBatch } from '../../data/db';
import { writeWithLiveRows } from '../live';
import { processedUpdates } from '../../data/schema';
import type { InboundEvent, ParsedUpdate } from '../../messengers/types';
import { clock } from '../runtime';
import { planClientMessage, planConversationStarted } from './plan-message';
import { emptyPlan, type IngestDeps, type IngestIntegration, type IngestResult, type Plan, type PlanContext } from './plan';
import { planChoice } from './plan-choice';
import { planEdit, planReceipt, planSubscription } from './plan-status';
import { readUpdate, type IngestReader } from './reader';
import { insertRow } from '../../data/statement-template';

/**
 * Stores one update. Safe to call concurrently and repeatedly with the same update. `prefetched` is a
 * reader whose rows the caller already read in its own batch (the webhook reads them with the integration).
 */
export async function ingestUpdate(deps: IngestDeps, integration: IngestIntegration, update: ParsedUpdate, prefetched?: IngestReader): Promise<IngestResult> {
  const result: IngestResult = { duplicate: false, changes: [], outbound: [], media: [], responseGreeting: null };
  const dedup = insertRow(deps.db, processedUpdates, { integrationId: integration.id, dedupKey: update.dedupKey, receivedAt: clock(deps) });
  let read = prefetched ?? (await readUpdate(deps.db, integration.id, update, clock(deps)));
  if (await read.processed()) return { ...result, duplicate: true };

  const events = update.events.length === 0 ? [{ type: 'ignored', reason: 'empty' } as InboundEvent] : update.events;
  for (const [i, event] of events.entries()) {
    // Only the first event's batch carries the dedup key; an update has one event in practice.
    const first = i === 0;
    for (let attempt = 0; ; attempt++) {
      const ctx: PlanContext = { db: deps.db, integration, read, pickManager: deps.pickManager, t: clock(deps), plan: emptyPlan() };
      const plan = await planEvent(ctx, event);
      // Rows read ahead serve one plan only: after its batch (or a lost race) they may be stale.
      read = read.fresh();
      const writes = first ? [dedup, ...plan.writes] : plan.writes;
      try {
        // An update of one event (all of them in practice) reads what its live frames need in the same
        // batch, after its writes: the publish then reads nothing back.
        if (events.length === 1) result.liveRows = (await writeWithLiveRows(deps.db, writes, plan.changes)).liveRows;
        else await runBatch(deps.db, writes);
      } catch (err) {
        // A concurrent copy of this update won the dedup key: this one is a replay.
        if (first && (await read.processed())) return { ...result, duplicate: true };
        // A concurrent first message from the same client created the contact or chat: plan again.
        if (attempt < 3 && isConstraintError(err)) continue;
        throw err;
      }
      result.changes.push(...plan.changes);
      result.outbound.push(...plan.outbound);
      result.media.push(...plan.media);
      result.responseGreeting ??= plan.responseGreeting;
      if (plan.acks.length) (result.acks ??= []).push(...plan.acks);
      break;
    }
  }
  return result;
}

async function planEvent(ctx: PlanContext, event: InboundEvent): Promise<Plan> {
  switch (event.type) {
    case 'message':
      await planClientMessage(ctx, event);
      break;
    case 'conversation_started':
      await planConversationStarted(ctx, event);
      break;
    case 'subscribed':
      await planSubscription(ctx, event.sender.externalId, true, event.sender);
      break;
    case 'unsubscribed':
      await planSubscription(ctx, event.externalUserId, false);
      break;
    case 'resubscribed':
      await planSubscription(ctx, event.externalUserId, true);
      break;
    case 'receipt':
      await planReceipt(ctx, event);
      break;
    case 'edited':
      await planEdit(ctx, event);
      break;
    case 'choice':
      await planChoice(ctx, event);
      break;
    case 'ignored':
      // A press we have no use for is still answered, or the client's button keeps spinning.
      if (event.ackId) ctx.plan.acks.push({ ackId: event.ackId, text: '' });
      break;
  }
  return ctx.plan;
}

function isConstraintError(err: unknown): boolean {
  return /UNIQUE constraint|SQLITE_CONSTRAINT/i.test(String((err as Error)?.message ?? err) + String((err as { cause?: Error })?.cause?.message ?? ''));
}
