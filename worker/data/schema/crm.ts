/** The sales side: opportunities, tasks, projects and their links to chats. */
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './people';
import { funnelStages, funnels } from './bots';
import { contacts } from './contacts';
import { chats } from './chats';

export const opportunityOutcomes = ['won', 'lost'] as const;

export const opportunities = sqliteTable('opportunities', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  contactId: text('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
  funnelId: text('funnel_id').notNull().references(() => funnels.id),
  stageId: text('stage_id').notNull().references(() => funnelStages.id),
  amount: real('amount'),
  responsibleId: text('responsible_id').references(() => users.id),
  chatId: text('chat_id').references(() => chats.id, { onDelete: 'set null' }),
  /** null while open; a won or lost opportunity leaves the board. */
  outcome: text('outcome', { enum: opportunityOutcomes }),
  outcomeReason: text('outcome_reason'),
  closedAt: integer('closed_at'),
  /** When it last moved to another stage (its age on the board's column), with the stage it came from. */
  stageChangedAt: integer('stage_changed_at'),
  previousStageId: text('previous_stage_id'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  index('opportunities_contact').on(t.contactId), index('opportunities_chat').on(t.chatId),
  // The board: one column (the open opportunities of a stage) newest first, and its totals.
  // amount last: a column's count and total come from the index alone, without a row lookup per deal.
  index('opportunities_board').on(t.funnelId, t.outcome, t.stageId, t.createdAt, t.id, t.amount),
]);

export const tasks = sqliteTable('tasks', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  assigneeId: text('assignee_id').references(() => users.id),
  dueAt: integer('due_at'),
  done: integer('done', { mode: 'boolean' }).notNull().default(false),
  /** A task created from a contact's page (a merge moves it to the survivor). */
  contactId: text('contact_id'),
  createdBy: text('created_by').references(() => users.id),
  createdAt: integer('created_at').notNull(),
}, (t) => [index('tasks_assignee_due').on(t.assigneeId, t.done, t.dueAt), index('tasks_contact').on(t.contactId)]);

export const projects = sqliteTable('projects', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  createdBy: text('created_by').references(() => users.id),
  createdAt: integer('created_at').notNull(),
});

export const linkKinds = ['task', 'project'] as const;

export const chatLinks = sqliteTable('chat_links', {
  chatId: text('chat_id').notNull().references(() => chats.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: linkKinds }).notNull(),
  linkedId: text('linked_id').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.chatId, t.kind, t.linkedId] }), index('chat_links_target').on(t.kind, t.linkedId)]);
