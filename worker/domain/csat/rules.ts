/**
 * The survey's rules as pure decisions (no D1, no clock): whether a press is a rating we take, whether
 * a client's text is the comment, and what state a survey is in. One survey per closed conversation;
 * a rating within 24 h of the question, once; a reopen before the answer cancels it.
 */
import { CSAT_CHOICE, CSAT_TEXTS, CSAT_WINDOW_MS } from '../../shared/csat';

export interface Survey {
  id: string;
  chatId: string;
  rating: number | null;
  comment: string | null;
  askedAt: number;
  ratedAt: number | null;
  cancelledAt: number | null;
}

export type SurveyState = 'asked' | 'rated' | 'cancelled' | 'expired';

/** Where a survey stands at `now`. */
export function surveyState(survey: Survey, now: number): SurveyState {
  if (survey.rating !== null) return 'rated';
  if (survey.cancelledAt !== null) return 'cancelled';
  return now - survey.askedAt > CSAT_WINDOW_MS ? 'expired' : 'asked';
}

export type RatingVerdict =
  | { take: true; rating: number; ack: string }
  | { take: false; why: 'no_survey' | 'not_a_rating' | 'already_rated' | 'cancelled' | 'expired' | 'chat_open'; ack: string };

/**
 * A press on the rating buttons. `survey` is the chat's latest; the chat must still be closed (a reopen
 * cancels the question even if the cancel has not been written yet).
 */
export function judgeRating(survey: Survey | undefined, chatStatus: 'open' | 'closed' | undefined, value: string, now: number): RatingVerdict {
  const rating = Number(value);
  const valid = CSAT_CHOICE.options.some((o) => o.value === value);
  if (!valid || !Number.isInteger(rating)) return { take: false, why: 'not_a_rating', ack: '' };
  if (!survey) return { take: false, why: 'no_survey', ack: CSAT_TEXTS.ackExpired };
  const state = surveyState(survey, now);
  if (state === 'rated') return { take: false, why: 'already_rated', ack: CSAT_TEXTS.ackAlreadyRated };
  if (state === 'cancelled') return { take: false, why: 'cancelled', ack: CSAT_TEXTS.ackExpired };
  if (state === 'expired') return { take: false, why: 'expired', ack: CSAT_TEXTS.ackExpired };
  if (chatStatus !== 'closed') return { take: false, why: 'chat_open', ack: CSAT_TEXTS.ackExpired };
  return { take: true, rating, ack: CSAT_TEXTS.ackRated };
}

/**
 * A client's text in a closed chat is the survey's comment when it is the first text after the rating,
 * within the survey's window; otherwise it is a new message (and reopens the chat as usual).
 */
export function takesComment(survey: Survey | undefined, chatStatus: 'open' | 'closed' | undefined, text: string, now: number): boolean {
  if (!survey || chatStatus !== 'closed' || survey.rating === null || survey.comment !== null) return false;
  return text.trim() !== '' && now - survey.askedAt <= CSAT_WINDOW_MS;
}

/** Comments are kept up to this many characters (a Telegram text is at most 4,096). */
export const COMMENT_MAX = 4_096;
