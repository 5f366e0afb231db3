/**
 * Editing and deleting a manager's reply after it was sent, where the messenger allows it (Telegram:
 * editMessageText, and deleteMessage within 48 h; Viber cannot). The request stores the change on the
 * message row at once (new text / deleted mark, `pending_op`, `next_attempt_at`) and the outbox makes it
 * on the messenger with the same claim, retries and sweeper as a send. If the messenger refuses for
 * good, the row goes back to what the client sees and says why (`error`).
 */
import { and, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { chats, integrations, messages, type PendingMessageOp } from '../../data/schema';
import { getAdapter } from '../../messengers/registry';
import type { ChangeResult } from '../../messengers/types';
import { badRequest, conflict, forbidden, notFound } from '../../shared/errors';
import { can, type SessionUser } from '../access';
import { openMessenger, withoutToken } from '../integrations';
import { clock, eventInsert } from '../runtime';
import type { DeliveryDeps } from './delivery';
import { backoffSeconds, claimed, claimRow, MAX_ATTEMPTS, queueDelay, secondsUntilDue, skipped, type OutboxOutcome } from './outbox';
import type { OutboundStoreDeps, Stored } from './post';

const SENT = ['sent', 'delivered', 'seen'] as const;

/** Replaces the text of a sent reply: 404 unknown, 403 neither its author nor an admin, 409 when the messenger cannot. */
export async function editSentReply(deps: OutboundStoreDeps, user: SessionUser, input: { chatId: string; messageId: string; text: string }): Promise<Stored> {
  const { row, maxTextLength } = await changeableReply(deps, user, input, 'edit');
  const text = input.text.trim();
  if (text.length > maxTextLength) throw badRequest('too_long', `The messenger takes at most ${maxTextLength} characters in one message`);
  if (text === row.text && !row.pendingOp) return { message: row, changes: [], outbound: [] };
  const t = clock(deps);
  // While an earlier edit is still on its way, the client still sees that edit's starting text.
  const op: PendingMessageOp = row.pendingOp?.kind === 'edit' ? row.pendingOp : { kind: 'edit', previousText: row.text, previousEditedAt: row.editedAt };
  const event = eventInsert(deps.db, { chatId: row.chatId, type: 'message_edited', actorId: user.id, data: { messageId: row.id, previousText: row.text, byAgent: true }, at: t });
  return storeChange(deps, row, { text, editedAt: t, pendingOp: op }, event);
}

/** Deletes a sent reply for the client too (the timeline keeps it, marked deleted); the same rules as editing. */
export async function deleteSentReply(deps: OutboundStoreDeps, user: SessionUser, input: { chatId: string; messageId: string }): Promise<Stored> {
  const { row, deleteWithinMs } = await changeableReply(deps, user, input, 'delete');
  const t = clock(deps);
  if (t - row.createdAt > deleteWithinMs) {
    throw conflict('too_old', `The messenger lets bots delete a message only within ${Math.round(deleteWithinMs / 3_600_000)} hours of sending it`);
  }
  const event = eventInsert(deps.db, { chatId: row.chatId, type: 'message_deleted', actorId: user.id, data: { messageId: row.id }, at: t });
  return storeChange(deps, row, { deletedAt: t, pendingOp: { kind: 'delete' } }, event);
}

type ReplyRow = typeof messages.$inferSelect;

async function storeChange(deps: OutboundStoreDeps, row: ReplyRow, set: Partial<ReplyRow>, event: ReturnType<typeof eventInsert>): Promise<Stored> {
  const t = clock(deps);
  // attempts restarts the give-up count (and voids an older claim, whose writes match on it).
  const [updated] = await deps.db.batch([
    deps.db.update(messages).set({ ...set, error: null, attempts: 0, nextAttemptAt: t })
      .where(and(eq(messages.id, row.id), isNull(messages.deletedAt), inArray(messages.status, SENT))).returning(),
    event.write,
  ]);
  if (!updated.length) throw conflict('message_changed', 'The message changed meanwhile; reload and try again');
  return {
    message: updated[0],
    changes: [{ kind: 'message_status', chatId: row.chatId, messageId: row.id }, { kind: 'event', chatId: row.chatId, eventId: event.id }],
    outbound: [{ messageId: row.id, chatId: row.chatId }],
  };
}

/** The checks edit and delete share, in the order a person can act on them. */
async function changeableReply(deps: OutboundStoreDeps, user: SessionUser, input: { chatId: string; messageId: string }, kind: 'edit' | 'delete') {
  const found = await deps.db.select({ message: messages, channel: integrations.channel }).from(messages)
    .innerJoin(chats, eq(chats.id, messages.chatId)).innerJoin(integrations, eq(integrations.id, chats.integrationId))
    .where(and(eq(messages.id, input.messageId), eq(messages.chatId, input.chatId))).get();
  if (!found) throw notFound('Message');
  const row = found.message;
  if (row.direction !== 'out' || row.origin !== 'agent') throw conflict('not_a_reply', "Only a manager's reply can be edited or deleted");
  if (!can(user, 'message:change', { subjectUserId: row.authorId ?? '' })) throw forbidden('Only its author or an administrator may change a reply');
  if (row.deletedAt !== null) throw conflict('message_deleted', 'The message was deleted');
  const adapter = getAdapter(found.channel);
  const allowed = adapter?.sentMessageChanges;
  if (!adapter || !allowed || (kind === 'edit' && !allowed.edit)) {
    throw conflict('not_supported', `${found.channel} does not let bots ${kind} a message they sent`);
  }
  if (!(SENT as readonly string[]).includes(row.status) || row.externalId === null) throw conflict('not_sent', 'The message has not been sent yet');
  // The messenger knows only the last piece of a split text, and files by their own ids: text replies in one piece only.
  if ((row.attachments as unknown[]).length > 0 || row.sentParts > 1) throw conflict('not_editable', 'Only a reply sent as one text message can be changed');
  return { row, maxTextLength: adapter.maxTextLength, deleteWithinMs: allowed.deleteWithinMs };
}

/** Makes a row's pending edit or delete on the messenger (the outbox's work for rows with `pending_op`). */
export async function applySentChange(deps: DeliveryDeps, messageId: string): Promise<OutboxOutcome> {
  const now = () => clock(deps);
  const row = await deps.db.select({ message: messages, externalChatId: chats.externalChatId, channel: integrations.channel, tokenEncrypted: integrations.tokenEncrypted, enabled: integrations.enabled, removedAt: integrations.removedAt })
    .from(messages).innerJoin(chats, eq(chats.id, messages.chatId)).innerJoin(integrations, eq(integrations.id, chats.integrationId))
    .where(eq(messages.id, messageId)).get();
  const m = row?.message;
  if (!row || !m?.pendingOp || m.nextAttemptAt === null) return skipped('no change pending');
  const wait = secondsUntilDue(m.nextAttemptAt, now());
  if (wait > 0) return { kind: 'retry', delaySeconds: wait, reason: 'not due yet', changes: [] };
  const claim = await claimRow(deps.db, m, now(), isNotNull(messages.pendingOp));
  if (!claim) return skipped('claimed by another worker');
  const changes = [{ kind: 'message_status' as const, chatId: m.chatId, messageId }];
  const op = m.pendingOp;
  let result: ChangeResult;
  if (!row.enabled || row.removedAt !== null) {
    result = { ok: false, retryable: false, reason: 'The bot is disconnected or disabled' };
  } else {
    const { adapter, ctx } = await openMessenger(deps.messengers, { channel: row.channel, tokenEncrypted: row.tokenEncrypted });
    const to = { externalChatId: row.externalChatId };
    const call = op.kind === 'edit' ? adapter.editText?.(ctx, to, m.externalId!, m.text) : adapter.deleteMessage?.(ctx, to, m.externalId!);
    result = (await call) ?? { ok: false, retryable: false, reason: `${row.channel} cannot change sent messages` };
    if (!result.ok) result = { ...result, reason: withoutToken(result.reason, ctx.token) };
  }
  if (result.ok) {
    await deps.db.update(messages).set({ pendingOp: null, nextAttemptAt: null, error: null }).where(claimed(claim));
    return { kind: 'done', changes };
  }
  if (result.retryable && claim.attempt < MAX_ATTEMPTS) {
    const delaySeconds = queueDelay(result.retryAfterSeconds ?? backoffSeconds(claim.attempt));
    const moved = await deps.db.update(messages).set({ nextAttemptAt: now() + delaySeconds * 1000 }).where(claimed(claim)).returning({ id: messages.id });
    return moved.length ? { kind: 'retry', delaySeconds, reason: result.reason, changes: [] } : skipped('claim lost');
  }
  // Refused for good: the row shows again what the client sees, and why the change was not made.
  const undo: Partial<ReplyRow> = op.kind === 'edit' ? { text: op.previousText, editedAt: op.previousEditedAt } : { deletedAt: null };
  const label = op.kind === 'edit' ? 'Not edited' : 'Not deleted';
  await deps.db.update(messages).set({ ...undo, pendingOp: null, nextAttemptAt: null, error: `${label}: ${result.reason}` }).where(claimed(claim));
  return { kind: 'done', changes };
}
