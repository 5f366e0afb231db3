/**
 * Keeps a client's file: streams it from the messenger (Telegram getFile, Viber's expiring URL) into
 * R2 within the download bounds (messengers/download.ts: media hosts only, 20 MiB, a deadline) and
 * turns the message's pending attachment into a stored one, or into one that records why not. The message row is already stored by
 * ingest with `next_attempt_at` set, so a failure here is retried and a restart is re-driven by the sweeper.
 */
import { eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { chats, integrations, messages } from '../../data/schema';
import type { InboundMedia } from '../../messengers/types';
import { attachmentsOf, newMediaKey, type StoredAttachment } from '../../data/attachments';
import { openMessenger, type MessengerConfig } from '../integrations';
import { storeMedia } from './media-store';
import { clock } from '../runtime';
import { backoffSeconds, claimed, claimRow, queueDelay, secondsUntilDue, skipped, type OutboxOutcome } from './outbox';

export interface MediaDeps {
  db: Db;
  now?: () => number;
  messengers: MessengerConfig;
  bucket: R2Bucket;
}

/** Viber media URLs expire after an hour; a few tries over ~20 minutes is all that can succeed. */
export const MEDIA_MAX_ATTEMPTS = 5;

/** Fetches the pending files of incoming message `messageId` into R2. Never throws for messenger errors. */
export async function fetchInboundMedia(deps: MediaDeps, messageId: string): Promise<OutboxOutcome> {
  const now = () => clock(deps);
  const row = await deps.db
    .select({
      id: messages.id, chatId: messages.chatId, direction: messages.direction, attachments: messages.attachments,
      attempts: messages.attempts, nextAttemptAt: messages.nextAttemptAt,
      channel: integrations.channel, tokenEncrypted: integrations.tokenEncrypted,
    })
    .from(messages)
    .innerJoin(chats, eq(chats.id, messages.chatId))
    .innerJoin(integrations, eq(integrations.id, chats.integrationId))
    .where(eq(messages.id, messageId))
    .get();
  if (!row || row.direction !== 'in' || row.nextAttemptAt === null) return skipped('no pending media');
  const t = now();
  const wait = secondsUntilDue(row.nextAttemptAt, t);
  if (wait > 0) return { kind: 'retry', delaySeconds: wait, reason: 'not due yet', changes: [] };
  const claim = await claimRow(deps.db, row, t, isNotNull(messages.nextAttemptAt));
  if (!claim) return skipped('claimed by another worker');

  const list = attachmentsOf(row.attachments);
  const changes = [{ kind: 'message_status' as const, chatId: row.chatId, messageId }];
  // Why the last retryable failure happened: the reason a retry reports and, after the last try, records.
  let missing: string | null = null;
  if (row.tokenEncrypted) {
    const { adapter, ctx } = await openMessenger(deps.messengers, row);
    for (const [i, a] of list.entries()) {
      if (!a.pending || !a.ref) continue;
      const key = newMediaKey(row.chatId, t);
      const file = await adapter.fetchMedia(ctx, toInboundMedia(a));
      const stored = file.ok ? await storeMedia(deps.bucket, key, file) : file;
      if (stored.ok && file.ok) list[i] = { kind: a.kind, key, fileName: file.fileName, mimeType: file.mimeType, size: stored.size };
      else if (!stored.ok && stored.retryable) missing = stored.reason;
      // Too large, or not from the messenger's hosts: no retry can change that.
      else if (!stored.ok) list[i] = failed(a, stored.reason);
    }
  } else if (list.some((a) => a.pending)) {
    missing = 'The bot was disconnected';
  }

  if (missing !== null && claim.attempt < MEDIA_MAX_ATTEMPTS && row.tokenEncrypted) {
    // Files already kept are saved now, so the retry only fetches what is still missing.
    const delaySeconds = queueDelay(backoffSeconds(claim.attempt));
    await deps.db.update(messages).set({ attachments: list, nextAttemptAt: now() + delaySeconds * 1000 }).where(claimed(claim));
    return { kind: 'retry', delaySeconds, reason: missing, changes: [] };
  }
  const settled = list.map((a): StoredAttachment => (a.pending ? failed(a, `The file could not be downloaded from the messenger${missing ? ` (${missing})` : ''}`) : a));
  await deps.db.update(messages).set({ attachments: settled, nextAttemptAt: null }).where(claimed(claim));
  return { kind: 'done', changes };
}

function failed(a: StoredAttachment, error: string): StoredAttachment {
  return { kind: a.kind, fileName: a.fileName, mimeType: a.mimeType, size: a.size ?? null, error };
}

function toInboundMedia(a: StoredAttachment): InboundMedia {
  const media: InboundMedia = { kind: a.kind as InboundMedia['kind'], ref: a.ref! };
  // ingest fills placeholders when the messenger gave no name / type; only pass real ones on.
  if (a.fileName && a.fileName !== a.kind) media.fileName = a.fileName;
  if (a.mimeType && a.mimeType !== 'application/octet-stream') media.mimeType = a.mimeType;
  if (typeof a.size === 'number') media.size = a.size;
  return media;
}
