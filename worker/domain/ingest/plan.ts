/**
 * The shared vocabulary of ingest: what a planned event writes and publishes, the dependencies, and the
 * small planners every event kind uses (contact lookup, timeline events).
 */
import { eq } from 'drizzle-orm';
import type { Db, Write } from '../../data/db';
import { chatEvents, contactIdentities, contacts, type EventType } from '../../data/schema';
import type { InboundMedia, InboundSender } from '../../messengers/types';
import { newId } from '../../shared/ids';
import { chatQuery, contactQuery, type ChatRow, type IngestLookup } from './lookup';
import type { LiveChange } from '../live';
import type { OutboxMessage } from '../outbound';

export interface IngestIntegration {
  id: string;
  channel: string;
  name: string;
  greetingText: string;
  autoReplyText: string;
  funnelId: string | null;
}

export interface IngestDeps {
  db: Db;
  now?: () => number;
  /**
   * The integration's round-robin queue: who gets a new chat (null = leave unassigned). The chat key
   * makes a repeated ask for the same chat (a retried or concurrent first message) cost no extra turn.
   */
  pickManager: (integrationId: string, chatKey?: string) => Promise<string | null>;
}

export interface IngestResult {
  duplicate: boolean;
  changes: LiveChange[];
  /** Stored outgoing bot messages (greeting / auto-reply) to hand to the outbox. */
  outbound: OutboxMessage[];
  /** Client media to fetch from the messenger and keep in R2. */
  media: { messageId: string; media: InboundMedia }[];
  /** A greeting the protocol wants in the webhook response body (Viber conversation_started). */
  responseGreeting: string | null;
}

export interface Plan {
  writes: Write[];
  changes: LiveChange[];
  outbound: OutboxMessage[];
  media: { messageId: string; media: InboundMedia }[];
  responseGreeting: string | null;
}

/** Plan functions may use rows prefetched for this update's sender. */
export type PlanDeps = IngestDeps & { lookup?: IngestLookup };

/** The prefetched rows when they were read for this very sender. */
export function hintFor(deps: PlanDeps, sender: InboundSender): IngestLookup | undefined {
  const l = deps.lookup;
  return l?.sender && l.sender.externalId === sender.externalId && l.sender.externalChatId === sender.externalChatId ? l : undefined;
}

export const emptyPlan = (): Plan => ({ writes: [], changes: [], outbound: [], media: [], responseGreeting: null });

/** Finds the contact behind a messenger user, or plans its creation. */
export async function resolveContact(deps: PlanDeps, integration: IngestIntegration, sender: InboundSender, plan: Plan, t: number) {
  const hint = hintFor(deps, sender);
  const found = hint ? hint.contact : (await contactQuery(deps.db, integration.id, sender.externalId))[0];
  if (found) {
    if (!found.reachable) plan.writes.push(deps.db.update(contactIdentities).set({ reachable: true }).where(eq(contactIdentities.id, found.identityId)));
    return { ...found, isNew: false };
  }
  const contactId = newId(t);
  const identityId = newId(t);
  plan.writes.push(
    deps.db.insert(contacts).values({ id: contactId, name: sender.name, username: sender.username ?? null, avatarUrl: sender.avatarUrl ?? null, createdAt: t, updatedAt: t }),
    deps.db.insert(contactIdentities).values({ id: identityId, contactId, integrationId: integration.id, channel: integration.channel, externalId: sender.externalId, createdAt: t }),
  );
  return { contactId, identityId, greetedAt: null as number | null, reachable: true, name: sender.name, isNew: true };
}

export async function findChat(db: Db, integrationId: string, externalChatId: string): Promise<ChatRow | undefined> {
  return (await chatQuery(db, integrationId, externalChatId))[0];
}

/** A timeline event stored with the plan's batch and published with its changes (open chat windows show it live). */
export function planTimelineEvent(deps: IngestDeps, plan: Plan, chatId: string, type: EventType, data: Record<string, unknown>, t: number) {
  const eventId = newId(t);
  plan.writes.push(deps.db.insert(chatEvents).values({ id: eventId, chatId, type, data, createdAt: t }));
  plan.changes.push({ kind: 'event', chatId, eventId });
}

export function now(deps: IngestDeps): number {
  return deps.now ? deps.now() : Date.now();
}
