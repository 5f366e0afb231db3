/**
 * What ingest reads before it plans an update, in ONE D1 batch: whether the update was already
 * processed, the sender's contact, the sender's chat, and the first stage of the integration's funnel.
 * One round trip instead of four — round trips, not statements, are what a webhook pays for (see
 * bench/results.md, P1). The rows are a hint for the first attempt only: a retry after a constraint
 * error (a concurrent first message) reads again.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { chats, contactIdentities, contacts, funnelStages, integrations, processedUpdates } from '../../data/schema';
import type { InboundSender, ParsedUpdate } from '../../messengers/types';

export interface ContactRow {
  contactId: string;
  identityId: string;
  greetedAt: number | null;
  reachable: boolean;
  name: string;
}

export interface ChatRow {
  id: string;
  status: 'open' | 'closed';
  responsibleId: string | null;
  lastResponsibleId: string | null;
  awaitingFirstText: boolean;
}

/** The prefetched rows, keyed by what they were read for so a different sender never uses them. */
export interface IngestLookup {
  processed: boolean;
  sender: InboundSender | null;
  contact: ContactRow | undefined;
  chat: ChatRow | undefined;
  /** The funnel's first stage id, null when the funnel has none; undefined when not read. */
  firstStageId: string | null | undefined;
}

export function contactQuery(db: Db, integrationId: string, externalId: string) {
  return db
    .select({ contactId: contactIdentities.contactId, identityId: contactIdentities.id, greetedAt: contactIdentities.greetedAt, reachable: contactIdentities.reachable, name: contacts.name })
    .from(contactIdentities)
    .innerJoin(contacts, eq(contacts.id, contactIdentities.contactId))
    .where(and(eq(contactIdentities.integrationId, integrationId), eq(contactIdentities.externalId, externalId)))
    .limit(1);
}

export function chatQuery(db: Db, integrationId: string, externalChatId: string) {
  return db
    .select({ id: chats.id, status: chats.status, responsibleId: chats.responsibleId, lastResponsibleId: chats.lastResponsibleId, awaitingFirstText: chats.awaitingFirstText })
    .from(chats)
    .where(and(eq(chats.integrationId, integrationId), eq(chats.externalChatId, externalChatId)))
    .limit(1);
}

export function processedQuery(db: Db, integrationId: string, dedupKey: string) {
  return db.select({ k: processedUpdates.dedupKey }).from(processedUpdates)
    .where(and(eq(processedUpdates.integrationId, integrationId), eq(processedUpdates.dedupKey, dedupKey)))
    .limit(1);
}

/** The first stage of the integration's funnel, found through the integration (so it needs no earlier read). */
export function firstStageQuery(db: Db, integrationId: string) {
  return db.select({ id: funnelStages.id }).from(funnelStages)
    .where(eq(funnelStages.funnelId, sql`(SELECT ${integrations.funnelId} FROM ${integrations} WHERE ${integrations.id} = ${integrationId})`))
    .orderBy(funnelStages.position).limit(1);
}

/**
 * The statements that read what the update's first event may need, to run in one batch (alone, or
 * after the integration's own row in the webhook's batch), and how to read their results.
 */
export function lookupStatements(db: Db, integrationId: string, update: ParsedUpdate) {
  const first = update.events[0];
  const sender = first && 'sender' in first ? first.sender : null;
  const statements = sender
    ? [processedQuery(db, integrationId, update.dedupKey), contactQuery(db, integrationId, sender.externalId), chatQuery(db, integrationId, sender.externalChatId), firstStageQuery(db, integrationId)] as const
    : [processedQuery(db, integrationId, update.dedupKey)] as const;
  const read = (results: unknown[][], integration: { funnelId: string | null }): IngestLookup => {
    const [processed, contact, chat, stages] = results as [unknown[], ContactRow[]?, ChatRow[]?, { id: string }[]?];
    return {
      processed: processed.length > 0,
      sender,
      contact: contact?.[0],
      chat: chat?.[0],
      firstStageId: sender ? (integration.funnelId ? (stages?.[0]?.id ?? null) : null) : undefined,
    };
  };
  return { statements, read };
}

/** Reads everything the update's first event may need, in one batch. */
export async function lookUpUpdate(db: Db, integration: { id: string; funnelId: string | null }, update: ParsedUpdate): Promise<IngestLookup> {
  const { statements, read } = lookupStatements(db, integration.id, update);
  const [head, ...rest] = statements;
  return read(await db.batch([head, ...rest]), integration);
}
