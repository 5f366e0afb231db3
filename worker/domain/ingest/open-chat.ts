/**
 * The client's chat for an incoming message or greeting: the open one, a closed one reopened, or a new
 * one assigned by the queue with an opportunity in the integration's funnel.
 */
import { eq } from 'drizzle-orm';
import { chats, opportunities } from '../../data/schema';
import type { InboundSender } from '../../messengers/types';
import { newConversationId } from '../../shared/ids';
import { cancelPendingSurveys } from '../csat';
import { planTimelineEvent, type PlanContext } from './plan';
import { insertRow } from '../../data/statement-template';

export interface OpenChat {
  chatId: string;
  created: boolean;
  reopened: boolean;
  awaitingFirstText: boolean;
  /** The out-of-office reply of the chat's current burst, if any (hours/out-of-office.ts). */
  outOfOfficeAt: number | null;
}

/**
 * Makes sure the client has an open chat: appends to an open one, reopens a closed one (the queue gives
 * it back to its last manager if they may take chats, else to the next), or creates one assigned by the queue.
 */
export async function ensureOpenChat(
  ctx: PlanContext, sender: InboundSender, contact: { contactId: string; name: string },
  opts: { preview: string; inbound: boolean; awaitingFirstText: boolean },
): Promise<OpenChat> {
  const { db, integration, plan, t } = ctx;
  const activity = { lastMessageAt: t, lastMessagePreview: opts.preview, ...(opts.inbound ? { lastInboundAt: t } : {}) };
  const existing = await ctx.read.chat(sender.externalChatId);
  if (existing?.status === 'open') {
    plan.writes.push(db.update(chats).set(activity).where(eq(chats.id, existing.id)));
    plan.changes.push({ kind: 'chat_updated', chatId: existing.id, reason: 'message' });
    return { chatId: existing.id, created: false, reopened: false, awaitingFirstText: existing.awaitingFirstText, outOfOfficeAt: existing.outOfOfficeAt };
  }
  if (existing) {
    const previous = existing.responsibleId ?? existing.lastResponsibleId;
    // The queue decides: back to the previous manager if the bot's rule lets them take chats (active,
    // and available / online as the bot asks), else the next in the rotation.
    const responsibleId = await ctx.pickManager(integration.id, sender.externalChatId, previous);
    plan.writes.push(
      db.update(chats).set({ ...activity, status: 'open', responsibleId, closedAt: null }).where(eq(chats.id, existing.id)),
      // A reopen before the client answered the satisfaction survey cancels it.
      cancelPendingSurveys(db, existing.id, t),
    );
    planTimelineEvent(ctx, existing.id, 'reopened', { responsibleId, byClient: true });
    plan.changes.push({ kind: 'chat_updated', chatId: existing.id, reason: 'reopened' });
    return { chatId: existing.id, created: false, reopened: true, awaitingFirstText: existing.awaitingFirstText, outOfOfficeAt: existing.outOfOfficeAt };
  }

  const chatId = newConversationId(t);
  const responsibleId = await ctx.pickManager(integration.id, sender.externalChatId, null, ctx.read.newChatRotation(sender.externalChatId));
  plan.writes.push(
    insertRow(db, chats, {
      id: chatId, integrationId: integration.id, channel: integration.channel, contactId: contact.contactId,
      externalChatId: sender.externalChatId, status: 'open', responsibleId, startedAt: t, ...activity,
      awaitingFirstText: opts.awaitingFirstText, roomOpened: false,
    }),
  );
  planTimelineEvent(ctx, chatId, 'opened', {});
  planTimelineEvent(ctx, chatId, responsibleId ? 'assigned' : 'unassigned', { responsibleId, byQueue: true });
  await planOpportunity(ctx, { chatId, contactId: contact.contactId, contactName: contact.name, responsibleId });
  plan.changes.push({ kind: 'chat_created', chatId });
  return { chatId, created: true, reopened: false, awaitingFirstText: opts.awaitingFirstText, outOfOfficeAt: null };
}

/** A new chat opens "«contact» — «bot»" in the first stage of the integration's funnel, if it has one. */
async function planOpportunity(ctx: PlanContext, chat: { chatId: string; contactId: string; contactName: string; responsibleId: string | null }) {
  const { db, integration, t } = ctx;
  if (!integration.funnelId) return;
  const stageId = await ctx.read.firstStageId();
  if (!stageId) return;
  const opportunityId = newConversationId(t);
  const title = `${chat.contactName} — ${integration.name}`;
  ctx.plan.writes.push(
    insertRow(db, opportunities, {
      id: opportunityId, title, contactId: chat.contactId, funnelId: integration.funnelId, stageId,
      responsibleId: chat.responsibleId, chatId: chat.chatId, createdAt: t, updatedAt: t,
    }),
  );
  planTimelineEvent(ctx, chat.chatId, 'opportunity_created', { opportunityId, title });
}
