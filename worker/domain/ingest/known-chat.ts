/**
 * The hot path: a client writes in their open chat (the bot knows them, nothing to greet or auto-reply).
 * Lookup, write and the read-back for the live frames are ONE D1 batch, one round trip: a webhook pays
 * most for round trips (bench/results.md, P1), and then for the database pages its writes dirty (README,
 * Performance: each goes to the WAL and to the batch's statement journal), far less for its statement
 * count. The message comes back from its own INSERT (RETURNING) and the chat's summary, observers and
 * readers from one statement: four in all for a chat this isolate saw take a message here,
 * five with the integration's row for any other (the full path's reads follow it).
 *
 * Exactly-once still rests on unique keys: the dedup row goes in first with ON CONFLICT DO NOTHING, and
 * only if the integration still has the credentials (and hours and no-reply timer) the request was
 * checked against (the isolate's cached row may be stale), the chat is open and not awaiting a first text, the client is reachable, and
 * (outside business hours, with an out-of-office text) the chat's out-of-office burst goes on (judged on the kept hours, so they must still be the stored ones).
 * The message is inserted only if that row was (`changes() = 1`), the chat is touched only if the
 * message is there. When anything is otherwise (a replay, a new or closed chat, changed credentials) the
 * batch writes nothing and its trailing reads (the integration, what ingest reads ahead) let the full
 * path go on without another lookup. Both are left out for a chat this isolate just saw take a message
 * here (open-chats-seen.ts): the full path is then unlikely, and reads for itself.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, Write } from '../../data/db';
import { rawTemplate, statementTemplate } from '../../data/statement-template';
import { decodeRow } from '../../data/decode-row';
import { oneChatLiveRows, summaryAndPeople, summaryWithPeopleQuery, type SummaryWithPeopleRow } from '../../data/live-reads';
import { chats, integrations, messageCode, messages, storedAttachments } from '../../data/schema';
import type { InboundEvent, ParsedUpdate } from '../../messengers/types';
import { newId } from '../../shared/ids';
import { messagePreview } from '../../shared/preview';
import { hoursAt, OUT_OF_OFFICE_BURST_MS } from '../hours';
import type { CachedIntegration } from '../integrations';
import { attachmentsOf } from './plan-message';
import type { IngestResult } from './plan';
import { outOfOfficeOfBurst } from './reader';

type ClientMessage = Extract<InboundEvent, { type: 'message' }>;

/** The update's one event when it can take the hot path: a client message that is not /start. */
export function knownChatCandidate(update: ParsedUpdate): ClientMessage | null {
  const [event] = update.events;
  return update.events.length === 1 && event.type === 'message' && !event.isStart ? event : null;
}

/** The webhook URL's integration, if it may take webhooks (enabled and not removed). */
const isWebhookIntegration = () => and(eq(integrations.id, sql.placeholder('id')), eq(integrations.channel, sql.placeholder('channel')), eq(integrations.enabled, true), isNull(integrations.removedAt));

/** The integration row a webhook is checked against, read afresh. */
const integrationRow = statementTemplate<{ id: string; channel: string }, CachedIntegration>((db) => db.select().from(integrations)
  .where(isWebhookIntegration())
  .limit(1));

export function integrationQuery(db: Db, channel: string, integrationId: string): Write {
  return integrationRow.item(db, { id: integrationId, channel });
}

const p = (name: string) => sql.placeholder(name);

/**
 * The dedup row goes in only if the request's integration row is still the one it was checked
 * against, the chat is open and not awaiting a first text (outside hours: and inside an out-of-office
 * burst already), and the client is reachable.
 */
const dedupIf = (inBurst: boolean) => rawTemplate(() => sql`
    INSERT INTO processed_updates (integration_id, dedup_key, received_at)
    SELECT ${p('id')}, ${p('dedupKey')}, ${p('t')}
    WHERE EXISTS (SELECT 1 FROM integrations WHERE id = ${p('id')} AND channel = ${p('channel')} AND enabled = 1 AND removed_at IS NULL
                    AND token_encrypted = ${p('tokenEncrypted')} AND webhook_secret = ${p('webhookSecret')}
                    AND business_hours IS ${p('businessHours')} AND reassign_after_minutes IS ${p('reassignAfterMinutes')})
      AND EXISTS (SELECT 1 FROM chats WHERE integration_id = ${p('id')} AND external_chat_id = ${p('chatKey')} AND status = 'open' AND awaiting_first_text = 0
                  ${inBurst ? sql`AND ${outOfOfficeOfBurst(sql`chats.id`, p('burstSince'))} IS NOT NULL` : sql``})
      AND EXISTS (SELECT 1 FROM contact_identities WHERE integration_id = ${p('id')} AND external_id = ${p('externalId')} AND reachable = 1)
    ON CONFLICT DO NOTHING`);
const dedupOpen = dedupIf(false);
const dedupInBurst = dedupIf(true);

// No ON CONFLICT here: a message already stored under another update id fails the whole batch (nothing
// lands) and the full path, which tolerates it, takes over.
const insertMessage = rawTemplate(() => sql`
    INSERT INTO messages (id, chat_id, direction, origin, text, attachments, external_id, status, created_at, next_attempt_at)
    SELECT ${p('messageId')}, id, ${messageCode('direction', 'in')}, ${messageCode('origin', 'client')}, ${p('text')}, ${p('attachments')}, ${p('externalMessageId')}, ${messageCode('status', 'received')}, ${p('t')}, ${p('nextAttemptAt')}
    FROM chats WHERE integration_id = ${p('id')} AND external_chat_id = ${p('chatKey')} AND changes() = 1
    RETURNING *`);

/** The chat of the message this batch inserted (none when it inserted nothing). */
const chatOfMessage = (db: Db) => db.select({ id: messages.chatId }).from(messages).where(eq(messages.id, p('messageId')));
const touchChat = statementTemplate((db) => db.update(chats)
  .set({ lastMessageAt: p('t') as never, lastMessagePreview: p('preview') as never, lastInboundAt: p('t') as never })
  .where(inArray(chats.id, chatOfMessage(db))));
/**
 * The integration row, for the full path and to refresh the kept one; left out when this batch stored the
 * message. The guard already proved the credentials, hours and no-reply timer unchanged, and nothing
 * else of the row is read after a stored message, so a known client's webhook does not carry the whole
 * row back every time.
 */
const integrationUnlessStored = statementTemplate<Record<string, unknown>, CachedIntegration>((db) => db.select().from(integrations)
  .where(and(isWebhookIntegration(), sql`NOT EXISTS (SELECT 1 FROM messages WHERE id = ${p('messageId')})`))
  .limit(1));
const liveRow = statementTemplate((db) => summaryWithPeopleQuery(db, chatOfMessage(db)));

/** Outside hours a message that starts a burst gets the out-of-office reply: the full path plans it. */
export function mayStartOutOfOfficeBurst(cached: CachedIntegration, t: number): boolean {
  const hours = hoursAt(cached.businessHours, t);
  return !hours.open && !!hours.outOfOfficeText;
}

/**
 * The batch for one client message, checked against `cached`. `tail` (reads for the full path) comes
 * after the integration's row; null leaves both out, for a chat the full path is unlikely to need (the
 * caller then reads them itself if it does). `mayStartBurst` is mayStartOutOfOfficeBurst(cached, t),
 * which the caller needs too. `outcome` reads its results: the stored result with its live rows, or null
 * (nothing written).
 */
export function knownChatBatch(db: Db, cached: CachedIntegration, update: ParsedUpdate, event: ClientMessage, t: number, mayStartBurst: boolean, tail: Write[] | null) {
  const messageId = newId(t);
  const attachments = attachmentsOf(event);
  const dedup = mayStartBurst ? dedupInBurst : dedupOpen;
  const values = {
    id: cached.id, channel: cached.channel, tokenEncrypted: cached.tokenEncrypted, webhookSecret: cached.webhookSecret,
    businessHours: cached.businessHours, burstSince: t - OUT_OF_OFFICE_BURST_MS,
    dedupKey: update.dedupKey, t, chatKey: event.sender.externalChatId, externalId: event.sender.externalId,
    messageId, text: event.text, attachments: storedAttachments(attachments), externalMessageId: event.externalMessageId,
    nextAttemptAt: event.media ? t : null, preview: messagePreview(event.text, attachments),
    reassignAfterMinutes: cached.reassignAfterMinutes,
  };
  const statements = [
    dedup.item(db, values), insertMessage.item(db, values), touchChat.item(db, values), liveRow.item(db, values),
    ...(tail ? [integrationUnlessStored.item(db, values), ...tail] : []),
  ] as [Write, ...Write[]];

  /**
   * `integration`: the row read afresh, the kept one when the batch stored the message, null (gone), or
   * undefined when nothing was stored and the row was not read.
   */
  const outcome = (results: unknown[]): { stored: IngestResult | null; integration: CachedIntegration | null | undefined; tail: unknown[][] } => {
    const [, inserted, , liveRows, integrationRows, ...rest] = results as [unknown, { results?: Record<string, unknown>[] }, unknown, SummaryWithPeopleRow[], CachedIntegration[] | undefined, ...unknown[][]];
    const stored = inserted.results?.[0];
    const integration = stored ? cached : integrationRows && (integrationRows[0] ?? null);
    if (!stored) return { stored: null, integration, tail: rest };
    const row = decodeRow(messages, stored);
    const chatId = row.chatId;
    const people = liveRows[0] ? summaryAndPeople(liveRows[0]) : null;
    // Without its chat's row (it cannot go missing in the same transaction) the publish reads for itself.
    const live = people ? oneChatLiveRows(chatId, { summaries: [people.summary], observerIds: people.observerIds, readers: people.readers, messages: [row] }) : undefined;
    const result: IngestResult = {
      duplicate: false,
      // The order the full path reports them in (ensureOpenChat, then the message).
      changes: [{ kind: 'chat_updated', chatId, reason: 'message' }, { kind: 'message', chatId, messageId }],
      outbound: [],
      media: event.media ? [{ messageId, media: event.media }] : [],
      responseGreeting: null,
      liveRows: live,
    };
    return { stored: result, integration, tail: rest };
  };
  return { statements, outcome };
}
