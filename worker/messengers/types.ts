/**
 * The one interface every messenger implements. Domain code talks only to this; it never branches on
 * the channel name. A new messenger is one new file implementing `MessengerAdapter` plus one line in
 * `registry.ts`.
 */

/** Options every adapter call receives: where the messenger's API lives and how to reach it. */
export interface AdapterContext {
  /** Base URL of the messenger API (Telegram: `{base}/bot{token}/{method}`, Viber: `{base}/pa/{method}`). */
  apiBase: string;
  /** The bot's token in clear text (decrypted by the caller, never logged). */
  token: string;
  /** Injected so tests and fakes can plug in; defaults to global fetch. */
  fetch?: typeof fetch;
  /**
   * Bounds on inbound media downloads (download.ts): hosts allowed besides the API base's (`*.` for
   * subdomains), the size cap and the deadline. Omitted bounds take download.ts's defaults.
   */
  media?: { hosts?: string[]; maxBytes?: number; timeoutMs?: number };
}

/** The person on the messenger side, as the messenger describes them. */
export interface InboundSender {
  /** The messenger's user id, always a string (Telegram ids exceed int32, Viber ids are base64). */
  externalId: string;
  /** The external chat id replies go to (Telegram chat.id, Viber user id). */
  externalChatId: string;
  name: string;
  username?: string;
  avatarUrl?: string;
  languageCode?: string;
}

/** A media reference the messenger gave us; fetched later and stored in R2. */
export interface InboundMedia {
  kind: 'photo' | 'document' | 'voice' | 'sticker' | 'video' | 'audio' | 'animation';
  /** Telegram: file_id (resolved through getFile); Viber: a direct URL that expires in 1 hour. */
  ref: string;
  fileName?: string;
  mimeType?: string;
  size?: number;
  /** Stable across re-sends (Telegram file_unique_id); for media dedup. */
  uniqueId?: string;
}

export type InboundEvent =
  /** A client message: text and/or media, or a structured location / contact card. */
  | {
      type: 'message';
      sender: InboundSender;
      /** Unique per chat; the message's own id on the messenger (Telegram message_id, Viber message_token). */
      externalMessageId: string;
      text: string;
      media?: InboundMedia;
      location?: { latitude: number; longitude: number };
      contactCard?: { name: string; phoneNumber: string };
      sentAt: number;
      /** True for Telegram `/start` (with or without deep-link payload): a first-contact signal. */
      isStart?: boolean;
      startPayload?: string;
    }
  /**
   * The client pressed one of the buttons we sent with a question (OutboundChoice): Telegram callback_query
   * (`ackId` is its id, to answer with answerChoice), Viber keyboard reply (text + our tracking_data).
   */
  | { type: 'choice'; sender: InboundSender; prompt: string; value: string; ackId?: string }
  /** The client edited an earlier message (Telegram edited_message). */
  | { type: 'edited'; sender: InboundSender; externalMessageId: string; text: string; sentAt: number }
  /** The client opened the conversation without writing yet (Viber conversation_started). */
  | { type: 'conversation_started'; sender: InboundSender; subscribed: boolean; context?: string; sentAt: number }
  | { type: 'subscribed'; sender: InboundSender; sentAt: number }
  /** The client unsubscribed (Viber) or blocked the bot (Telegram my_chat_member → kicked). */
  | { type: 'unsubscribed'; externalUserId: string; sentAt: number }
  | { type: 'resubscribed'; externalUserId: string; sentAt: number }
  /** Receipt for one of OUR outgoing messages, keyed by the external id `send` returned. */
  | { type: 'receipt'; status: 'delivered' | 'seen' | 'failed'; externalMessageId: string; externalUserId: string; reason?: string; sentAt: number }
  /** Acknowledge and ignore (Viber `webhook` check, update types an inbox does not handle). */
  | { type: 'ignored'; reason: string; ackId?: string };

/** One parsed webhook request. */
export interface ParsedUpdate {
  /** Provider-scoped dedup key, stable across redeliveries (e.g. `u:734512002`, `message:5916837583651237511`). */
  dedupKey: string;
  events: InboundEvent[];
}

/** Buttons sent with a text; the press comes back as a `choice` event with this prompt and the option's value. */
export interface OutboundChoice {
  /** A short word naming the question (`csat`); [a-z_]{1,16}. */
  prompt: string;
  /** At most 8 options; values are short words ([0-9a-z_]{1,16}), labels what the client reads. */
  options: { label: string; value: string }[];
}

export type OutboundContent =
  | { kind: 'text'; text: string; choice?: OutboundChoice }
  | { kind: 'media'; mediaKind: 'photo' | 'document'; url: string; fileName: string; mimeType: string; size: number; caption?: string };

export type DeliveryResult =
  | { ok: true; externalMessageId: string }
  | { ok: false; retryable: true; retryAfterSeconds?: number; reason: string }
  | { ok: false; retryable: false; reason: string; recipientGone?: boolean };

/** An inbound file ready to stream (`length` when the server declared it), or why not (`retryable`: try again later). */
export type FetchedMedia =
  | { ok: true; body: ReadableStream<Uint8Array>; length: number | null; mimeType: string; fileName: string }
  | { ok: false; retryable: boolean; reason: string };

/** What a change to an already sent message (edit, delete) or an acknowledgement led to. */
export type ChangeResult =
  | { ok: true }
  | { ok: false; retryable: true; retryAfterSeconds?: number; reason: string }
  | { ok: false; retryable: false; reason: string };

export interface BotIdentity {
  /** The bot's display name, used as the integration's source name. */
  name: string;
  externalBotId: string;
  username?: string;
}

export type ConnectResult = { ok: true; bot: BotIdentity } | { ok: false; reason: string };

export interface MessengerAdapter {
  readonly channel: string;
  /** Largest text one send accepts; longer texts are split by the caller. */
  readonly maxTextLength: number;
  /** When set, a webhook with another Content-Type is refused (415) before anything is read. */
  readonly webhookContentType?: string;
  /** Checks the request's credentials against the raw body. Constant-time. */
  verify(req: { headers: Headers; rawBody: string }, creds: { token: string; webhookSecret: string }): Promise<boolean>;
  /** Parses a raw body. Never throws: what it cannot use is an outcome too. */
  parse(rawBody: string): ParseOutcome;
  /**
   * What to answer in the webhook HTTP response for this update, if the protocol expects a body (Viber's
   * welcome message on conversation_started). Null → empty 200.
   */
  webhookResponse(events: InboundEvent[], greeting: { text: string; botName: string } | null): unknown | null;
  send(ctx: AdapterContext, to: { externalChatId: string; botName: string }, content: OutboundContent): Promise<DeliveryResult>;
  /**
   * Opens an inbound file for streaming (Telegram getFile + download; Viber direct URL) within
   * `ctx.media`'s bounds. The body errors with a MediaDownloadError past the size cap or the deadline.
   */
  fetchMedia(ctx: AdapterContext, media: InboundMedia): Promise<FetchedMedia>;
  /**
   * Changes to our sent messages the messenger allows: `deleteWithinMs` is how long after sending a bot may
   * still delete one (Telegram: 48 h). Absent when the messenger cannot (Viber): the UI then says why.
   */
  readonly sentMessageChanges?: { edit: boolean; deleteWithinMs: number };
  /** Replaces the text of one of our sent messages (requires sentMessageChanges.edit). */
  editText?(ctx: AdapterContext, to: { externalChatId: string }, externalMessageId: string, text: string): Promise<ChangeResult>;
  /** Deletes one of our sent messages for the client too (requires sentMessageChanges). */
  deleteMessage?(ctx: AdapterContext, to: { externalChatId: string }, externalMessageId: string): Promise<ChangeResult>;
  /** Answers a button press (`choice.ackId`) with a short notice, where the messenger expects one (Telegram). */
  answerChoice?(ctx: AdapterContext, ackId: string, text: string): Promise<ChangeResult>;
  /** Validates the token and returns the bot's identity. */
  getBot(ctx: AdapterContext): Promise<ConnectResult>;
  /** Registers the webhook URL with the given secret (the caller generates it fresh). */
  registerWebhook(ctx: AdapterContext, url: string, secret: string): Promise<{ ok: true } | { ok: false; reason: string }>;
  unregisterWebhook(ctx: AdapterContext): Promise<{ ok: true } | { ok: false; reason: string }>;
}

/**
 * What a parser makes of a body. A messenger retries an update we answer with 5xx, and the bot's
 * later updates queue behind it, so an update we cannot use is acknowledged and kept for an operator
 * instead; only a body that is no update at all is refused.
 */
export type ParseOutcome =
  | { kind: 'update'; update: ParsedUpdate }
  /** An update of this messenger (it has the messenger's update id / event) whose content we cannot use. */
  | { kind: 'unprocessable'; reason: string }
  /** Not JSON, not an object, or without the field every update of this messenger has. */
  | { kind: 'not_an_update'; reason: string };
