/**
 * Telegram Update → InboundEvent[] (docs/telegram.md §3). Pure: no network, no clock, no exceptions.
 * Every field the parser reads is checked by the zod shapes below first; the shapes describe a subset
 * of @grammyjs/types' Update (checked at compile time at the end of this file).
 */
import type { CallbackQuery, Message, Update, User } from '@grammyjs/types';
import { z } from 'zod';
import type { InboundEvent, InboundMedia, InboundSender, ParseOutcome } from './types';
import { isPlainObject, jsonOf, name, ref, shapeProblems, text, unixSeconds, word } from './update-shape';

const ChatShape = z.looseObject({ id: z.number(), type: word() });
const UserShape = z.looseObject({
  id: z.number(), first_name: name(), last_name: name().optional(), username: name().optional(), language_code: name().optional(),
});
const FileShape = z.looseObject({
  file_id: ref(), file_unique_id: ref(), file_size: z.number().int().min(0).optional(), file_name: name().optional(), mime_type: name().optional(),
});
const MessageShape = z.looseObject({
  message_id: z.number(),
  date: unixSeconds(),
  edit_date: unixSeconds().optional(),
  chat: ChatShape,
  from: UserShape.optional(),
  text: text().optional(),
  caption: text().optional(),
  photo: z.array(FileShape).optional(),
  animation: FileShape.optional(),
  document: FileShape.optional(),
  video: FileShape.optional(),
  video_note: FileShape.optional(),
  voice: FileShape.optional(),
  audio: FileShape.optional(),
  sticker: FileShape.optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number() }).optional(),
  contact: z.looseObject({ first_name: name(), last_name: name().optional(), phone_number: name() }).optional(),
});
const MembershipShape = z.looseObject({ chat: ChatShape, from: UserShape, date: unixSeconds(), new_chat_member: z.looseObject({ status: word() }) });
// A button press: `message` is the one our button was under (absent for inline-mode messages), `data` our callback_data.
const CallbackQueryShape = z.looseObject({
  id: ref().min(1),
  from: UserShape,
  message: z.looseObject({ message_id: z.number(), chat: ChatShape }).optional(),
  data: ref().optional(),
});
const UpdateShape = z.looseObject({
  update_id: z.number().int(),
  message: MessageShape.optional(),
  edited_message: MessageShape.optional(),
  my_chat_member: MembershipShape.optional(),
  callback_query: CallbackQueryShape.optional(),
});
type TgUpdate = z.infer<typeof UpdateShape>;
type TgMessage = z.infer<typeof MessageShape>;
type TgUser = z.infer<typeof UserShape>;
type TgMembership = z.infer<typeof MembershipShape>;
type TgCallbackQuery = z.infer<typeof CallbackQueryShape>;

/** Our callback_data is `<prompt>:<value>` (telegram.ts writes it); anything else is not a press we made. */
const CHOICE_DATA = /^([a-z_]{1,16}):([0-9a-z_]{1,16})$/;

// `/start`, `/start@SomeBot` and `/start <deep-link payload>` (docs/telegram.md §3.4).
const START_COMMAND = /^\/start(?:@\w+)?(?:\s+([\s\S]*))?$/;

/**
 * Parses one webhook body. Without an integer `update_id` it is not a Telegram update; with one, a
 * field we read that has another shape makes it unprocessable.
 */
export function parseTelegramUpdate(rawBody: string): ParseOutcome {
  const json = jsonOf(rawBody);
  if (!json) return { kind: 'not_an_update', reason: 'Telegram update is not valid JSON' };
  if (!isPlainObject(json.value) || !Number.isSafeInteger(json.value.update_id)) {
    return { kind: 'not_an_update', reason: 'Telegram update has no integer update_id' };
  }
  const checked = UpdateShape.safeParse(json.value);
  if (!checked.success) return { kind: 'unprocessable', reason: `Telegram update has an unexpected shape: ${shapeProblems(checked.error)}` };
  const update = checked.data;
  return { kind: 'update', update: { dedupKey: `u:${update.update_id}`, events: [toEvent(update)] } };
}

function toEvent(update: TgUpdate): InboundEvent {
  if (update.message) return fromMessage(update.message);
  if (update.edited_message) return fromEdit(update.edited_message);
  if (update.my_chat_member) return fromMembership(update.my_chat_member);
  if (update.callback_query) return fromCallbackQuery(update.callback_query);
  const kind = Object.keys(update).find((k) => k !== 'update_id') ?? 'empty';
  return { type: 'ignored', reason: `Telegram update type not handled: ${kind.slice(0, 64)}` };
}

function fromMessage(msg: TgMessage): InboundEvent {
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

function fromEdit(msg: TgMessage): InboundEvent {
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
function fromMembership(change: TgMembership): InboundEvent {
  if (change.chat.type !== 'private') return { type: 'ignored', reason: `membership change in a ${change.chat.type} chat` };
  const externalUserId = String(change.from.id);
  const sentAt = change.date * 1000;
  const status = change.new_chat_member.status;
  if (status === 'kicked') return { type: 'unsubscribed', externalUserId, sentAt };
  if (status === 'member') return { type: 'resubscribed', externalUserId, sentAt };
  return { type: 'ignored', reason: `membership status not handled: ${status}` };
}

function fromCallbackQuery(query: TgCallbackQuery): InboundEvent {
  const choice = query.data !== undefined ? CHOICE_DATA.exec(query.data) : null;
  // Still answered (ackId) so the client's button stops spinning, even though there is nothing to record.
  if (!choice || !query.message || query.message.chat.type !== 'private') {
    return { type: 'ignored', reason: 'Telegram callback query not from one of our buttons in a private chat', ackId: query.id };
  }
  return {
    // A callback query carries no date of its own: the press is stamped when it is stored.
    type: 'choice', sender: senderOf(query.from, query.message.chat.id), prompt: choice[1], value: choice[2], ackId: query.id,
  };
}

function mediaOf(msg: TgMessage): InboundMedia | undefined {
  const largest = msg.photo?.at(-1);
  if (largest) {
    // Sizes arrive smallest first (observed, not specified): the last one is the full-size photo.
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
  const media: InboundMedia = { kind: file.kind, ref: file.f.file_id, uniqueId: file.f.file_unique_id };
  if (file.f.file_name) media.fileName = file.f.file_name;
  if (file.f.mime_type) media.mimeType = file.f.mime_type;
  return withSize(media, file.f.file_size);
}

function withSize(media: InboundMedia, size: number | undefined): InboundMedia {
  if (size !== undefined) media.size = size;
  return media;
}

function senderOf(user: TgUser, chatId: number): InboundSender {
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

// Compile-time: what the shapes let through is what @grammyjs/types says Telegram sends.
type Read<T, K extends keyof T> = { [P in K]: T[P] };
export type ShapesFitGrammy = [
  TgUser extends Read<User, 'id' | 'first_name' | 'last_name' | 'username' | 'language_code'> ? true : never,
  TgMessage extends Read<Message, 'message_id' | 'date' | 'edit_date' | 'text' | 'caption'> ? true : never,
  TgUpdate extends Read<Update, 'update_id'> ? true : never,
  TgCallbackQuery extends Read<CallbackQuery, 'id' | 'data'> ? true : never,
];
const shapesFitGrammy: ShapesFitGrammy = [true, true, true, true];
void shapesFitGrammy;
