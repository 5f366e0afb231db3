/**
 * A small CRM world built through the real domain functions: a funnel, a bot pointing at it, a chat
 * opened by a client (with its contact and first opportunity), a task, and optionally a queue.
 */
import { and, eq } from 'drizzle-orm';
import { createFunnel } from '../../worker/domain/crm';
import { createTask } from '../../worker/domain/crm';
import { putQueue } from '../../worker/domain/routing';
import { chats, opportunities } from '../../worker/data/schema';
import { clientText, db, ingest, makeIntegration, makeUser, uniq } from './factory';

export async function crmFixture(opts: { queue?: string[] } = {}) {
  const funnel = await createFunnel({ db: db() }, { name: `Funil ${uniq()}`, stages: ['Novo', 'Ganho'] });
  const integration = await makeIntegration({ funnelId: funnel.id });
  if (opts.queue) await putQueue(db(), integration.id, { userIds: opts.queue });
  const client = uniq();
  await ingest(integration, clientText(client, 'Oi'));
  const chat = (await db().select().from(chats).where(and(eq(chats.integrationId, integration.id), eq(chats.externalChatId, client))).get())!;
  const opportunity = (await db().select().from(opportunities).where(eq(opportunities.chatId, chat.id)).get())!;
  const task = await createTask({ db: db() }, await makeUser('employee'), { title: `Tarefa ${uniq()}` });
  return { funnel, integration, chat, contactId: chat.contactId, opportunity, task };
}
