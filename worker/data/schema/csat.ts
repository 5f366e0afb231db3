/**
 * Satisfaction surveys (CSAT): one row per closed conversation of a bot that asks. Written by
 * worker/domain/csat; read by the chat card and by reports (issue 18). A row is asked when the chat is
 * closed, rated once within 24 h of `asked_at`, optionally commented, or cancelled by a reopen first.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './people';
import { integrations } from './bots';
import { chats } from './chats';

export const csatRatings = sqliteTable('csat_ratings', {
  id: text('id').primaryKey(),
  chatId: text('chat_id').notNull().references(() => chats.id, { onDelete: 'cascade' }),
  integrationId: text('integration_id').notNull().references(() => integrations.id),
  /** Who was responsible when the chat was closed (the manager rated); null for an unassigned chat. */
  managerId: text('manager_id').references(() => users.id),
  /** Our outgoing message that carried the question and its 1–5 buttons. */
  questionMessageId: text('question_message_id').notNull(),
  /** 1–5; null until the client answers. */
  rating: integer('rating'),
  comment: text('comment'),
  askedAt: integer('asked_at').notNull(),
  ratedAt: integer('rated_at'),
  commentedAt: integer('commented_at'),
  /** Set when the chat was reopened before an answer: the survey no longer accepts one. */
  cancelledAt: integer('cancelled_at'),
}, (t) => [
  // Closing is guarded (open → closed once), so one question per closing; the message id makes it explicit.
  uniqueIndex('csat_ratings_question').on(t.questionMessageId),
  index('csat_ratings_chat').on(t.chatId, t.askedAt),
  index('csat_ratings_integration_rated').on(t.integrationId, t.ratedAt),
  index('csat_ratings_manager_rated').on(t.managerId, t.ratedAt),
]);
