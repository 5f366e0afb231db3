/**
 * Attachments as stored in `messages.attachments` (JSON). Files live in R2 under a key that starts with
 * the chat id, so any route can tell which chat (and so which access check) a key belongs to.
 */
import { newId } from '../shared/ids';

export interface StoredAttachment {
  /** photo | document | voice | sticker | video | audio | animation | location | contact */
  kind: string;
  /** R2 key once the bytes are kept. */
  key?: string;
  fileName?: string;
  mimeType?: string;
  size?: number | null;
  /** Inbound media not fetched from the messenger yet; `ref` is how to fetch it. */
  pending?: boolean;
  ref?: string;
  /** Why the file could not be kept (fetch gave up). */
  error?: string;
  latitude?: number;
  longitude?: number;
  name?: string;
  phoneNumber?: string;
}

/** A fresh R2 key for a file of `chatId`: `<chatId>-<id>` (ids are [0-9a-z], so the split is unambiguous). */
export function newMediaKey(chatId: string, now = Date.now()): string {
  return `${chatId}-${newId(now)}`;
}

/** The chat a media key belongs to, or null when the key is not one of ours. */
export function chatOfMediaKey(key: string): string | null {
  return /^([0-9a-z]+)-[0-9a-z]+$/.exec(key)?.[1] ?? null;
}

/** Images messengers show inline go as photos; everything else as a document. */
export function outboundMediaKind(mimeType: string): 'photo' | 'document' {
  return /^image\/(jpeg|png|webp)$/i.test(mimeType) ? 'photo' : 'document';
}

/** Reads a message row's attachments column defensively (it is JSON written by several code paths). */
export function attachmentsOf(value: unknown): StoredAttachment[] {
  return Array.isArray(value) ? (value.filter((a) => a && typeof a === 'object' && typeof a.kind === 'string') as StoredAttachment[]) : [];
}
