/**
 * What ingest reads before it plans an update, in ONE D1 batch: whether the update was already
 * processed, the sender's contact, the sender's chat, and the first stage of the integration's funnel.
 * One round trip instead of four — round trips, not statements, are what a webhook pays for (see
 * bench/results.md, P1). The rows are a hint for the first attempt only: a retry after a constraint
 * error (a concurrent first message) reads again.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../data/db';
import { chats, contactIdentities, contacts, funnelStages, processedUpdates } from '../data/schema';
import type { InboundSender, ParsedUpdate } from '../messengers/types';

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

export function firstStageQuery(db: Db, funnelId: string) {
  return db.select({ id: funnelStages.id }).from(funnelStages).where(eq(funnelStages.funnelId, funnelId)).orderBy(funnelStages.position).limit(1);
}

/** Reads everything the update's first event may need, in one batch. */
export async function lookUpUpdate(db: Db, integration: { id: string; funnelId: string | null }, update: ParsedUpdate): Promise<IngestLookup> {
  const first = update.events[0];
  const sender = first && 'sender' in first ? first.sender : null;
  if (!sender) {
    const [row] = await processedQuery(db, integration.id, update.dedupKey);
    return { processed: !!row, sender: null, contact: undefined, chat: undefined, firstStageId: undefined };
  }
  const [processed, contact, chat, stages] = await db.batch([
    processedQuery(db, integration.id, update.dedupKey),
    contactQuery(db, integration.id, sender.externalId),
    chatQuery(db, integration.id, sender.externalChatId),
    // Without a funnel this reads nothing: no funnel has the empty id.
    firstStageQuery(db, integration.funnelId ?? ''),
  ]);
  return {
    processed: processed.length > 0,
    sender,
    contact: contact[0],
    chat: chat[0],
    firstStageId: integration.funnelId ? (stages[0]?.id ?? null) : null,
  };
}
