/**
 * A manager writes to a client: the message is stored as `sending` (with `next_attempt_at`, so the
 * outbox will deliver it even if the queue loses its copy) and delivered later by `deliverMessage`.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { runBatch } from '../../data/db';
import { chats, integrations, messages, reportChatState } from '../../data/schema';
import { newMediaKey, outboundMediaKind, type StoredAttachment } from '../../data/attachments';
import { conflict, DomainError, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { LiveChange } from '../live';
import type { OutboxMessage } from './outbox';
import { messagePreview } from '../../shared/preview';
import { clock } from '../runtime';
import { businessReplyWrites } from '../reports';

export interface OutboundStoreDeps {
  db: Db;
  now?: () => number;
}

export type MessageRow = typeof messages.$inferSelect;

export interface Stored {
  message: MessageRow;
  changes: LiveChange[];
  /** Work for the outbox queue. */
  outbound: OutboxMessage[];
}

/** Managers can send files up to this size (Telegram downloads documents by URL up to 20 MB). */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/** Stores a manager's text reply for delivery. 409 when the chat is closed or its bot is disconnected. */
export async function postAgentMessage(deps: OutboundStoreDeps, input: { chatId: string; authorId: string; text: string }): Promise<Stored> {
  const chat = await writableChat(deps.db, input.chatId);
  return storeOutgoing(deps, chat, input.authorId, input.text, []);
}

/**
 * Stores a manager's file in R2 and a message carrying it (plus an optional caption) for delivery. The
 * messenger later downloads the file through a signed URL.
 */
export async function postAgentAttachment(
  deps: OutboundStoreDeps & { bucket: R2Bucket },
  input: { chatId: string; authorId: string; file: File; caption?: string },
): Promise<Stored> {
  const chat = await writableChat(deps.db, input.chatId);
  const { file } = input;
  if (file.size === 0) throw new DomainError(400, 'empty_file', 'The file is empty');
  if (file.size > MAX_ATTACHMENT_BYTES) throw new DomainError(413, 'payload_too_large', 'The file is larger than 20 MiB');
  const t = clock(deps);
  const mimeType = file.type || 'application/octet-stream';
  const fileName = (file.name || 'file').slice(0, 200);
  const key = newMediaKey(input.chatId, t);
  await deps.bucket.put(key, await file.arrayBuffer(), { httpMetadata: { contentType: mimeType }, customMetadata: { fileName } });
  const attachment: StoredAttachment = { kind: outboundMediaKind(mimeType), key, fileName, mimeType, size: file.size };
  return storeOutgoing(deps, chat, input.authorId, input.caption?.trim() ?? '', [attachment]);
}

/** Sends a failed outgoing message again; 409 unless it is failed. Delivery resumes after the pieces that went. */
export async function retryFailedMessage(deps: OutboundStoreDeps, input: { chatId: string; messageId: string }): Promise<Stored> {
  const t = clock(deps);
  const row = await deps.db.select().from(messages).where(and(eq(messages.id, input.messageId), eq(messages.chatId, input.chatId))).get();
  if (!row) throw notFound('Message');
  if (row.direction !== 'out' || row.status !== 'failed') throw conflict('not_failed', `Only a failed outgoing message can be retried (this one is ${row.status})`);
  await writableChat(deps.db, input.chatId);
  // attempts restarts the give-up count; the claim guard also checks the lease time, so a stale worker cannot match.
  const updated = await deps.db.update(messages).set({ status: 'sending', error: null, attempts: 0, nextAttemptAt: t })
    .where(and(eq(messages.id, row.id), eq(messages.status, 'failed'))).returning();
  if (!updated.length) throw conflict('not_failed', 'The message changed meanwhile; reload and try again');
  return { message: updated[0], changes: [{ kind: 'message_status', chatId: row.chatId, messageId: row.id }], outbound: [{ messageId: row.id, chatId: row.chatId }] };
}

async function storeOutgoing(deps: OutboundStoreDeps, chat: WritableChat, authorId: string, text: string, attachments: StoredAttachment[]): Promise<Stored> {
  const t = clock(deps);
  const { chatId } = chat;
  const message: MessageRow = {
    id: newId(t), chatId, direction: 'out', origin: 'agent', authorId, text, attachments, externalId: null, status: 'sending',
    error: null, attempts: 0, sentParts: 0, nextAttemptAt: t, createdAt: t, editedAt: null, pendingOp: null, deletedAt: null,
  };
  await runBatch(deps.db, [
    deps.db.insert(messages).values(message),
    deps.db.update(chats).set({ lastMessageAt: t, lastMessagePreview: messagePreview(text, attachments) }).where(eq(chats.id, chatId)),
    // After the insert: its trigger is what knows whether this reply is the conversation's first response.
    ...businessReplyWrites(deps.db, { chatId, at: t, firstInAt: chat.firstInAt, businessHours: chat.businessHours }),
  ]);
  return {
    message,
    changes: [{ kind: 'message', chatId, messageId: message.id }, { kind: 'chat_updated', chatId, reason: 'message' }],
    outbound: [{ messageId: message.id, chatId: message.chatId }],
  };
}

interface WritableChat {
  chatId: string;
  /** For the reply's first response in business hours: the integration's hours and the conversation's first client message. */
  businessHours: string | null;
  firstInAt: number | null;
}

/** Replies are refused on a closed chat (reopen it first) and on a disconnected bot. */
async function writableChat(db: Db, chatId: string): Promise<WritableChat> {
  const chat = await db.select({
    status: chats.status, enabled: integrations.enabled, removedAt: integrations.removedAt,
    businessHours: integrations.businessHours, firstInAt: reportChatState.firstInAt,
  }).from(chats).innerJoin(integrations, eq(integrations.id, chats.integrationId)).leftJoin(reportChatState, eq(reportChatState.chatId, chats.id))
    .where(eq(chats.id, chatId)).get();
  if (!chat) throw notFound('Chat');
  if (chat.status === 'closed') throw conflict('chat_closed', 'The chat is closed; reopen it to reply');
  if (!chat.enabled || chat.removedAt !== null) throw conflict('integration_disabled', "The chat's bot is disconnected or disabled");
  return { chatId, businessHours: chat.businessHours, firstInAt: chat.firstInAt };
}
