/**
 * Who gets a chat reopened by hand: its last manager only if the bot's rule lets them take chats now
 * (active, may take chats, and available unless the bot assigns to everyone); otherwise nobody, and
 * the bot's queue places it from the backlog. Presence is the queue's to judge: a bot that wants
 * managers online gets the chat back through the queue unless the manager is available.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { chats, integrations } from '../../data/schema';
import { peopleAsMembers } from './status';
import { mayTake } from './round-robin';

export async function reopenOwner(db: Db, chatId: string, lastId: string | null): Promise<{ responsibleId: string | null; integrationId: string | null }> {
  const bot = await db.select({ integrationId: chats.integrationId, rule: integrations.assignmentRule }).from(chats)
    .innerJoin(integrations, eq(integrations.id, chats.integrationId)).where(eq(chats.id, chatId)).get();
  if (!bot) return { responsibleId: null, integrationId: null };
  if (!lastId) return { responsibleId: null, integrationId: bot.integrationId };
  const [person] = await peopleAsMembers(db, [lastId]);
  const rule = bot.rule === 'available_online' ? 'available' : bot.rule;
  return { responsibleId: person && mayTake(person, rule) ? lastId : null, integrationId: bot.integrationId };
}
