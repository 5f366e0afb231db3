/**
 * Tasks: the smallest real to-do a chat can point at (title, assignee, due date, done). Created from a
 * chat, a task is linked to it in the same batch.
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { chatLinks, tasks, users } from '../../data/schema';
import { can, type SessionUser } from '../access';
import { badRequest, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { chatFor, insertLinked } from './chat-context';
import { getContact } from './contacts';
import { clock, publishAll, type Deps } from '../runtime';

export type TaskView = typeof tasks.$inferSelect;

export interface TaskFilter {
  assigneeId?: string;
  done?: boolean;
  chatId?: string;
  contactId?: string;
  /** Only the user's own tasks. */
  mine?: boolean;
  /** 'due': earliest due date first (so overdue ones lead), undated last. */
  order?: 'newest' | 'due';
  limit: number;
}

/**
 * Tasks, newest first, optionally only one assignee's, only (not) done, or only those linked to a chat;
 * each with the chats it is linked to (`chatIds`) — for someone without the whole CRM (an observer, who
 * lists only through a chat they observe), just that chat.
 */
export async function listTasks(db: Db, user: SessionUser, filter: TaskFilter): Promise<(TaskView & { chatIds: string[] })[]> {
  const where: SQL[] = [];
  if (filter.assigneeId) where.push(eq(tasks.assigneeId, filter.assigneeId));
  if (filter.mine) where.push(eq(tasks.assigneeId, user.id));
  if (filter.contactId) where.push(eq(tasks.contactId, filter.contactId));
  if (filter.done !== undefined) where.push(eq(tasks.done, filter.done));
  if (filter.chatId) {
    await chatFor(db, user, filter.chatId, 'chat:crm_read');
    const linked = db.select({ id: chatLinks.linkedId }).from(chatLinks).where(and(eq(chatLinks.chatId, filter.chatId), eq(chatLinks.kind, 'task')));
    where.push(inArray(tasks.id, linked));
  }
  const order = filter.order === 'due' ? [asc(tasks.done), sql`${tasks.dueAt} IS NULL`, asc(tasks.dueAt), desc(tasks.id)] : [desc(tasks.id)];
  // One correlated lookup per listed task on chat_links_target: no id list to bind.
  const linkedChats = sql<string | null>`(SELECT group_concat(${chatLinks.chatId}) FROM ${chatLinks} WHERE ${chatLinks.kind} = 'task' AND ${chatLinks.linkedId} = ${tasks.id})`;
  const rows = await db.select({ task: tasks, linkedChats }).from(tasks).where(and(...where)).orderBy(...order).limit(filter.limit).all();
  const seesAll = can(user, 'crm:view');
  return rows.map(({ task, linkedChats: ids }) => {
    const chatIds = ids ? ids.split(',') : [];
    return { ...task, chatIds: seesAll ? chatIds : chatIds.filter((id) => id === filter.chatId) };
  });
}

export interface NewTask {
  title: string;
  assigneeId?: string | null;
  dueAt?: number | null;
  chatId?: string;
  /** Created from a contact's page: the task belongs to that contact. */
  contactId?: string;
}

/** Creates a task; with `chatId`, links it to the chat (chat_links + `linked` event) in the same batch. */
export async function createTask(deps: Deps, user: SessionUser, input: NewTask): Promise<TaskView> {
  const { db } = deps;
  const chat = input.chatId ? await chatFor(db, user, input.chatId, 'chat:crm', 'chat:link') : null;
  if (input.assigneeId) await assertAssignable(db, input.assigneeId);
  const contactId = input.contactId ?? chat?.contactId ?? null;
  if (input.contactId) await getContact(db, input.contactId);
  const t = clock(deps);
  const row: TaskView = { id: newId(t), title: input.title, assigneeId: input.assigneeId ?? null, dueAt: input.dueAt ?? null, done: false, contactId, createdBy: user.id, createdAt: t };
  await insertLinked(deps, db.insert(tasks).values(row), chat && { chatId: chat.id, kind: 'task', linkedId: row.id, title: row.title, actorId: user.id, t });
  return row;
}

export interface TaskPatch {
  title?: string;
  done?: boolean;
  assigneeId?: string | null;
  dueAt?: number | null;
}

/** Edits a task; chats it is linked to are told so their side panels refresh. */
export async function updateTask(deps: Deps, id: string, patch: TaskPatch): Promise<TaskView> {
  const { db } = deps;
  const before = await db.select().from(tasks).where(eq(tasks.id, id)).get();
  if (!before) throw notFound('Task');
  if (patch.assigneeId) await assertAssignable(db, patch.assigneeId);
  const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<TaskView>;
  if (Object.keys(set).length === 0) return before;
  await db.update(tasks).set(set).where(eq(tasks.id, id));
  const linked = await db.select({ chatId: chatLinks.chatId }).from(chatLinks).where(and(eq(chatLinks.kind, 'task'), eq(chatLinks.linkedId, id))).all();
  await publishAll(deps, linked.map((l) => ({ kind: 'chat_updated' as const, chatId: l.chatId, reason: 'other' as const })));
  return { ...before, ...set };
}

async function assertAssignable(db: Db, userId: string): Promise<void> {
  const user = await db.select({ active: users.active }).from(users).where(eq(users.id, userId)).get();
  if (!user) throw notFound('Assignee');
  if (!user.active) throw badRequest('assignee_inactive', 'This user has been deactivated');
}
