/**
 * Ingest: turns one verified, parsed webhook update into stored facts. Each event's writes, together
 * with the update's dedup key, go in ONE D1 batch (one transaction): either the update is fully stored
 * or not at all, so a messenger retry after a failure is processed again and a replay after success
 * is refused by the dedup key's primary key.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { runBatch } from '../../data/db';
import { chats, contactIdentities, messages, opportunities, processedUpdates, users } from '../../data/schema';
import type { InboundEvent, InboundSender, ParsedUpdate } from '../../messengers/types';
import { newId } from '../../shared/ids';
import { firstStageQuery, lookUpUpdate, type IngestLookup } from './lookup';
import {
  emptyPlan, findChat, hintFor, now, planTimelineEvent, resolveContact,
  type IngestDeps, type IngestIntegration, type IngestResult, type Plan, type PlanDeps,
} from './plan';
import { planEdit, planReceipt, planSubscription } from './status';
import { messagePreview } from '../../shared/preview';

export type { IngestDeps, IngestIntegration, IngestResult } from './plan';

/**
 * Stores one update. Safe to call concurrently and repeatedly with the same update. `prefetched` is
 * the lookup when the caller already read it in its own batch (the webhook reads it with the integration).
 */
export async function ingestUpdate(deps: IngestDeps, integration: IngestIntegration, update: ParsedUpdate, prefetched?: IngestLookup): Promise<IngestResult> {
  const result: IngestResult = { duplicate: false, changes: [], outbound: [], media: [], responseGreeting: null };
  const dedup = deps.db.insert(processedUpdates).values({ integrationId: integration.id, dedupKey: update.dedupKey, receivedAt: now(deps) });
  // One round trip for the dedup check and the rows the first event needs (ingest-lookup.ts).
  const lookup = prefetched ?? (await lookUpUpdate(deps.db, integration, update));
  if (lookup.processed) return { ...result, duplicate: true };

  const writesFor = update.events.length === 0 ? [{ type: 'ignored', reason: 'empty' } as InboundEvent] : update.events;
  for (const [i, event] of writesFor.entries()) {
    // Only the first event's batch carries the dedup key; an update has one event in practice.
    const first = i === 0;
    for (let attempt = 0; ; attempt++) {
      // The prefetched rows serve the first try only; a retry after a race reads afresh.
      const plan = await planEvent(first && attempt === 0 ? { ...deps, lookup } : deps, integration, event);
      try {
        await runBatch(deps.db, first ? [dedup, ...plan.writes] : plan.writes);
      } catch (err) {
        // A concurrent copy of this update won the dedup key: this one is a replay.
        if (first && (await isProcessed(deps.db, integration.id, update.dedupKey))) return { ...result, duplicate: true };
        // A concurrent first message from the same client created the contact or chat: plan again.
        if (attempt < 3 && isConstraintError(err)) continue;
        throw err;
      }
      result.changes.push(...plan.changes);
      result.outbound.push(...plan.outbound);
      result.media.push(...plan.media);
      result.responseGreeting ??= plan.responseGreeting;
      break;
    }
  }
  return result;
}

async function planEvent(deps: PlanDeps, integration: IngestIntegration, event: InboundEvent): Promise<Plan> {
  switch (event.type) {
    case 'message':
      return planClientMessage(deps, integration, event);
    case 'conversation_started':
      return planConversationStarted(deps, integration, event);
    case 'subscribed':
      return planSubscription(deps, integration, event.sender.externalId, true, event.sender);
    case 'unsubscribed':
      return planSubscription(deps, integration, event.externalUserId, false);
    case 'resubscribed':
      return planSubscription(deps, integration, event.externalUserId, true);
    case 'receipt':
      return planReceipt(deps, integration, event);
    case 'edited':
      return planEdit(deps, integration, event);
    case 'ignored':
      return emptyPlan();
  }
}

/**
 * Makes sure the client has an open chat: appends to an open one, reopens a closed one back to its
 * last manager (the queue decides if that manager is gone), or creates one assigned by the queue with
 * an opportunity in the integration's funnel.
 */
async function ensureOpenChat(
  deps: PlanDeps, integration: IngestIntegration, sender: InboundSender,
  contact: { contactId: string; name: string }, plan: Plan, t: number, opts: { preview: string; inbound: boolean; awaitingFirstText: boolean },
): Promise<{ chatId: string; created: boolean; reopened: boolean; awaitingFirstText: boolean }> {
  const activity = { lastMessageAt: t, lastMessagePreview: opts.preview, ...(opts.inbound ? { lastInboundAt: t } : {}) };
  const hint = hintFor(deps, sender);
  const existing = hint ? hint.chat : await findChat(deps.db, integration.id, sender.externalChatId);
  if (existing?.status === 'open') {
    plan.writes.push(deps.db.update(chats).set(activity).where(eq(chats.id, existing.id)));
    plan.changes.push({ kind: 'chat_updated', chatId: existing.id, reason: 'message' });
    return { chatId: existing.id, created: false, reopened: false, awaitingFirstText: existing.awaitingFirstText };
  }
  if (existing) {
    const previous = existing.responsibleId ?? existing.lastResponsibleId;
    const responsibleId = (previous && (await isActiveUser(deps.db, previous))) ? previous : await deps.pickManager(integration.id, sender.externalChatId);
    plan.writes.push(deps.db.update(chats).set({ ...activity, status: 'open', responsibleId, closedAt: null }).where(eq(chats.id, existing.id)));
    planTimelineEvent(deps, plan, existing.id, 'reopened', { responsibleId, byClient: true }, t);
    plan.changes.push({ kind: 'chat_updated', chatId: existing.id, reason: 'reopened' });
    return { chatId: existing.id, created: false, reopened: true, awaitingFirstText: existing.awaitingFirstText };
  }

  const chatId = newId(t);
  const responsibleId = await deps.pickManager(integration.id, sender.externalChatId);
  plan.writes.push(
    deps.db.insert(chats).values({
      id: chatId, integrationId: integration.id, channel: integration.channel, contactId: contact.contactId,
      externalChatId: sender.externalChatId, status: 'open', responsibleId, startedAt: t, ...activity,
      awaitingFirstText: opts.awaitingFirstText,
    }),
  );
  planTimelineEvent(deps, plan, chatId, 'opened', {}, t);
  planTimelineEvent(deps, plan, chatId, responsibleId ? 'assigned' : 'unassigned', { responsibleId, byQueue: true }, t);
  await planOpportunity(deps, integration, { chatId, contactId: contact.contactId, contactName: contact.name, responsibleId }, plan, t);
  plan.changes.push({ kind: 'chat_created', chatId });
  return { chatId, created: true, reopened: false, awaitingFirstText: opts.awaitingFirstText };
}

/** A new chat opens "«contact» — «bot»" in the first stage of the integration's funnel, if it has one. */
async function planOpportunity(
  deps: PlanDeps, integration: IngestIntegration, chat: { chatId: string; contactId: string; contactName: string; responsibleId: string | null }, plan: Plan, t: number,
) {
  if (!integration.funnelId) return;
  const stageId = deps.lookup?.firstStageId !== undefined ? deps.lookup.firstStageId : (await firstStageQuery(deps.db, integration.id))[0]?.id;
  if (!stageId) return;
  const opportunityId = newId(t);
  const title = `${chat.contactName} — ${integration.name}`;
  plan.writes.push(
    deps.db.insert(opportunities).values({
      id: opportunityId, title, contactId: chat.contactId, funnelId: integration.funnelId, stageId,
      responsibleId: chat.responsibleId, chatId: chat.chatId, createdAt: t, updatedAt: t,
    }),
  );
  planTimelineEvent(deps, plan, chat.chatId, 'opportunity_created', { opportunityId, title }, t);
}

async function planClientMessage(deps: PlanDeps, integration: IngestIntegration, event: Extract<InboundEvent, { type: 'message' }>): Promise<Plan> {
  const plan = emptyPlan();
  const t = now(deps);
  const contact = await resolveContact(deps, integration, event.sender, plan, t);
  const attachments = attachmentsOf(event);
  const preview = messagePreview(event.text, attachments);
  const isStart = !!event.isStart;
  const chat = await ensureOpenChat(deps, integration, event.sender, contact, plan, t, { preview, inbound: true, awaitingFirstText: isStart });

  const messageId = newId(t);
  plan.writes.push(
    deps.db.insert(messages).values({
      id: messageId, chatId: chat.chatId, direction: 'in', origin: 'client', text: event.text, attachments,
      externalId: event.externalMessageId, status: 'received', createdAt: t,
      // Pending media is re-driven by the outbox sweeper until it is kept in R2.
      nextAttemptAt: event.media ? t : null,
    }).onConflictDoNothing(),
  );
  plan.changes.push({ kind: 'message', chatId: chat.chatId, messageId });
  if (event.media) plan.media.push({ messageId, media: event.media });

  if (isStart && !contact.greetedAt && integration.greetingText) {
    planBotMessage(deps, plan, chat.chatId, 'greeting', integration.greetingText, t, 'sending');
    plan.writes.push(deps.db.update(contactIdentities).set({ greetedAt: t }).where(eq(contactIdentities.id, contact.identityId)));
  }
  const firstText = !isStart && (chat.created || chat.awaitingFirstText);
  if (firstText && chat.awaitingFirstText) plan.writes.push(deps.db.update(chats).set({ awaitingFirstText: false }).where(eq(chats.id, chat.chatId)));
  if ((firstText || (chat.reopened && !isStart)) && integration.autoReplyText) {
    planBotMessage(deps, plan, chat.chatId, 'auto_reply', integration.autoReplyText, t, 'sending');
  }
  return plan;
}

/**
 * Viber's conversation_started: the person opened the bot but is not subscribed yet. The greeting can
 * only travel in the webhook response, so it is stored as already sent.
 */
async function planConversationStarted(deps: PlanDeps, integration: IngestIntegration, event: Extract<InboundEvent, { type: 'conversation_started' }>): Promise<Plan> {
  const plan = emptyPlan();
  const t = now(deps);
  const contact = await resolveContact(deps, integration, event.sender, plan, t);
  if (contact.greetedAt || !integration.greetingText) return plan;
  const chat = await ensureOpenChat(deps, integration, event.sender, contact, plan, t, { preview: integration.greetingText, inbound: false, awaitingFirstText: true });
  planBotMessage(deps, plan, chat.chatId, 'greeting', integration.greetingText, t, 'sent');
  plan.writes.push(deps.db.update(contactIdentities).set({ greetedAt: t }).where(eq(contactIdentities.id, contact.identityId)));
  plan.responseGreeting = integration.greetingText;
  return plan;
}

function planBotMessage(deps: IngestDeps, plan: Plan, chatId: string, origin: 'greeting' | 'auto_reply', text: string, t: number, status: 'sending' | 'sent') {
  const messageId = newId(t);
  plan.writes.push(deps.db.insert(messages).values({ id: messageId, chatId, direction: 'out', origin, text, status, createdAt: t, nextAttemptAt: status === 'sending' ? t : null }));
  plan.changes.push({ kind: 'message', chatId, messageId });
  planTimelineEvent(deps, plan, chatId, origin === 'greeting' ? 'greeting_sent' : 'auto_reply_sent', { messageId }, t);
  if (status === 'sending') plan.outbound.push({ messageId, chatId });
}

function attachmentsOf(event: Extract<InboundEvent, { type: 'message' }>): unknown[] {
  const list: unknown[] = [];
  // `ref` (file_id / expiring URL) stays on the row so a re-drive can fetch the file after a restart.
  if (event.media) list.push({ kind: event.media.kind, fileName: event.media.fileName ?? event.media.kind, mimeType: event.media.mimeType ?? 'application/octet-stream', size: event.media.size ?? null, pending: true, ref: event.media.ref });
  if (event.location) list.push({ kind: 'location', ...event.location });
  if (event.contactCard) list.push({ kind: 'contact', ...event.contactCard });
  return list;
}

async function isProcessed(db: Db, integrationId: string, dedupKey: string): Promise<boolean> {
  const row = await db.select({ k: processedUpdates.dedupKey }).from(processedUpdates)
    .where(and(eq(processedUpdates.integrationId, integrationId), eq(processedUpdates.dedupKey, dedupKey))).get();
  return !!row;
}

async function isActiveUser(db: Db, id: string): Promise<boolean> {
  const row = await db.select({ active: users.active }).from(users).where(eq(users.id, id)).get();
  return !!row?.active;
}

function isConstraintError(err: unknown): boolean {
  return /UNIQUE constraint|SQLITE_CONSTRAINT/i.test(String((err as Error)?.message ?? err) + String((err as { cause?: Error })?.cause?.message ?? ''));
}

