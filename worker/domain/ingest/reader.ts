/**
 * Every read ingest makes goes through one `IngestReader`. The webhook prefetches what the update's
 * first event may need (was it processed, the sender's contact and chat, the funnel's first stage) in
 * the same D1 batch as the integration's row — one round trip instead of four: round trips, not
 * statements, are what a webhook pays for (see bench/results.md, P1). The reader answers from those
 * rows when they were read for what is asked, and otherwise runs its own query.
 */
import { and, desc, eq, inArray, lte, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { Db, Write } from '../../data/db';
import { statementTemplate } from '../../data/statement-template';
import { chats, contactIdentities, contacts, funnelStages, integrations, isIncoming, isOutgoing, messageCode, messages, processedUpdates, users } from '../../data/schema';
import type { ParsedUpdate } from '../../messengers/types';
import { OUT_OF_OFFICE_BURST_MS } from '../hours';
import { IN_FLIGHT_MS, newChatRotationRows, rotationOf, type RotationRead } from '../routing';

/** How many of a chat's newest messages a delivery receipt looks through for the reply it names. */
export const RECEIPT_WINDOW = 500;

export interface ContactRow {
  contactId: string;
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
  /** The chat's out-of-office reply of the current burst (hours/out-of-office.ts), or null. */
  outOfOfficeAt: number | null;
}

/** Rows read ahead, each with the key it was read for so a question about someone else never gets it. */
interface Prefetched {
  processed: boolean;
  contact?: { for: string; row: ContactRow | undefined };
  chat?: { for: string; row: ChatRow | undefined };
  firstStageId?: string | null;
  /** The bot's queue, read only when the client had no chat with it (the rows are empty otherwise). */
  rotation?: { for: string; read: RotationRead };
}

export class IngestReader {
  constructor(
    private readonly db: Db,
    private readonly integrationId: string,
    private readonly dedupKey: string,
    private readonly prefetched: Prefetched | null = null,
    /** When the rows are read: the out-of-office burst is measured back from it. */
    private readonly now: number = Date.now(),
  ) {}

  /** The same questions without the rows read ahead: once a batch ran (or lost a race) they may be stale. */
  fresh(): IngestReader {
    return new IngestReader(this.db, this.integrationId, this.dedupKey, null, this.now);
  }

  /** Whether this update's dedup key is stored already (it was processed, or a concurrent copy won). */
  async processed(): Promise<boolean> {
    if (this.prefetched) return this.prefetched.processed;
    return (await processedRow.all(this.db, { integrationId: this.integrationId, dedupKey: this.dedupKey })).length > 0;
  }

  /** The contact behind a messenger user of this integration. */
  async contact(externalId: string): Promise<ContactRow | undefined> {
    const ahead = this.prefetched?.contact;
    if (ahead?.for === externalId) return ahead.row;
    return (await contactRow.all(this.db, { integrationId: this.integrationId, externalId }))[0];
  }

  /** The chat with one messenger chat of this integration, open or closed. */
  async chat(externalChatId: string): Promise<ChatRow | undefined> {
    const ahead = this.prefetched?.chat;
    if (ahead?.for === externalChatId) return ahead.row;
    return (await chatRow.all(this.db, { integrationId: this.integrationId, externalChatId, burstSince: this.now - OUT_OF_OFFICE_BURST_MS }))[0];
  }

  /** The first stage of the integration's funnel; null when it has no funnel or the funnel no stage. */
  async firstStageId(): Promise<string | null> {
    const ahead = this.prefetched?.firstStageId;
    if (ahead !== undefined) return ahead;
    return (await firstStageRow.all(this.db, { integrationId: this.integrationId }))[0]?.id ?? null;
  }

  /**
   * The bot's queue as it stood when the client's missing chat was read, for the BotQueue to decide the
   * new chat from instead of reading D1 again; undefined when it was not read ahead for this chat.
   */
  newChatRotation(externalChatId: string): RotationRead | undefined {
    const ahead = this.prefetched;
    if (ahead?.rotation?.for !== externalChatId || ahead.chat?.for !== externalChatId || ahead.chat.row) return undefined;
    return ahead.rotation.read;
  }

  async isActiveUser(userId: string): Promise<boolean> {
    const row = await this.db.select({ active: users.active }).from(users).where(eq(users.id, userId)).get();
    return !!row?.active;
  }

  /**
   * One of OUR outgoing messages, by the id the messenger gave it, among the newest RECEIPT_WINDOW
   * messages of the chat with `externalChatId` (a receipt names the person it reached). Looked up through
   * the chat's timeline rather than an index of every reply's messenger id (migration 0041: ~19 bytes a
   * message, for receipts only Viber sends): a receipt comes for a recent reply, and the window bounds
   * the walk when it names one Ponte does not have.
   */
  async outgoingMessage(externalChatId: string, externalMessageId: string) {
    const chatId = this.db.select({ id: chats.id }).from(chats)
      .where(and(eq(chats.integrationId, this.integrationId), eq(chats.externalChatId, externalChatId)));
    const recent = this.db
      .select({ id: messages.id, chatId: messages.chatId, direction: messages.direction, externalId: messages.externalId, status: messages.status, createdAt: messages.createdAt })
      .from(messages)
      .where(eq(messages.chatId, sql`(${chatId})`))
      .orderBy(desc(messages.createdAt))
      .limit(RECEIPT_WINDOW)
      .as('recent');
    return this.db
      .select({ id: recent.id, chatId: recent.chatId, status: recent.status, createdAt: recent.createdAt })
      .from(recent)
      .where(and(eq(recent.externalId, externalMessageId), isOutgoing))
      .limit(1)
      .get();
  }

  /** Our messages a receipt moves forward: the one itself, or for `upTo` every earlier one of its chat too. */
  async outgoingToAdvance(target: { id: string; chatId: string; createdAt: number }, from: ('sent' | 'delivered')[], upTo: boolean): Promise<string[]> {
    const scope = upTo
      ? and(eq(messages.chatId, target.chatId), isOutgoing, lte(messages.createdAt, target.createdAt), inArray(messages.status, from))
      : and(eq(messages.id, target.id), inArray(messages.status, from));
    return (await this.db.select({ id: messages.id }).from(messages).where(scope).all()).map((m) => m.id);
  }

  /** A client's message in a chat, by the id the messenger gave it. */
  async incomingMessage(chatId: string, externalMessageId: string) {
    return this.db.select({ id: messages.id, text: messages.text }).from(messages)
      .where(and(eq(messages.chatId, chatId), isIncoming, eq(messages.externalId, externalMessageId))).get();
  }
}

/**
 * The statements that read ahead for an update, to run in one batch (alone, or after the integration's
 * own row in the webhook's batch), and how to turn their results into a reader.
 */
export function prefetchStatements(db: Db, integrationId: string, update: ParsedUpdate, now = Date.now()) {
  const first = update.events[0];
  const sender = first && 'sender' in first ? first.sender : null;
  const processed = processedRow.item(db, { integrationId, dedupKey: update.dedupKey });
  const since = now - IN_FLIGHT_MS;
  const statements: [Write, ...Write[]] = sender
    ? [
      processed,
      contactRow.item(db, { integrationId, externalId: sender.externalId }),
      chatRow.item(db, { integrationId, externalChatId: sender.externalChatId, burstSince: now - OUT_OF_OFFICE_BURST_MS }),
      firstStageRow.item(db, { integrationId }),
      newChatRotationRows.item(db, { integrationId, since, externalChatId: sender.externalChatId }),
    ]
    : [processed];
  const reader = (results: unknown[][]): IngestReader => {
    const [processed, contact, chat, stages, rotation] = results as [unknown[], ContactRow[]?, ChatRow[]?, { id: string }[]?, Parameters<typeof rotationOf>[0]?];
    const ahead: Prefetched = { processed: processed.length > 0 };
    if (sender) {
      ahead.contact = { for: sender.externalId, row: contact?.[0] };
      ahead.chat = { for: sender.externalChatId, row: chat?.[0] };
      ahead.firstStageId = stages?.[0]?.id ?? null;
      if (rotation) ahead.rotation = { for: sender.externalChatId, read: { snapshot: rotationOf(rotation), since } };
    }
    return new IngestReader(db, integrationId, update.dedupKey, ahead, now);
  };
  return { statements, reader };
}

/** Reads ahead for an update in one batch, when the caller has not done it in its own. */
export async function readUpdate(db: Db, integrationId: string, update: ParsedUpdate, now = Date.now()): Promise<IngestReader> {
  const { statements, reader } = prefetchStatements(db, integrationId, update, now);
  const [head, ...rest] = statements;
  return reader(await db.batch([head, ...rest]));
}

const p = (name: string) => sql.placeholder(name);

// Templates (data/statement-template.ts): built once, bound per webhook.
const contactRow = statementTemplate<{ integrationId: string; externalId: string }, ContactRow>((db) => db
  .select({ contactId: contactIdentities.contactId, greetedAt: contactIdentities.greetedAt, reachable: contactIdentities.reachable, name: contacts.name })
  .from(contactIdentities)
  .innerJoin(contacts, eq(contacts.id, contactIdentities.contactId))
  .where(and(eq(contactIdentities.integrationId, p('integrationId')), eq(contactIdentities.externalId, p('externalId'))))
  .limit(1));

const chatRow = statementTemplate<{ integrationId: string; externalChatId: string; burstSince: number }, ChatRow>((db) => db
  .select({
    id: chats.id, status: chats.status, responsibleId: chats.responsibleId, lastResponsibleId: chats.lastResponsibleId, awaitingFirstText: chats.awaitingFirstText,
    outOfOfficeAt: outOfOfficeOfBurst(sql`${chats.id}`, p('burstSince')),
  })
  .from(chats)
  .where(and(eq(chats.integrationId, p('integrationId')), eq(chats.externalChatId, p('externalChatId'))))
  .limit(1));

const processedRow = statementTemplate<{ integrationId: string; dedupKey: string }, { k: string }>((db) => db
  .select({ k: processedUpdates.dedupKey }).from(processedUpdates)
  .where(and(eq(processedUpdates.integrationId, p('integrationId')), eq(processedUpdates.dedupKey, p('dedupKey'))))
  .limit(1));

/** The first stage of the integration's funnel, found through the integration (so it needs no earlier read). */
const firstStageRow = statementTemplate<{ integrationId: string }, { id: string }>((db) => db
  .select({ id: funnelStages.id }).from(funnelStages)
  .where(eq(funnelStages.funnelId, sql`(SELECT ${integrations.funnelId} FROM ${integrations} WHERE ${integrations.id} = ${p('integrationId')})`))
  .orderBy(funnelStages.position).limit(1));

/**
 * The latest out-of-office reply in `chatId` after `since` with no manager reply after it (null when
 * none): the burst it started goes on. Both lookups are ranges of the messages_timeline index.
 */
export function outOfOfficeOfBurst(chatId: SQL, since: number | Placeholder) {
  return sql<number | null>`(SELECT max(o.created_at) FROM messages o WHERE o.chat_id = ${chatId} AND o.created_at > ${since} AND o.origin = ${messageCode('origin', 'out_of_office')}
    AND NOT EXISTS (SELECT 1 FROM messages a WHERE a.chat_id = ${chatId} AND a.created_at > o.created_at AND a.origin = ${messageCode('origin', 'agent')}))`;
}
