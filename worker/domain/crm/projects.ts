/**
 * Projects: a named piece of work (name, description) that chats can be linked to. Created from a chat,
 * a project is linked to it in the same batch.
 */
import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { chatLinks, projects } from '../../data/schema';
import type { SessionUser } from '../access';
import { newId } from '../../shared/ids';
import { chatFor, insertLinked } from './chat-context';
import { clock, type Deps } from '../runtime';

export type ProjectView = typeof projects.$inferSelect;

/** Projects, newest first; with `chatId`, only those linked to that chat. */
export async function listProjects(db: Db, user: SessionUser, filter: { chatId?: string; limit: number }): Promise<ProjectView[]> {
  const where: SQL[] = [];
  if (filter.chatId) {
    await chatFor(db, user, filter.chatId, 'chat:crm_read');
    where.push(inArray(projects.id, db.select({ id: chatLinks.linkedId }).from(chatLinks).where(and(eq(chatLinks.chatId, filter.chatId), eq(chatLinks.kind, 'project')))));
  }
  return db.select().from(projects).where(and(...where)).orderBy(desc(projects.id)).limit(filter.limit).all();
}

/** Creates a project; with `chatId`, links it to the chat (chat_links + `linked` event) in the same batch. */
export async function createProject(deps: Deps, user: SessionUser, input: { name: string; description?: string; chatId?: string }): Promise<ProjectView> {
  const { db } = deps;
  const chat = input.chatId ? await chatFor(db, user, input.chatId, 'chat:crm', 'chat:link') : null;
  const t = clock(deps);
  const row: ProjectView = { id: newId(t), name: input.name, description: input.description ?? '', createdBy: user.id, createdAt: t };
  await insertLinked(deps, db.insert(projects).values(row), chat && { chatId: chat.id, kind: 'project', linkedId: row.id, title: row.name, actorId: user.id, t });
  return row;
}
