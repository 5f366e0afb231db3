/**
 * Ingest: turns one verified, parsed webhook update into stored facts. Each event's writes, together
 * with the update's dedup key, go in ONE D1 batch (one transaction): either the update is fully stored
 * or not at all, so a messenger retry after a failure is processed again and a replay after success
 * is refused by the dedup key's primary key.
 */
import { and, eq, inArray, lte } from 'drizzle-orm';
import type { Db, Write } from '../data/db';
import { runBatch } from '../data/db';
import { chatEvents, chats, contactIdentities, contacts, messages, opportunities, processedUpdates, users, type EventType } from '../data/schema';
import type { InboundEvent, InboundMedia, InboundSender, ParsedUpdate } from '../messengers/types';
import { newId } from './ids';
import { chatQuery, contactQuery, firstStageQuery, lookUpUpdate, type ChatRow, type IngestLookup } from './ingest-lookup';
import type { LiveChange } from './live-change';
import { messagePreview } from './preview';

export interface IngestIntegration {
  id: string;
  channel: string;
  name: string;
  greetingText: string;
  autoReplyText: string;
  funnelId: string | null;
}

export interface IngestDeps {
  db: Db;
  now?: () => number;
  /**
   * The integration's round-robin queue: who gets a new chat (null = leave unassigned). The chat key
   * makes a repeated ask for the same chat (a retried or concurrent first message) cost no extra turn.
   */
  pickManager: (integrationId: string, chatKey?: string) => Promise<string | null>;
}

export interface IngestResult {
  duplicate: boolean;
  changes: LiveChange[];
  /** Stored outgoing bot messages (greeting / auto-reply) to hand to the outbox. */
  outbound: string[];
  /** Client media to fetch from the messenger and keep in R2. */
  media: { messageId: string; media: InboundMedia }[];
  /** A greeting the protocol wants in the webhook response body (Viber conversation_started). */
  responseGreeting: string | null;
}

/** Stores one update. Safe to call concurrently and repeatedly with the same update. */
export async function ingestUpdate(deps: IngestDeps, integration: IngestIntegration, update: ParsedUpdate): Promise<IngestResult> {
  const result: IngestResult = { duplicate: false, changes: [], outbound: [], media: [], responseGreeting: null };
  const dedup = deps.db.insert(processedUpdates).values({ integrationId: integration.id, dedupKey: update.dedupKey, receivedAt: now(deps) });
  // One round trip for the dedup check and the rows the first event needs (ingest-lookup.ts).
  const lookup = await lookUpUpdate(deps.db, integration, update);
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

interface Plan {
  writes: Write[];
  changes: LiveChange[];
  outbound: string[];
  media: { messageId: string; media: InboundMedia }[];
  responseGreeting: string | null;
}

/** Plan functions may use rows prefetched for this update's sender. */
type PlanDeps = IngestDeps & { lookup?: IngestLookup };

/** The prefetched rows when they were read for this very sender. */
function hintFor(deps: PlanDeps, sender: InboundSender): IngestLookup | undefined {
  const l = deps.lookup;
  return l?.sender && l.sender.externalId === sender.externalId && l.sender.externalChatId === sender.externalChatId ? l : undefined;
}

const emptyPlan = (): Plan => ({ writes: [], changes: [], outbound: [], media: [], responseGreeting: null });

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

/** Finds the contact behind a messenger user, or plans its creation. */
async function resolveContact(deps: PlanDeps, integration: IngestIntegration, sender: InboundSender, plan: Plan, t: number) {
  const hint = hintFor(deps, sender);
  const found = hint ? hint.contact : (await contactQuery(deps.db, integration.id, sender.externalId))[0];
  if (found) {
    if (!found.reachable) plan.writes.push(deps.db.update(contactIdentities).set({ reachable: true }).where(eq(contactIdentities.id, found.identityId)));
    return { ...found, isNew: false };
  }
  const contactId = newId(t);
  const identityId = newId(t);
  plan.writes.push(
    deps.db.insert(contacts).values({ id: contactId, name: sender.name, username: sender.username ?? null, avatarUrl: sender.avatarUrl ?? null, createdAt: t, updatedAt: t }),
    deps.db.insert(contactIdentities).values({ id: identityId, contactId, integrationId: integration.id, channel: integration.channel, externalId: sender.externalId, createdAt: t }),
  );
  return { contactId, identityId, greetedAt: null as number | null, reachable: true, name: sender.name, isNew: true };
}

async function findChat(db: Db, integrationId: string, externalChatId: string): Promise<ChatRow | undefined> {
  return (await chatQuery(db, integrationId, externalChatId))[0];
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
  const stageId = deps.lookup?.firstStageId !== undefined ? deps.lookup.firstStageId : (await firstStageQuery(deps.db, integration.funnelId))[0]?.id;
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
  if (status === 'sending') plan.outbound.push(messageId);
}

/** Subscribe / unsubscribe / block / unblock: marks whether the person can be written to. */
async function planSubscription(deps: PlanDeps, integration: IngestIntegration, externalUserId: string, reachable: boolean, sender?: InboundSender): Promise<Plan> {
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
async function planReceipt(deps: PlanDeps, integration: IngestIntegration, event: Extract<InboundEvent, { type: 'receipt' }>): Promise<Plan> {
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
async function planEdit(deps: PlanDeps, integration: IngestIntegration, event: Extract<InboundEvent, { type: 'edited' }>): Promise<Plan> {
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

/** A timeline event stored with the plan's batch and published with its changes (open chat windows show it live). */
function planTimelineEvent(deps: IngestDeps, plan: Plan, chatId: string, type: EventType, data: Record<string, unknown>, t: number) {
  const eventId = newId(t);
  plan.writes.push(deps.db.insert(chatEvents).values({ id: eventId, chatId, type, data, createdAt: t }));
  plan.changes.push({ kind: 'event', chatId, eventId });
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

function now(deps: IngestDeps): number {
  return deps.now ? deps.now() : Date.now();
}
