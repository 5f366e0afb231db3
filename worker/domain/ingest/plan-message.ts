/**
 * A client's message and Viber's conversation_started: the contact, the open chat, the message, and the
 * bot's greeting or auto-reply when this is the client's first contact or first text — or, outside
 * business hours, the out-of-office text instead of the auto-reply, once per burst (hours/out-of-office.ts).
 */
import { eq } from 'drizzle-orm';
import { chats, contactIdentities, messages } from '../../data/schema';
import type { InboundEvent } from '../../messengers/types';
import { newId } from '../../shared/ids';
import { messagePreview } from '../../shared/preview';
import { hoursAt } from '../hours';
import { ensureOpenChat } from './open-chat';
import { planOutOfOffice } from './plan-out-of-office';
import { planCsatComment } from './plan-choice';
import { identityOf, planTimelineEvent, resolveContact, type PlanContext } from './plan';
import { insertRow } from '../../data/statement-template';

export async function planClientMessage(ctx: PlanContext, event: Extract<InboundEvent, { type: 'message' }>): Promise<void> {
  const { db, integration, plan, t } = ctx;
  // In a closed chat, the first text after a survey's rating is its comment, not a new conversation.
  if (await planCsatComment(ctx, event)) return;
  const contact = await resolveContact(ctx, event.sender);
  const attachments = attachmentsOf(event);
  const isStart = !!event.isStart;
  const chat = await ensureOpenChat(ctx, event.sender, contact, { preview: messagePreview(event.text, attachments), inbound: true, awaitingFirstText: isStart });

  const messageId = newId(t);
  plan.writes.push(
    insertRow(db, messages, {
      id: messageId, chatId: chat.chatId, direction: 'in', origin: 'client', text: event.text, attachments,
      externalId: event.externalMessageId, status: 'received', createdAt: t,
      // Pending media is re-driven by the outbox sweeper until it is kept in R2.
      nextAttemptAt: event.media ? t : null,
    }, { onConflictDoNothing: true }),
  );
  plan.changes.push({ kind: 'message', chatId: chat.chatId, messageId });
  if (event.media) plan.media.push({ messageId, media: event.media });

  if (isStart && !contact.greetedAt && integration.greetingText) {
    planBotMessage(ctx, chat.chatId, 'greeting', integration.greetingText, 'sending');
    plan.writes.push(db.update(contactIdentities).set({ greetedAt: t }).where(identityOf(integration.id, event.sender.externalId)));
  }
  const firstText = !isStart && (chat.created || chat.awaitingFirstText);
  if (firstText && chat.awaitingFirstText) plan.writes.push(db.update(chats).set({ awaitingFirstText: false }).where(eq(chats.id, chat.chatId)));
  const hours = isStart ? null : hoursAt(integration.businessHours, t);
  if (hours && !hours.open) {
    if (hours.outOfOfficeText && chat.outOfOfficeAt === null) planOutOfOffice(ctx, chat.chatId, hours.outOfOfficeText);
  } else if ((firstText || (chat.reopened && !isStart)) && integration.autoReplyText) {
    planBotMessage(ctx, chat.chatId, 'auto_reply', integration.autoReplyText, 'sending');
  }
}

/**
 * Viber's conversation_started: the person opened the bot but is not subscribed yet. The greeting can
 * only travel in the webhook response, so it is stored as already sent.
 */
export async function planConversationStarted(ctx: PlanContext, event: Extract<InboundEvent, { type: 'conversation_started' }>): Promise<void> {
  const { db, integration, plan, t } = ctx;
  const contact = await resolveContact(ctx, event.sender);
  if (contact.greetedAt || !integration.greetingText) return;
  const chat = await ensureOpenChat(ctx, event.sender, contact, { preview: integration.greetingText, inbound: false, awaitingFirstText: true });
  planBotMessage(ctx, chat.chatId, 'greeting', integration.greetingText, 'sent');
  plan.writes.push(db.update(contactIdentities).set({ greetedAt: t }).where(identityOf(integration.id, event.sender.externalId)));
  plan.responseGreeting = integration.greetingText;
}

const sentEvents = { greeting: 'greeting_sent', auto_reply: 'auto_reply_sent' } as const;

function planBotMessage(ctx: PlanContext, chatId: string, origin: keyof typeof sentEvents, text: string, status: 'sending' | 'sent') {
  const { plan, t } = ctx;
  const messageId = newId(t);
  plan.writes.push(insertRow(ctx.db, messages, { id: messageId, chatId, direction: 'out', origin, text, attachments: [], status, createdAt: t, nextAttemptAt: status === 'sending' ? t : null }));
  plan.changes.push({ kind: 'message', chatId, messageId });
  planTimelineEvent(ctx, chatId, sentEvents[origin], { messageId });
  if (status === 'sending') plan.outbound.push({ messageId, chatId });
}

export function attachmentsOf(event: Extract<InboundEvent, { type: 'message' }>): unknown[] {
  const list: unknown[] = [];
  // `ref` (file_id / expiring URL) stays on the row so a re-drive can fetch the file after a restart.
  if (event.media) list.push({ kind: event.media.kind, fileName: event.media.fileName ?? event.media.kind, mimeType: event.media.mimeType ?? 'application/octet-stream', size: event.media.size ?? null, pending: true, ref: event.media.ref });
  if (event.location) list.push({ kind: 'location', ...event.location });
  if (event.contactCard) list.push({ kind: 'contact', ...event.contactCard });
  return list;
}
