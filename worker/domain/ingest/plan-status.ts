/**
 * Ingest of the events that are not client messages: subscriptions and blocks, delivery receipts of our
 * own messages, and client edits.
 */
import { and, eq, inArray, lte } from 'drizzle-orm';
import { contactIdentities, messages, chats } from '../../data/schema';
import type { InboundEvent, InboundSender } from '../../messengers/types';
import { emptyPlan, findChat, now, planTimelineEvent, resolveContact, type IngestIntegration, type Plan, type PlanDeps } from './plan';

/** Subscribe / unsubscribe / block / unblock: marks whether the person can be written to. */
export async function planSubscription(deps: PlanDeps, integration: IngestIntegration, externalUserId: string, reachable: boolean, sender?: InboundSender): Promise<Plan> {
  const plan = emptyPlan();
  const t = now(deps);
  if (sender) await resolveContact(deps, integration, sender, plan, t);
  plan.writes.push(
    deps.db.update(contactIdentities).set({ reachable }).where(and(eq(contactIdentities.integrationId, integration.id), eq(contactIdentities.externalId, externalUserId))),
  );
  const chat = await findChat(deps.db, integration.id, externalUserId);
  if (chat && !sender) {
    planTimelineEvent(deps, plan, chat.id, reachable ? 'client_resubscribed' : 'client_unsubscribed', {}, t);
  }
  return plan;
}

const statusRank = { sending: 0, sent: 1, delivered: 2, seen: 3 } as const;

/**
 * Delivery receipts move our messages forward only (sent → delivered → seen; failed is terminal).
 * A `seen` means everything up to that message is read.
 */
export async function planReceipt(deps: PlanDeps, integration: IngestIntegration, event: Extract<InboundEvent, { type: 'receipt' }>): Promise<Plan> {
  const plan = emptyPlan();
  const target = await deps.db
    .select({ id: messages.id, chatId: messages.chatId, status: messages.status, createdAt: messages.createdAt })
    .from(messages)
    .innerJoin(chats, eq(chats.id, messages.chatId))
    .where(and(eq(messages.externalId, event.externalMessageId), eq(messages.direction, 'out'), eq(chats.integrationId, integration.id)))
    .get();
  if (!target || target.status === 'failed') return plan;
  if (event.status === 'failed') {
    plan.writes.push(deps.db.update(messages).set({ status: 'failed', error: event.reason ?? 'The messenger rejected the message', nextAttemptAt: null }).where(eq(messages.id, target.id)));
    plan.changes.push({ kind: 'message_status', chatId: target.chatId, messageId: target.id });
    return plan;
  }
  const reached = event.status;
  const advanceable = (['sent', 'delivered'] as const).filter((s) => statusRank[s] < statusRank[reached]);
  const scope = event.status === 'seen'
    ? and(eq(messages.chatId, target.chatId), eq(messages.direction, 'out'), lte(messages.createdAt, target.createdAt), inArray(messages.status, advanceable))
    : and(eq(messages.id, target.id), inArray(messages.status, advanceable));
  const moved = await deps.db.select({ id: messages.id }).from(messages).where(scope).all();
  if (moved.length === 0) return plan;
  plan.writes.push(deps.db.update(messages).set({ status: reached }).where(inArray(messages.id, moved.map((m) => m.id))));
  for (const m of moved) plan.changes.push({ kind: 'message_status', chatId: target.chatId, messageId: m.id });
  return plan;
}

/** A client's edit replaces the stored text and leaves a trace in the timeline. */
export async function planEdit(deps: PlanDeps, integration: IngestIntegration, event: Extract<InboundEvent, { type: 'edited' }>): Promise<Plan> {
  const plan = emptyPlan();
  const t = now(deps);
  const chat = await findChat(deps.db, integration.id, event.sender.externalChatId);
  if (!chat) return plan;
  const original = await deps.db.select({ id: messages.id, text: messages.text }).from(messages)
    .where(and(eq(messages.chatId, chat.id), eq(messages.direction, 'in'), eq(messages.externalId, event.externalMessageId))).get();
  if (!original) return plan;
  plan.writes.push(deps.db.update(messages).set({ text: event.text, editedAt: t }).where(eq(messages.id, original.id)));
  plan.changes.push({ kind: 'message_status', chatId: chat.id, messageId: original.id });
  planTimelineEvent(deps, plan, chat.id, 'message_edited', { messageId: original.id, previousText: original.text }, t);
  return plan;
}

