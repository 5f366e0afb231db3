/** Viber callback → InboundEvent[] (docs/viber.md §4). Pure: no network, no clock, no exceptions. */
import { z } from 'zod';
import { baseName } from './file-names';
import type { InboundEvent, InboundMedia, InboundSender, ParseOutcome } from './types';
import { CAP, isPlainObject, jsonOf, name, ref, shapeProblems, text, unixMillis, word } from './update-shape';

// message_token is a 64-bit integer sent as a bare JSON number; JSON.parse rounds it (docs/viber.md §2), so the digits
// are taken from the raw text. A user's text cannot fake this: inside a JSON string the quotes are escaped.
const MESSAGE_TOKEN = /"message_token"\s*:\s*(\d+)/;

/** The exact digits of the first `message_token` in a Viber JSON body (callback or API response). */
export function extractMessageToken(rawJson: string): string | undefined {
  return MESSAGE_TOKEN.exec(rawJson)?.[1];
}

const UserShape = z.looseObject({ id: ref().min(1), name: name().optional(), avatar: ref().optional(), language: name().optional() });
type ViberUser = z.infer<typeof UserShape>;

const MessageShape = z.looseObject({
  type: word(),
  text: text().optional(),
  media: ref().optional(),
  file_name: name().optional(),
  file_size: z.number().int().min(0).optional(),
  size: z.number().int().min(0).optional(),
  sticker_id: z.number().optional(),
  location: z.looseObject({ lat: z.number(), lon: z.number() }).optional(),
  contact: z.looseObject({ name: name().optional(), phone_number: name() }).optional(),
  // Ours, echoed from the last message we sent (viber.ts keyboardOf), or anything else a bot sent before.
  tracking_data: ref().optional(),
});
type ViberMessage = z.infer<typeof MessageShape>;

const CallbackShape = z.discriminatedUnion('event', [
  z.looseObject({ event: z.literal('message'), timestamp: unixMillis(), sender: UserShape, message: MessageShape }),
  z.looseObject({
    event: z.literal('conversation_started'),
    timestamp: unixMillis(),
    user: UserShape,
    subscribed: z.boolean().optional(),
    context: ref().optional(),
  }),
  z.looseObject({ event: z.literal('subscribed'), timestamp: unixMillis(), user: UserShape }),
  z.looseObject({ event: z.literal('unsubscribed'), timestamp: unixMillis(), user_id: ref().min(1) }),
  z.looseObject({
    event: z.enum(['delivered', 'seen', 'failed']),
    timestamp: unixMillis(),
    user_id: ref().min(1),
    desc: ref().optional(),
  }),
]);
const KNOWN_EVENTS = new Set(['message', 'conversation_started', 'subscribed', 'unsubscribed', 'delivered', 'seen', 'failed']);
/** A 64-bit integer has at most 20 digits: more is not a token Viber made. */
const TOKEN_DIGITS = 20;

/**
 * Parses one callback body. Without an `event` it is not a Viber callback; with one, a field we read
 * that has another shape (or a missing, ambiguous or oversized message_token) makes it unprocessable.
 */
export function parseViberCallback(rawBody: string): ParseOutcome {
  const json = jsonOf(rawBody);
  if (!json) return { kind: 'not_an_update', reason: 'Viber callback is not valid JSON' };
  const body = json.value;
  if (!isPlainObject(body) || typeof body.event !== 'string' || body.event === '' || body.event.length > CAP.word) {
    return { kind: 'not_an_update', reason: 'Viber callback has no event' };
  }
  const event = body.event;
  const unprocessable = (reason: string): ParseOutcome => ({ kind: 'unprocessable', reason: `Viber ${event} callback ${reason}` });
  const token = extractMessageToken(rawBody);
  if (token !== undefined && token.length > TOKEN_DIGITS) return unprocessable('has an oversized message_token');
  // The digits must be the same number JSON.parse saw, or the regex matched something else.
  if (token !== undefined && Number(token) !== body.message_token) return unprocessable('has an ambiguous message_token');
  if (!KNOWN_EVENTS.has(event)) {
    // `webhook` (the set_webhook check) and internal types (client_status, action…) are acknowledged.
    const ts = typeof body.timestamp === 'number' ? body.timestamp : '';
    return update(`${event}:${token ?? `t${ts}`}`, { type: 'ignored', reason: `Viber event ${event}` });
  }
  const known = CallbackShape.safeParse(body);
  if (!known.success) return unprocessable(`has an unexpected shape: ${shapeProblems(known.error)}`);
  const cb = known.data;
  const sentAt = cb.timestamp;
  switch (cb.event) {
    case 'message': {
      if (token === undefined) return unprocessable('has no message_token');
      return update(`message:${token}`, messageEvent(cb.sender, cb.message, token, sentAt));
    }
    case 'conversation_started': {
      const ev: InboundEvent = { type: 'conversation_started', sender: senderOf(cb.user), subscribed: cb.subscribed ?? false, sentAt };
      if (cb.context) ev.context = cb.context;
      return update(`${cb.event}:${token ?? `t${sentAt}:${cb.user.id}`}`, ev);
    }
    case 'subscribed':
      return update(`subscribed:${token ?? `t${sentAt}:${cb.user.id}`}`, { type: 'subscribed', sender: senderOf(cb.user), sentAt });
    case 'unsubscribed':
      return update(`unsubscribed:${token ?? `t${sentAt}:${cb.user_id}`}`, { type: 'unsubscribed', externalUserId: cb.user_id, sentAt });
    default: {
      // Receipts refer to OUR message, so without its token they cannot be matched to anything.
      if (token === undefined) return unprocessable('has no message_token');
      const receipt: InboundEvent = { type: 'receipt', status: cb.event, externalMessageId: token, externalUserId: cb.user_id, sentAt };
      if (cb.desc) receipt.reason = cb.desc;
      // delivered repeats once per device, so the user id is part of the key (docs/viber.md §4.4).
      return update(`${cb.event}:${token}:${cb.user_id}`, receipt);
    }
  }
}

/** `choice:<prompt>:<v1,v2,…>`: what keyboardOf sends as tracking_data, so a reply can be read as a press. */
const CHOICE_TRACKING = /^choice:([a-z_]{1,16}):([0-9a-z_,]{1,200})$/;

export function choiceTrackingData(choice: { prompt: string; options: { value: string }[] }): string {
  return `choice:${choice.prompt}:${choice.options.map((o) => o.value).join(',')}`;
}

/** A text that is exactly one of the values our keyboard offered is a press; anything else the client typed is a message. */
function choiceOf(msg: ViberMessage): { prompt: string; value: string } | null {
  const tracked = msg.type === 'text' && msg.tracking_data ? CHOICE_TRACKING.exec(msg.tracking_data) : null;
  const value = msg.text?.trim();
  if (!tracked || !value || !tracked[2].split(',').includes(value)) return null;
  return { prompt: tracked[1], value };
}

const update = (dedupKey: string, event: InboundEvent): ParseOutcome => ({ kind: 'update', update: { dedupKey, events: [event] } });

function messageEvent(user: ViberUser, msg: ViberMessage, token: string, sentAt: number): InboundEvent {
  const choice = choiceOf(msg);
  if (choice) return { type: 'choice', sender: senderOf(user), ...choice };
  const event: Extract<InboundEvent, { type: 'message' }> = {
    type: 'message',
    sender: senderOf(user),
    externalMessageId: token,
    text: msg.text ?? '',
    sentAt,
  };
  const media = mediaOf(msg);
  if (media) event.media = media;
  if (msg.type === 'location' && msg.location) event.location = { latitude: msg.location.lat, longitude: msg.location.lon };
  if (msg.type === 'contact' && msg.contact) {
    event.contactCard = { name: msg.contact.name ?? '', phoneNumber: msg.contact.phone_number };
  }
  // A `url` message carries the link in `media`; it is text to a reader, not a file to download.
  if (msg.type === 'url' && msg.media && !event.text) event.text = msg.media;
  if (msg.type === 'sticker' && !media && !event.text) event.text = msg.sticker_id !== undefined ? `[sticker ${msg.sticker_id}]` : '[sticker]';
  if (!event.text && !event.media && !event.location && !event.contactCard) {
    return { type: 'ignored', reason: `Viber message type not handled: ${msg.type}` };
  }
  return event;
}

const MEDIA_KIND: Record<string, InboundMedia['kind']> = { picture: 'photo', video: 'video', file: 'document', sticker: 'sticker' };

function mediaOf(msg: ViberMessage): InboundMedia | undefined {
  const kind = MEDIA_KIND[msg.type];
  if (!kind || !msg.media) return undefined;
  // The URL is the only reference Viber gives; it expires after one hour (docs/viber.md §7), so fetch promptly.
  const media: InboundMedia = { kind, ref: msg.media };
  const fileName = msg.file_name ?? (kind === 'sticker' ? undefined : baseName(msg.media, ''));
  if (fileName) media.fileName = fileName;
  const size = msg.file_size ?? msg.size;
  if (size !== undefined) media.size = size;
  return media;
}

function senderOf(user: ViberUser): InboundSender {
  const sender: InboundSender = { externalId: user.id, externalChatId: user.id, name: user.name || 'Viber user' };
  if (user.avatar) sender.avatarUrl = user.avatar;
  if (user.language) sender.languageCode = user.language;
  return sender;
}
