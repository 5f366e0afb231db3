/** Stored message rows → the timeline's message item (API.md). Internal fields (refs, keys) stay inside. */
import { attachmentsOf, type StoredAttachment } from './attachments';
import type { messages } from './schema';
import type { Attachment, MessageItem } from '../shared/messages';

type Row = Pick<typeof messages.$inferSelect, 'id' | 'chatId' | 'direction' | 'origin' | 'authorId' | 'text' | 'attachments' | 'status' | 'error' | 'createdAt' | 'editedAt'> & Partial<Pick<typeof messages.$inferSelect, 'pendingOp' | 'deletedAt'>>;

/** Where the UI loads a stored file (session-authenticated, access-checked per chat). */
export function attachmentPath(chatId: string, key: string): string {
  return `/api/chats/${chatId}/attachments/${key}`;
}

export function toAttachment(chatId: string, a: StoredAttachment): Attachment {
  const out: Attachment = { kind: a.kind, url: a.key ? attachmentPath(chatId, a.key) : null };
  if (a.fileName) out.name = a.fileName;
  if (a.mimeType) out.mimeType = a.mimeType;
  if (a.size !== undefined) out.size = a.size;
  if (a.pending) out.pending = true;
  if (a.error) out.error = a.error;
  if (typeof a.latitude === 'number') out.latitude = a.latitude;
  if (typeof a.longitude === 'number') out.longitude = a.longitude;
  if (a.kind === 'contact' && a.name) out.name = a.name;
  if (a.phoneNumber) out.phoneNumber = a.phoneNumber;
  return out;
}

export function toMessageItem(row: Row): MessageItem {
  return {
    kind: 'message',
    id: row.id,
    direction: row.direction,
    authorId: row.authorId,
    origin: row.origin,
    text: row.text,
    attachments: attachmentsOf(row.attachments).map((a) => toAttachment(row.chatId, a)),
    status: row.status,
    error: row.status === 'failed' ? row.error : null,
    createdAt: new Date(row.createdAt).toISOString(),
    editedAt: row.editedAt === null ? null : new Date(row.editedAt).toISOString(),
    deletedAt: row.deletedAt == null ? null : new Date(row.deletedAt).toISOString(),
    pendingChange: row.pendingOp?.kind ?? null,
    // A failed edit / delete of a sent reply keeps the message sent and says why here.
    changeError: row.status !== 'failed' && row.status !== 'sending' ? (row.error ?? null) : null,
  };
}
