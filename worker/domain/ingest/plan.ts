/**
 * The vocabulary of ingest: what a planned event writes and publishes, what a planner works with, and
 * the small planners every event kind uses (the sender's contact, timeline events).
 */
import { and, eq } from 'drizzle-orm';
import type { Db, Write } from '../../data/db';
import type { LiveRows } from '../../data/live-reads';
import { chatEvents, contactIdentities, contacts, type EventType } from '../../data/schema';
import type { InboundMedia, InboundSender } from '../../messengers/types';
import { newConversationId, newId } from '../../shared/ids';
import type { LiveChange } from '../live';
import type { OutboxMessage } from '../outbound';
import type { IngestReader } from './reader';
import type { PickManager } from '../routing';
import { insertRow } from '../../data/statement-template';

export interface IngestIntegration {
  id: string;
  channel: string;
  name: string;
  greetingText: string;
  autoReplyText: string;
  funnelId: string | null;
  /** JSON of the business hours and out-of-office text (worker/domain/hours); null = always open. */
  businessHours?: string | null;
}

export interface IngestDeps {
  db: Db;
  now?: () => number;
  /** The integration's round-robin queue: who gets a new or reopened chat (routing's PickManager). */
  pickManager: PickManager;
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
  /** What the live frames of `changes` need, when the write returned it (the known-chat path): no read-back. */
  liveRows?: LiveRows;
  /** Button presses to answer once the update is stored (Telegram answerCallbackQuery); absent when none. */
  acks?: ChoiceAck[];
}

/** The notice a button press is answered with ('' = just stop the button's spinner). */
export interface ChoiceAck {
  ackId: string;
  text: string;
}

/** One event's writes (stored in one batch) and what to do once they are stored. */
export interface Plan {
  writes: Write[];
  changes: LiveChange[];
  outbound: OutboxMessage[];
  media: { messageId: string; media: InboundMedia }[];
  responseGreeting: string | null;
  acks: ChoiceAck[];
}

/** What a planner works with: it reads through `read`, appends to `plan`, and stamps rows with `t`. */
export interface PlanContext {
  db: Db;
  integration: IngestIntegration;
  read: IngestReader;
  pickManager: IngestDeps['pickManager'];
  /** The time of this event's rows. */
  t: number;
  plan: Plan;
}

export const emptyPlan = (): Plan => ({ writes: [], changes: [], outbound: [], media: [], responseGreeting: null, acks: [] });

/** How one person is known to one bot: the key of contact_identities (it has no id of its own). */
export function identityOf(integrationId: string, externalId: string) {
  return and(eq(contactIdentities.integrationId, integrationId), eq(contactIdentities.externalId, externalId));
}

/** Finds the contact behind a messenger user, or plans its creation. */
export async function resolveContact(ctx: PlanContext, sender: InboundSender) {
  const { db, integration, plan, t } = ctx;
  const found = await ctx.read.contact(sender.externalId);
  if (found) {
    if (!found.reachable) plan.writes.push(db.update(contactIdentities).set({ reachable: true }).where(identityOf(integration.id, sender.externalId)));
    return { ...found, isNew: false };
  }
  const contactId = newConversationId(t);
  plan.writes.push(
    insertRow(db, contacts, { id: contactId, name: sender.name, username: sender.username ?? null, avatarUrl: sender.avatarUrl ?? null, createdAt: t, updatedAt: t }),
    insertRow(db, contactIdentities, { contactId, integrationId: integration.id, channel: integration.channel, externalId: sender.externalId, createdAt: t }),
  );
  return { contactId, greetedAt: null as number | null, reachable: true, name: sender.name, isNew: true };
}

/** A timeline event stored with the plan's batch and published with its changes (open chat windows show it live). */
export function planTimelineEvent(ctx: PlanContext, chatId: string, type: EventType, data: Record<string, unknown>) {
  const eventId = newId(ctx.t);
  ctx.plan.writes.push(insertRow(ctx.db, chatEvents, { id: eventId, chatId, type, data, createdAt: ctx.t }));
  ctx.plan.changes.push({ kind: 'event', chatId, eventId });
}
