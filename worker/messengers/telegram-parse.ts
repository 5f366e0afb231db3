/** Telegram Update → InboundEvent[] (docs/telegram.md §3). Pure: no network, no clock. */
import type { ChatMemberUpdated, Message, Update, User } from '@grammyjs/types';
import { z } from 'zod';
import { MalformedUpdateError, type InboundEvent, type InboundMedia, type InboundSender, type ParsedUpdate } from './types';

// Only the fields we dereference are checked; everything else is read through the @grammyjs/types shapes.
const ChatShape = z.looseObject({ id: z.number(), type: z.string() });
const UserShape = z.looseObject({ id: z.number(), first_name: z.string() });
const MessageShape = z.looseObject({ message_id: z.number(), date: z.number(), chat: ChatShape, from: UserShape.optional() });
const UpdateShape = z.looseObject({
  update_id: z.number().int(),
  message: MessageShape.optional(),
  edited_message: MessageShape.optional(),
  my_chat_member: z
    .looseObject({
      chat: ChatShape,
      from: UserShape,
      date: z.number(),
      new_chat_member: z.looseObject({ status: z.string() }),
    })
    .optional(),
});

// `/start`, `/start@SomeBot` and `/start <deep-link payload>` (docs/telegram.md §3.4).
const START_COMMAND = /^\/start(?:@\w+)?(?:\s+([\s\S]*))?$/;

/** Parses one webhook body. Throws MalformedUpdateError for non-JSON or a body without `update_id`. */
export function parseTelegramUpdate(rawBody: string): ParsedUpdate {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new MalformedUpdateError('Telegram update is not valid JSON');
  }
  const checked = UpdateShape.safeParse(json);
  if (!checked.success) throw new MalformedUpdateError(`Telegram update has an unexpected shape: ${checked.error.message}`);
  const update = json as Update;
  return { dedupKey: `u:${update.update_id}`, events: [toEvent(update)] };
}

function toEvent(update: Update): InboundEvent {
  if (update.message) return fromMessage(update.message);
  if (update.edited_message) return fromEdit(update.edited_message);
  if (update.my_chat_member) return fromMembership(update.my_chat_member);
  const kind = Object.keys(update).find((k) => k !== 'update_id') ?? 'empty';
  return { type: 'ignored', reason: `Telegram update type not handled: ${kind}` };
}

function fromMessage(msg: Message): InboundEvent {
  if (msg.chat.type !== 'private' || !msg.from) return { type: 'ignored', reason: `message in a ${msg.chat.type} chat` };
  const text = msg.text ?? msg.caption ?? '';
  const media = mediaOf(msg);
  const location = msg.location ? { latitude: msg.location.latitude, longitude: msg.location.longitude } : undefined;
  const contactCard = msg.contact
    ? { name: fullName(msg.contact.first_name, msg.contact.last_name), phoneNumber: msg.contact.phone_number }
    : undefined;
  if (!text && !media && !location && !contactCard) {
    return { type: 'ignored', reason: `Telegram message content not handled (message_id ${msg.message_id})` };
  }
  const event: Extract<InboundEvent, { type: 'message' }> = {
    type: 'message',
    sender: senderOf(msg.from, msg.chat.id),
    externalMessageId: String(msg.message_id),
    text,
    sentAt: msg.date * 1000,
  };
  if (media) event.media = media;
  if (location) event.location = location;
  if (contactCard) event.contactCard = contactCard;
  const start = msg.text !== undefined ? START_COMMAND.exec(msg.text) : null;
  if (start) {
    event.isStart = true;
    const payload = start[1]?.trim();
    if (payload) event.startPayload = payload;
  }
  return event;
}

function fromEdit(msg: Message): InboundEvent {
  if (msg.chat.type !== 'private' || !msg.from) return { type: 'ignored', reason: `edit in a ${msg.chat.type} chat` };
  return {
    type: 'edited',
    sender: senderOf(msg.from, msg.chat.id),
    externalMessageId: String(msg.message_id),
    text: msg.text ?? msg.caption ?? '',
    sentAt: (msg.edit_date ?? msg.date) * 1000,
  };
}

// In private chats my_chat_member is sent only when the user blocks (kicked) or unblocks (member) the bot.
function fromMembership(change: ChatMemberUpdated): InboundEvent {
  if (change.chat.type !== 'private') return { type: 'ignored', reason: `membership change in a ${change.chat.type} chat` };
  const externalUserId = String(change.from.id);
  const sentAt = change.date * 1000;
  const status = change.new_chat_member.status;
  if (status === 'kicked') return { type: 'unsubscribed', externalUserId, sentAt };
  if (status === 'member') return { type: 'resubscribed', externalUserId, sentAt };
  return { type: 'ignored', reason: `membership status not handled: ${status}` };
}

function mediaOf(msg: Message): InboundMedia | undefined {
  if (msg.photo && msg.photo.length > 0) {
    // Sizes arrive smallest first (observed, not specified): the last one is the full-size photo.
    const largest = msg.photo[msg.photo.length - 1]!;
    // No mimeType: Telegram serves photos as JPEG, but fetchMedia reads the type from the download.
    return withSize({ kind: 'photo', ref: largest.file_id, uniqueId: largest.file_unique_id }, largest.file_size);
  }
  // An animation also sets `document`, so it must be checked first.
  const file =
    (msg.animation && { kind: 'animation' as const, f: msg.animation }) ||
    (msg.document && { kind: 'document' as const, f: msg.document }) ||
    (msg.video && { kind: 'video' as const, f: msg.video }) ||
    (msg.video_note && { kind: 'video' as const, f: msg.video_note }) ||
    (msg.voice && { kind: 'voice' as const, f: msg.voice }) ||
    (msg.audio && { kind: 'audio' as const, f: msg.audio }) ||
    (msg.sticker && { kind: 'sticker' as const, f: msg.sticker });
  if (!file) return undefined;
  const f = file.f as { file_id: string; file_unique_id: string; file_size?: number; file_name?: string; mime_type?: string };
  const media: InboundMedia = { kind: file.kind, ref: f.file_id, uniqueId: f.file_unique_id };
  if (f.file_name) media.fileName = f.file_name;
  if (f.mime_type) media.mimeType = f.mime_type;
  return withSize(media, f.file_size);
}

function withSize(media: InboundMedia, size: number | undefined): InboundMedia {
  if (size !== undefined) media.size = size;
  return media;
}

function senderOf(user: User, chatId: number): InboundSender {
  const sender: InboundSender = {
    externalId: String(user.id),
    externalChatId: String(chatId),
    name: fullName(user.first_name, user.last_name),
  };
  if (user.username) sender.username = user.username;
  if (user.language_code) sender.languageCode = user.language_code;
  return sender;
}

function fullName(first: string, last: string | undefined): string {
  return last ? `${first} ${last}` : first;
}
