/** Viber callback → InboundEvent[] (docs/viber.md §4). Pure: no network, no clock. */
import { z } from 'zod';
import { baseName } from './file-names';
import { MalformedUpdateError, type InboundEvent, type InboundMedia, type InboundSender, type ParsedUpdate } from './types';

// message_token is a 64-bit integer sent as a bare JSON number; JSON.parse rounds it (docs/viber.md §2), so the digits
// are taken from the raw text. A user's text cannot fake this: inside a JSON string the quotes are escaped.
const MESSAGE_TOKEN = /"message_token"\s*:\s*(\d+)/;

/** The exact digits of the first `message_token` in a Viber JSON body (callback or API response). */
export function extractMessageToken(rawJson: string): string | undefined {
  return MESSAGE_TOKEN.exec(rawJson)?.[1];
}

const UserShape = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  avatar: z.string().optional(),
  language: z.string().optional(),
});
type ViberUser = z.infer<typeof UserShape>;

const MessageShape = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  media: z.string().optional(),
  file_name: z.string().optional(),
  file_size: z.number().optional(),
  size: z.number().optional(),
  sticker_id: z.number().optional(),
  location: z.looseObject({ lat: z.number(), lon: z.number() }).optional(),
  contact: z.looseObject({ name: z.string().optional(), phone_number: z.string() }).optional(),
});
type ViberMessage = z.infer<typeof MessageShape>;

const CallbackShape = z.discriminatedUnion('event', [
  z.looseObject({ event: z.literal('message'), timestamp: z.number(), sender: UserShape, message: MessageShape }),
  z.looseObject({
    event: z.literal('conversation_started'),
    timestamp: z.number(),
    user: UserShape,
    subscribed: z.boolean().optional(),
    context: z.string().optional(),
  }),
  z.looseObject({ event: z.literal('subscribed'), timestamp: z.number(), user: UserShape }),
  z.looseObject({ event: z.literal('unsubscribed'), timestamp: z.number(), user_id: z.string() }),
  z.looseObject({
    event: z.enum(['delivered', 'seen', 'failed']),
    timestamp: z.number(),
    user_id: z.string(),
    desc: z.string().optional(),
  }),
]);

/** Parses one callback body. Throws MalformedUpdateError when it is not JSON or lacks required fields. */
export function parseViberCallback(rawBody: string): ParsedUpdate {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new MalformedUpdateError('Viber callback is not valid JSON');
  }
  const event = (json as { event?: unknown } | null)?.event;
  if (typeof event !== 'string' || event === '') throw new MalformedUpdateError('Viber callback has no event');
  const token = extractMessageToken(rawBody);
  // The digits must be the same number JSON.parse saw, or the regex matched something else.
  if (token !== undefined && Number(token) !== (json as { message_token?: unknown }).message_token) {
    throw new MalformedUpdateError('Viber callback message_token is ambiguous');
  }
  const known = CallbackShape.safeParse(json);
  if (!known.success) {
    // `webhook` (the set_webhook check) and internal types (client_status, action…) are acknowledged.
    if (!['message', 'conversation_started', 'subscribed', 'unsubscribed', 'delivered', 'seen', 'failed'].includes(event)) {
      const ts = (json as { timestamp?: unknown }).timestamp;
      return { dedupKey: `${event}:${token ?? `t${String(ts)}`}`, events: [{ type: 'ignored', reason: `Viber event ${event}` }] };
    }
    throw new MalformedUpdateError(`Viber ${event} callback has an unexpected shape: ${known.error.message}`);
  }
  const cb = known.data;
  const sentAt = cb.timestamp;
  switch (cb.event) {
    case 'message': {
      if (token === undefined) throw new MalformedUpdateError('Viber message callback has no message_token');
      return { dedupKey: `message:${token}`, events: [messageEvent(cb.sender, cb.message, token, sentAt)] };
    }
    case 'conversation_started': {
      const ev: InboundEvent = { type: 'conversation_started', sender: senderOf(cb.user), subscribed: cb.subscribed ?? false, sentAt };
      if (cb.context) ev.context = cb.context;
      return { dedupKey: `${cb.event}:${token ?? `t${sentAt}:${cb.user.id}`}`, events: [ev] };
    }
    case 'subscribed':
      return { dedupKey: `subscribed:${token ?? `t${sentAt}:${cb.user.id}`}`, events: [{ type: 'subscribed', sender: senderOf(cb.user), sentAt }] };
    case 'unsubscribed':
      return {
        dedupKey: `unsubscribed:${token ?? `t${sentAt}:${cb.user_id}`}`,
        events: [{ type: 'unsubscribed', externalUserId: cb.user_id, sentAt }],
      };
    default: {
      // Receipts refer to OUR message, so without its token they cannot be matched to anything.
      if (token === undefined) throw new MalformedUpdateError(`Viber ${cb.event} callback has no message_token`);
      const receipt: InboundEvent = { type: 'receipt', status: cb.event, externalMessageId: token, externalUserId: cb.user_id, sentAt };
      if (cb.desc) receipt.reason = cb.desc;
      // delivered repeats once per device, so the user id is part of the key (docs/viber.md §4.4).
      return { dedupKey: `${cb.event}:${token}:${cb.user_id}`, events: [receipt] };
    }
  }
}

function messageEvent(user: ViberUser, msg: ViberMessage, token: string, sentAt: number): InboundEvent {
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
