/**
 * The satisfaction survey's answers as they arrive: a press on the rating buttons (Telegram
 * callback_query, Viber keyboard reply) and the comment, the client's first text after rating. Both
 * are judged by the csat rules; only presses and texts in closed chats ever get here or cost a read.
 */
import { messages } from '../../data/schema';
import type { InboundEvent } from '../../messengers/types';
import { CSAT_CHOICE, CSAT_TEXTS } from '../../shared/csat';
import { newId } from '../../shared/ids';
import { COMMENT_MAX, commentWrite, judgeRating, latestSurvey, rateWrite, takesComment } from '../csat';
import { guardedEventInsert } from '../runtime';
import type { PlanContext } from './plan';

/** A button press: a rating is stored (with its timeline event and the bot's thanks); the press is always answered. */
export async function planChoice(ctx: PlanContext, event: Extract<InboundEvent, { type: 'choice' }>): Promise<void> {
  const { db, plan, t } = ctx;
  const ack = (text: string) => { if (event.ackId) plan.acks.push({ ackId: event.ackId, text }); };
  if (event.prompt !== CSAT_CHOICE.prompt) return ack('');
  const chat = await ctx.read.chat(event.sender.externalChatId);
  const survey = chat ? await latestSurvey(db, chat.id) : undefined;
  const verdict = judgeRating(survey, chat?.status, event.value, t);
  ack(verdict.ack);
  if (!verdict.take || !chat || !survey) return;
  // The event is written only if the guarded rating was (a second press at the same moment writes nothing).
  const rated = guardedEventInsert(db, { chatId: chat.id, type: 'csat_rated', actorId: null, data: { surveyId: survey.id, rating: verdict.rating }, at: t });
  const thanksId = newId(t);
  plan.writes.push(
    rateWrite(db, survey.id, verdict.rating, t),
    rated.write,
    db.insert(messages).values({ id: thanksId, chatId: chat.id, direction: 'out', origin: 'csat', text: CSAT_TEXTS.thanks, attachments: [], status: 'sending', nextAttemptAt: t, createdAt: t }),
  );
  plan.changes.push({ kind: 'event', chatId: chat.id, eventId: rated.id }, { kind: 'message', chatId: chat.id, messageId: thanksId });
  plan.outbound.push({ messageId: thanksId, chatId: chat.id });
}

/**
 * A client's text in a closed chat that is the survey's comment: stored on the survey and in the
 * timeline, and the chat stays closed. False (nothing planned) when it is an ordinary message.
 */
export async function planCsatComment(ctx: PlanContext, event: Extract<InboundEvent, { type: 'message' }>): Promise<boolean> {
  if (event.media || event.location || event.contactCard || event.isStart || !event.text.trim()) return false;
  const chat = await ctx.read.chat(event.sender.externalChatId);
  if (chat?.status !== 'closed') return false;
  const survey = await latestSurvey(ctx.db, chat.id);
  if (!survey || !takesComment(survey, chat.status, event.text, ctx.t)) return false;
  const comment = event.text.trim().slice(0, COMMENT_MAX);
  const commented = guardedEventInsert(ctx.db, { chatId: chat.id, type: 'csat_commented', actorId: null, data: { surveyId: survey.id, rating: survey.rating, comment }, at: ctx.t });
  ctx.plan.writes.push(commentWrite(ctx.db, survey.id, comment, ctx.t), commented.write);
  ctx.plan.changes.push({ kind: 'event', chatId: chat.id, eventId: commented.id });
  return true;
}
