/**
 * Delivers one stored outgoing message through its integration's adapter. Only rows still `sending`
 * are delivered, and only by the worker that claimed the row (see outbox.ts), so a message is never
 * sent twice by us. A long text goes as several sends; `sent_parts` records progress, so a retry after
 * a failure in the middle resumes with the next piece instead of repeating the first ones.
 */
import { and, asc, eq, gt, isNotNull, isNull, lte, not, or, sql, type Placeholder } from 'drizzle-orm';
import type { BatchRunner, Db, Write } from '../../data/db';
import { runBatch } from '../../data/db';
import { statementTemplate } from '../../data/statement-template';
import { chats, contactIdentities, integrations, isOutgoing, messages } from '../../data/schema';
import type { DeliveryResult } from '../../messengers/types';
import { writeWithLiveRows, type LiveChange } from '../live';
import { openMessenger, withoutToken, type MessengerConfig } from '../integrations';
import { clock } from '../runtime';
import { isSurveyQuestion } from '../csat';
import { CSAT_CHOICE } from '../../shared/csat';
import {
  backoffSeconds, claimed, DUE_SLACK_MS, LEASE_MS, MAX_ATTEMPTS, queueDelay, secondsUntilDue, skipped, waitsForAnOlderReply, type Claim, type OutboxOutcome,
} from './outbox';
import { outboundParts } from './outbound-parts';

export interface DeliveryDeps {
  db: Db;
  now?: () => number;
  messengers: MessengerConfig;
  /** A URL the messenger can download one of our R2 files from (signed, expiring). */
  mediaUrl: (key: string) => Promise<string>;
  /** Sends a delivery's final record (default: a batch of its own; the queue consumer joins chats'). */
  recordBatch?: BatchRunner;
}

/** Tries to deliver message `messageId` now; says whether to retry later. Never throws for messenger errors. */
export async function deliverMessage(deps: DeliveryDeps, messageId: string): Promise<OutboxOutcome> {
  const t = clock(deps);
  return deliverLooked(deps, await lookAndClaim(deps.db, messageId, t), t);
}

/** What `lookAndClaim` found: the row as it stood, and the claim when this worker took it. */
export interface Looked {
  row: OutgoingRow | undefined;
  claim: Claim | null;
}

/**
 * One round trip, one transaction: the row as it stands (with its chat and bot, and whether an older
 * reply of its chat is still being sent) and the claim, taken only if the row is an outgoing reply still
 * `sending`, with no edit pending, due, and the head of its chat. Apart, reading, checking the chat's
 * head and claiming were four round trips, and the queue's consumer pays for each (bench P1 sustained).
 */
export async function lookAndClaim(db: Db, messageId: string, t: number): Promise<Looked> {
  return (await lookAndClaimMany(db, [messageId], t)).get(messageId)!;
}

/**
 * lookAndClaim for several messages in one round trip: the consumer looks at the first message of each
 * chat in a queue batch together. Locally every D1 call is a few milliseconds of one shared database's
 * time, so a batch of ten chats' replies drained at two calls each; the claims now cost one call for all.
 */
export async function lookAndClaimMany(db: Db, messageIds: string[], t: number): Promise<Map<string, Looked>> {
  const leaseUntil = t + LEASE_MS;
  const ids = [...new Set(messageIds)];
  const looked = new Map<string, Looked>();
  if (ids.length === 0) return looked;
  const items = ids.flatMap((messageId) => {
    const values = { messageId, leaseUntil, dueBy: t + DUE_SLACK_MS };
    return [outgoingRow.item(db, values), claimIfDue.item(db, values)];
  });
  const results = (await db.batch(items as [Write, ...Write[]])) as unknown[];
  ids.forEach((messageId, i) => {
    const rows = results[2 * i] as OutgoingRow[];
    const [taken] = results[2 * i + 1] as { attempts: number }[];
    looked.set(messageId, { row: rows[0], claim: taken ? { id: messageId, attempt: taken.attempts, leaseUntil } : null });
  });
  return looked;
}

// The statements every delivery runs, built once per handle (data/statement-template.ts): building their
// SQL anew was a large share of the queue consumer's CPU (tools/bench/profile.mjs fresh).
const p = (name: string) => sql.placeholder(name);
const outgoingRow = statementTemplate<{ messageId: string }, OutgoingRow>((db) => outgoingQuery(db, p('messageId')));
const claimIfDue = statementTemplate<{ messageId: string; leaseUntil: number; dueBy: number }, { attempts: number }>((db) => db.update(messages)
  .set({ attempts: sql`${messages.attempts} + 1`, nextAttemptAt: p('leaseUntil') as never })
  .where(and(
    eq(messages.id, p('messageId')), isOutgoing, eq(messages.status, 'sending'), isNull(messages.pendingOp),
    isNotNull(messages.nextAttemptAt), lte(messages.nextAttemptAt, p('dueBy')), not(waitsForAnOlderReply),
  ))
  .returning({ attempts: messages.attempts }));
const recordDelivered = statementTemplate<{ claimId: string; attempt: number; leaseUntil: number; sentParts: number; externalId: string | null }>((db) => db.update(messages)
  .set({ status: 'sent', sentParts: p('sentParts') as never, nextAttemptAt: null, error: null, externalId: p('externalId') as never })
  .where(and(claimed({ id: p('claimId'), attempt: p('attempt'), leaseUntil: p('leaseUntil') }), eq(messages.status, 'sending'))));
const nextPending = statementTemplate<{ chatId: string; createdAt: number; id: string }, { id: string }>((db) => nextPendingQuery(db, { id: p('id'), chatId: p('chatId'), createdAt: p('createdAt') }));

/** Delivers a looked-at row if this worker claimed it; otherwise says why not (from the row as it stood). */
export async function deliverLooked(deps: DeliveryDeps, { row, claim }: Looked, t: number): Promise<OutboxOutcome> {
  if (!row || row.direction !== 'out') return skipped('not an outgoing message');
  if (!claim) {
    if (row.status !== 'sending') return skipped(`already ${row.status}`);
    const wait = secondsUntilDue(row.nextAttemptAt, t);
    if (wait > 0) return { kind: 'retry', delaySeconds: wait, reason: 'not due yet', changes: [] };
    // Messages of one chat leave in order: the older one still on its way hands this one on when it is done.
    if (row.olderPending) return skipped('an older message is pending');
    return skipped('claimed by another worker');
  }
  const now = () => clock(deps);
  const changes: LiveChange[] = [{ kind: 'message_status', chatId: row.chatId, messageId: row.id }];
  if (!row.integrationEnabled || row.integrationRemovedAt !== null || !row.tokenEncrypted) {
    await fail(deps.db, claim, row, 'The bot is disconnected or disabled', false);
    return done(deps.db, row, changes);
  }

  const { adapter, ctx } = await openMessenger(deps.messengers, { channel: row.channel, tokenEncrypted: row.tokenEncrypted });
  const parts = await outboundParts(row, adapter.maxTextLength, deps.mediaUrl);
  if (parts.length === 0) {
    await fail(deps.db, claim, row, 'Nothing to send: the message has no text and no stored file', false);
    return done(deps.db, row, changes);
  }
  // A satisfaction survey's question carries the 1–5 buttons (the press comes back as a `choice`).
  if (row.origin === 'csat' && parts.length === 1 && parts[0].kind === 'text' && (await isSurveyQuestion(deps.db, row.id))) {
    parts[0] = { ...parts[0], choice: { prompt: CSAT_CHOICE.prompt, options: [...CSAT_CHOICE.options] } };
  }
  let lastId = row.externalId;
  for (let i = row.sentParts; i < parts.length; i++) {
    const result: DeliveryResult = await adapter.send(ctx, { externalChatId: row.externalChatId, botName: row.botName }, parts[i]);
    if (!result.ok) {
      const reason = withoutToken(result.reason, ctx.token);
      if (result.retryable && claim.attempt < MAX_ATTEMPTS) {
        const delaySeconds = queueDelay(result.retryAfterSeconds ?? backoffSeconds(claim.attempt));
        const moved = await deps.db.update(messages).set({ nextAttemptAt: now() + delaySeconds * 1000 }).where(claimed(claim)).returning({ id: messages.id });
        return moved.length ? { kind: 'retry', delaySeconds, reason, changes: [] } : skipped('claim lost');
      }
      const final = result.retryable ? `${reason} (gave up after ${claim.attempt} attempts)` : reason;
      await fail(deps.db, claim, row, final, !result.retryable && !!result.recipientGone);
      return done(deps.db, row, changes);
    }
    lastId = result.externalMessageId;
    if (i < parts.length - 1) {
      const kept = await recordSent(deps.db, claim, { sentParts: i + 1 }, lastId);
      if (!kept) return skipped('claim lost');
    }
  }
  // The last piece's id: receipts (Viber delivered / seen) for it stand for the whole message.
  return sentAndNext(deps, claim, row, parts.length, lastId, changes);
}

/**
 * The last piece went out: records it, finds the chat's next waiting reply and reads what the live
 * frames of the new status need, in one round trip.
 */
async function sentAndNext({ db, recordBatch }: DeliveryDeps, claim: Claim, row: OutgoingRow, sentParts: number, externalId: string | null, changes: LiveChange[]): Promise<OutboxOutcome> {
  try {
    const { results: [, after], liveRows } = await writeWithLiveRows(db, [
      recordDelivered.item(db, { claimId: claim.id, attempt: claim.attempt, leaseUntil: claim.leaseUntil, sentParts, externalId }),
      nextPending.item(db, row),
    ], changes, recordBatch);
    return { ...doneWith((after as { id: string }[])[0], row, changes), ...(liveRows ? { liveRows } : {}) };
  } catch (err) {
    if (!isUniqueError(err)) throw err;
    // The batch landed nothing: record without the colliding id (recordSent), then look for the next one.
    await recordSent(db, claim, { status: 'sent', sentParts, nextAttemptAt: null, error: null }, externalId);
    return done(db, row, changes);
  }
}

/** This message left (or failed for good): the chat's next waiting reply, if any, goes next. */
async function done(db: Db, row: OutgoingRow, changes: LiveChange[]): Promise<OutboxOutcome> {
  return doneWith((await nextPending.all(db, row))[0], row, changes);
}

function doneWith(next: { id: string } | undefined, row: OutgoingRow, changes: LiveChange[]): Extract<OutboxOutcome, { kind: 'done' }> {
  return next ? { kind: 'done', changes, next: { messageId: next.id, chatId: row.chatId } } : { kind: 'done', changes };
}

/**
 * Records what reached the messenger. It went out, so this must not fail into a resend: if the external
 * id collides with another row (ids are only unique per chat and a messenger could reuse one), the
 * progress is stored without it.
 */
async function recordSent(db: Db, claim: Claim, set: Partial<typeof messages.$inferInsert>, externalId: string | null): Promise<boolean> {
  const where = and(claimed(claim), eq(messages.status, 'sending'));
  try {
    return (await db.update(messages).set({ ...set, externalId }).where(where).returning({ id: messages.id })).length > 0;
  } catch (err) {
    if (!isUniqueError(err)) throw err;
    return (await db.update(messages).set(set).where(where).returning({ id: messages.id })).length > 0;
  }
}

function isUniqueError(err: unknown): boolean {
  return /UNIQUE|constraint/i.test(String((err as Error)?.message) + String((err as { cause?: Error })?.cause?.message ?? ''));
}

async function fail(db: Db, claim: Claim, row: OutgoingRow, reason: string, recipientGone: boolean) {
  const writes: Write[] = [
    db.update(messages).set({ status: 'failed', error: reason, nextAttemptAt: null }).where(and(claimed(claim), eq(messages.status, 'sending'))),
  ];
  // The client blocked the bot / unsubscribed: later sends would fail the same way until they come back.
  if (recipientGone) {
    writes.push(db.update(contactIdentities).set({ reachable: false })
      .where(and(eq(contactIdentities.integrationId, row.integrationId), eq(contactIdentities.contactId, row.contactId))));
  }
  await runBatch(db, writes);
}

type OutgoingRow = Awaited<ReturnType<typeof outgoingQuery>>[number];

// Column names are distinct on purpose: in a D1 batch drizzle maps a row's values by column name.
function outgoingQuery(db: Db, messageId: string | Placeholder) {
  return db
    .select({
      id: messages.id, chatId: messages.chatId, direction: messages.direction, origin: messages.origin, status: messages.status, text: messages.text,
      attachments: messages.attachments, attempts: messages.attempts, sentParts: messages.sentParts, externalId: messages.externalId,
      nextAttemptAt: messages.nextAttemptAt, createdAt: messages.createdAt, pendingOp: messages.pendingOp,
      olderPending: sql<number>`${waitsForAnOlderReply}`.as('older_pending'),
      externalChatId: chats.externalChatId, contactId: chats.contactId, integrationId: chats.integrationId,
      channel: integrations.channel, botName: integrations.name, tokenEncrypted: integrations.tokenEncrypted,
      integrationEnabled: integrations.enabled, integrationRemovedAt: integrations.removedAt,
    })
    .from(messages)
    .innerJoin(chats, eq(chats.id, messages.chatId))
    .innerJoin(integrations, eq(integrations.id, chats.integrationId))
    .where(eq(messages.id, messageId))
    .limit(1);
}

/** The oldest outgoing message of the same chat still being sent that comes after `row`: the one it hands on to. */
function nextPendingQuery(db: Db, row: { id: string | Placeholder; chatId: string | Placeholder; createdAt: number | Placeholder }) {
  return db.select({ id: messages.id }).from(messages)
    .where(and(
      eq(messages.chatId, row.chatId), isOutgoing, eq(messages.status, 'sending'),
      or(gt(messages.createdAt, row.createdAt), and(eq(messages.createdAt, row.createdAt), gt(messages.id, row.id))),
    ))
    .orderBy(asc(messages.createdAt), asc(messages.id)).limit(1);
}
