/**
 * Surveys in D1: asking when a chat is closed, the chat's latest survey, and the cancel a reopen writes.
 * The question is an outgoing message (origin `csat`) delivered by the outbox like any reply; the outbox
 * adds the 1–5 buttons to it because a survey names it as its question.
 */
import { and, desc, eq, isNull } from 'drizzle-orm';
import { runBatch, type Db, type Write } from '../../data/db';
import { chatEvents, chats, csatRatings, integrations, messages } from '../../data/schema';
import { CSAT_TEXTS } from '../../shared/csat';
import { newId } from '../../shared/ids';
import type { LiveChange } from '../live';
import type { OutboxMessage } from '../outbound';
import { clock } from '../runtime';
import type { Survey } from './rules';

export interface Asked {
  surveyId: string | null;
  changes: LiveChange[];
  outbound: OutboxMessage[];
}

/**
 * Asks the client of a just closed chat for a rating, if its bot asks (integration `csatEnabled`) and
 * can still write to them. Any earlier unanswered survey of the chat is cancelled: one per conversation.
 */
export async function askOnClose(deps: { db: Db; now?: () => number }, chatId: string): Promise<Asked> {
  const { db } = deps;
  const none: Asked = { surveyId: null, changes: [], outbound: [] };
  const chat = await db.select({
    status: chats.status, integrationId: chats.integrationId, responsibleId: chats.responsibleId, lastResponsibleId: chats.lastResponsibleId,
    csatEnabled: integrations.csatEnabled, enabled: integrations.enabled, removedAt: integrations.removedAt,
  }).from(chats).innerJoin(integrations, eq(integrations.id, chats.integrationId)).where(eq(chats.id, chatId)).get();
  if (!chat || chat.status !== 'closed' || !chat.csatEnabled || !chat.enabled || chat.removedAt !== null) return none;
  const t = clock(deps);
  const surveyId = newId(t);
  const messageId = newId(t);
  const eventId = newId(t);
  await runBatch(db, [
    cancelPendingSurveys(db, chatId, t),
    db.insert(messages).values({
      id: messageId, chatId, direction: 'out', origin: 'csat', text: CSAT_TEXTS.question, attachments: [], status: 'sending', nextAttemptAt: t, createdAt: t,
    }),
    db.insert(csatRatings).values({
      id: surveyId, chatId, integrationId: chat.integrationId, managerId: chat.responsibleId ?? chat.lastResponsibleId,
      questionMessageId: messageId, askedAt: t,
    }),
    db.insert(chatEvents).values({ id: eventId, chatId, type: 'csat_asked', data: { surveyId, messageId }, createdAt: t }),
  ]);
  return {
    surveyId,
    changes: [{ kind: 'message', chatId, messageId }, { kind: 'event', chatId, eventId }],
    outbound: [{ messageId, chatId }],
  };
}

/** The write that cancels a chat's unanswered survey (a reopen before the answer); harmless when there is none. */
export function cancelPendingSurveys(db: Db, chatId: string, t: number): Write {
  return db.update(csatRatings).set({ cancelledAt: t })
    .where(and(eq(csatRatings.chatId, chatId), isNull(csatRatings.rating), isNull(csatRatings.cancelledAt)));
}

/** The chat's latest survey, if it was ever asked. */
export function latestSurvey(db: Db, chatId: string): Promise<Survey | undefined> {
  return db.select({
    id: csatRatings.id, chatId: csatRatings.chatId, rating: csatRatings.rating, comment: csatRatings.comment,
    askedAt: csatRatings.askedAt, ratedAt: csatRatings.ratedAt, cancelledAt: csatRatings.cancelledAt,
  }).from(csatRatings).where(eq(csatRatings.chatId, chatId)).orderBy(desc(csatRatings.askedAt), desc(csatRatings.id)).limit(1).get();
}

/** Whether an outgoing message is a survey's question (the outbox then sends it with the rating buttons). */
export async function isSurveyQuestion(db: Db, messageId: string): Promise<boolean> {
  return !!(await db.select({ id: csatRatings.id }).from(csatRatings).where(eq(csatRatings.questionMessageId, messageId)).get());
}

/** The survey's rating: written only while it is unanswered and not cancelled (two presses at once: one wins). */
export function rateWrite(db: Db, surveyId: string, rating: number, t: number): Write {
  return db.update(csatRatings).set({ rating, ratedAt: t })
    .where(and(eq(csatRatings.id, surveyId), isNull(csatRatings.rating), isNull(csatRatings.cancelledAt)));
}

/** The survey's comment: written only once, after the rating. */
export function commentWrite(db: Db, surveyId: string, comment: string, t: number): Write {
  return db.update(csatRatings).set({ comment, commentedAt: t })
    .where(and(eq(csatRatings.id, surveyId), isNull(csatRatings.comment)));
}
