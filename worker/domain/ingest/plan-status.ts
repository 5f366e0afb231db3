/**
 * Ingest of the events that are not client messages: subscriptions and blocks, delivery receipts of our
 * own messages, and client edits.
 */
import { and, eq } from 'drizzle-orm';
import { inJsonList } from '../../data/json-list';
import { contactIdentities, messages } from '../../data/schema';
import type { InboundEvent, InboundSender } from '../../messengers/types';
import { planTimelineEvent, resolveContact, type PlanContext } from './plan';

/** Subscribe / unsubscribe / block / unblock: marks whether the person can be written to. */
export async function planSubscription(ctx: PlanContext, externalUserId: string, reachable: boolean, sender?: InboundSender): Promise<void> {
  const { db, integration, plan } = ctx;
  if (sender) await resolveContact(ctx, sender);
  plan.writes.push(
    db.update(contactIdentities).set({ reachable }).where(and(eq(contactIdentities.integrationId, integration.id), eq(contactIdentities.externalId, externalUserId))),
  );
  const chat = await ctx.read.chat(externalUserId);
  if (chat && !sender) planTimelineEvent(ctx, chat.id, reachable ? 'client_resubscribed' : 'client_unsubscribed', {});
}

const statusRank = { sending: 0, sent: 1, delivered: 2, seen: 3 } as const;

/**
 * Delivery receipts move our messages forward only (sent → delivered → seen; failed is terminal).
 * A `seen` means everything up to that message is read.
 */
export async function planReceipt(ctx: PlanContext, event: Extract<InboundEvent, { type: 'receipt' }>): Promise<void> {
  const { db, plan } = ctx;
  const target = await ctx.read.outgoingMessage(event.externalUserId, event.externalMessageId);
  if (!target || target.status === 'failed') return;
  if (event.status === 'failed') {
    plan.writes.push(db.update(messages).set({ status: 'failed', error: event.reason ?? 'The messenger rejected the message', nextAttemptAt: null }).where(eq(messages.id, target.id)));
    plan.changes.push({ kind: 'message_status', chatId: target.chatId, messageId: target.id });
    return;
  }
  const reached = event.status;
  const advanceable = (['sent', 'delivered'] as const).filter((s) => statusRank[s] < statusRank[reached]);
  const moved = await ctx.read.outgoingToAdvance(target, advanceable, reached === 'seen');
  if (moved.length === 0) return;
  // One JSON parameter: a seen after a long unread run may move more ids than D1's 100 bound parameters.
  plan.writes.push(db.update(messages).set({ status: reached }).where(inJsonList(messages.id, moved)));
  for (const messageId of moved) plan.changes.push({ kind: 'message_status', chatId: target.chatId, messageId });
}

/** A client's edit replaces the stored text and leaves a trace in the timeline. */
export async function planEdit(ctx: PlanContext, event: Extract<InboundEvent, { type: 'edited' }>): Promise<void> {
  const chat = await ctx.read.chat(event.sender.externalChatId);
  if (!chat) return;
  const original = await ctx.read.incomingMessage(chat.id, event.externalMessageId);
  if (!original) return;
  ctx.plan.writes.push(ctx.db.update(messages).set({ text: event.text, editedAt: ctx.t }).where(eq(messages.id, original.id)));
  ctx.plan.changes.push({ kind: 'message_status', chatId: chat.id, messageId: original.id });
  planTimelineEvent(ctx, chat.id, 'message_edited', { messageId: original.id, previousText: original.text });
}
