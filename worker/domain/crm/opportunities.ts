/**
 * Opportunities: a deal with one contact, sitting in one stage of one funnel. Ingest opens the first
 * one of every new chat; these functions let managers add more and move them along.
 */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db, Write } from '../../data/db';
import { runBatch } from '../../data/db';
import { chatEvents, contacts, funnelStages, funnels, opportunities } from '../../data/schema';
import type { SessionUser } from '../access';
import { badRequest, conflict, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { LiveChange } from '../live';
import { chatFor } from './chat-context';
import { clock, publishAll, type Deps } from '../runtime';

export type OpportunityView = typeof opportunities.$inferSelect;

/**
 * Newest first is insertion order (the rowid): a webhook's opportunity has a 9-character id and one opened
 * by hand a 15-character one (worker/shared/ids.ts), and the two shapes do not sort by time against each
 * other. The rowid also ends each index on the table, so a contact's or a chat's come in this order
 * straight from its index, and the unfiltered list walks the table from its end.
 */
export const newestOpportunitiesFirst = sql`${opportunities}.rowid DESC`;

export interface OpportunityFilter {
  contactId?: string;
  chatId?: string;
  limit: number;
}

/** Opportunities of a contact and/or a chat, newest first; with no filter, the newest overall. */
export async function listOpportunities(db: Db, user: SessionUser, filter: OpportunityFilter): Promise<OpportunityView[]> {
  if (filter.chatId) await chatFor(db, user, filter.chatId, 'chat:crm_read');
  const where: SQL[] = [];
  if (filter.contactId) where.push(eq(opportunities.contactId, filter.contactId));
  if (filter.chatId) where.push(eq(opportunities.chatId, filter.chatId));
  return db.select().from(opportunities).where(and(...where)).orderBy(newestOpportunitiesFirst).limit(filter.limit).all();
}

export interface NewOpportunity {
  contactId: string;
  funnelId: string;
  title: string;
  chatId?: string;
  amount?: number | null;
}

/**
 * Opens an opportunity in the first stage of `funnelId`. Responsible: the chat's manager when it comes
 * from a chat (and the chat has one), else the creator. From a chat it must be that chat's contact, and
 * the chat's timeline gets `opportunity_created` in the same batch.
 */
export async function createOpportunity(deps: Deps, user: SessionUser, input: NewOpportunity): Promise<OpportunityView> {
  const { db } = deps;
  const chat = input.chatId ? await chatFor(db, user, input.chatId, 'chat:crm') : null;
  if (chat && chat.contactId !== input.contactId) throw badRequest('contact_mismatch', "The opportunity's contact must be the chat's contact");
  const contact = await db.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, input.contactId)).get();
  if (!contact) throw notFound('Contact');
  const funnel = await db.select({ id: funnels.id }).from(funnels).where(eq(funnels.id, input.funnelId)).get();
  if (!funnel) throw notFound('Funnel');
  const stage = await db.select({ id: funnelStages.id }).from(funnelStages).where(eq(funnelStages.funnelId, funnel.id)).orderBy(asc(funnelStages.position)).limit(1).get();
  if (!stage) throw conflict('funnel_empty', 'This funnel has no stages yet');

  const t = clock(deps);
  const row: OpportunityView = {
    id: newId(t), title: input.title, contactId: input.contactId, funnelId: funnel.id, stageId: stage.id, amount: input.amount ?? null,
    responsibleId: chat?.responsibleId ?? user.id, chatId: chat?.id ?? null, createdAt: t, updatedAt: t,
    outcome: null, outcomeReason: null, closedAt: null, stageChangedAt: null, previousStageId: null,
  };
  const writes: Write[] = [db.insert(opportunities).values(row)];
  const changes: LiveChange[] = [];
  if (chat) {
    const eventId = newId(t);
    writes.push(db.insert(chatEvents).values({ id: eventId, chatId: chat.id, type: 'opportunity_created', actorId: user.id, data: { opportunityId: row.id, title: row.title }, createdAt: t }));
    changes.push({ kind: 'event', chatId: chat.id, eventId });
  }
  await runBatch(db, writes);
  await publishAll(deps, changes);
  return row;
}

export interface OpportunityPatch {
  stageId?: string;
  title?: string;
  /** null clears the amount. */
  amount?: number | null;
  /** won / lost closes it (it leaves the board); null reopens it. */
  outcome?: 'won' | 'lost' | null;
  outcomeReason?: string | null;
}

/**
 * Moves an opportunity to another stage of its own funnel (409 otherwise), edits title and amount, or
 * closes it won / lost. Rules: a lost deal needs a reason (why we lost is the point of recording it); a
 * closed deal does not move until reopened (outcome null); a move records when and from which stage.
 */
export async function updateOpportunity(deps: Deps, user: SessionUser, id: string, patch: OpportunityPatch): Promise<OpportunityView> {
  const { db } = deps;
  const before = await db.select().from(opportunities).where(eq(opportunities.id, id)).get();
  if (!before) throw notFound('Opportunity');
  if (before.chatId) await chatFor(db, user, before.chatId, 'chat:crm');
  const moving = patch.stageId !== undefined && patch.stageId !== before.stageId;
  const outcome = patch.outcome === undefined ? before.outcome : patch.outcome;
  if (moving) {
    if (outcome) throw conflict('opportunity_closed', 'A won or lost opportunity does not move; reopen it first');
    const stage = await db.select({ funnelId: funnelStages.funnelId }).from(funnelStages).where(eq(funnelStages.id, patch.stageId!)).get();
    if (!stage) throw notFound('Stage');
    if (stage.funnelId !== before.funnelId) throw conflict('stage_not_in_funnel', "The stage belongs to another funnel than the opportunity's");
  }
  const t = clock(deps);
  const set: Partial<OpportunityView> = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  if (!moving) delete set.stageId;
  if (patch.outcome !== undefined && patch.outcome !== before.outcome) {
    const reason = (patch.outcomeReason ?? '').trim();
    if (patch.outcome === 'lost' && !reason) throw badRequest('reason_required', 'Say why the deal was lost');
    Object.assign(set, patch.outcome ? { closedAt: t, outcomeReason: reason || null } : { closedAt: null, outcomeReason: null });
  } else if (patch.outcomeReason !== undefined && !before.outcome) {
    throw badRequest('not_closed', 'Only a won or lost opportunity has a reason');
  }
  if (moving) Object.assign(set, { stageChangedAt: t, previousStageId: before.stageId });
  if (Object.keys(set).length === 0) return before;
  const after = { ...before, ...set, updatedAt: t };
  await db.update(opportunities).set({ ...set, updatedAt: t }).where(eq(opportunities.id, id));
  if (before.chatId) await publishAll(deps, [{ kind: 'chat_updated', chatId: before.chatId, reason: 'other' }]);
  return after;
}
