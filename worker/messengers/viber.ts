/** Viber REST Bot API adapter (docs/viber.md): callback signatures, parsing, sends, setup. */
import { hmacSha256Hex, timingSafeEqualStrings } from './crypto';
import { baseName, guessMimeType, usableContentType } from './file-names';
import { openDownload } from './download';
import { requestText, tryParseJson } from './http';
import { extractMessageToken, parseViberCallback } from './viber-parse';
import type { AdapterContext, DeliveryResult, MessengerAdapter, OutboundChoice, OutboundContent } from './types';
import { choiceTrackingData } from './viber-parse';

/** Opt-in callbacks we want; message, subscribed and unsubscribed are always sent (docs/viber.md §3). */
export const VIBER_EVENT_TYPES = ['delivered', 'seen', 'failed', 'subscribed', 'unsubscribed', 'conversation_started'] as const;

/** Viber rejects a sender name longer than 28 characters (docs/viber.md §5). */
const MAX_SENDER_NAME = 28;

type CallOutcome =
  | { kind: 'ok'; body: Record<string, unknown>; raw: string }
  | { kind: 'error'; status: number; message: string }
  | { kind: 'http'; httpStatus: number }
  | { kind: 'network'; error: string };

/** One `/pa/<method>` call. Viber reports errors as HTTP 200 with a non-zero `status`. */
async function callApi(ctx: AdapterContext, method: string, body: Record<string, unknown>): Promise<CallOutcome> {
  const outcome = await requestText(ctx, `${ctx.apiBase}/pa/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-viber-auth-token': ctx.token },
    body: JSON.stringify(body),
  });
  if (outcome.kind === 'network') return outcome;
  const parsed = tryParseJson(outcome.text) as Record<string, unknown> | undefined;
  if (outcome.status !== 200 || !parsed || typeof parsed.status !== 'number') return { kind: 'http', httpStatus: outcome.status };
  if (parsed.status === 0) return { kind: 'ok', body: parsed, raw: outcome.text };
  return { kind: 'error', status: parsed.status, message: String(parsed.status_message ?? '') };
}

/** Cuts at 28 UTF-16 units without leaving half of a surrogate pair at the end. */
export function clipSenderName(name: string): string {
  const clipped = name.slice(0, MAX_SENDER_NAME);
  const last = clipped.charCodeAt(clipped.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? clipped.slice(0, -1) : clipped;
}

function messageBody(content: OutboundContent): Record<string, unknown> {
  if (content.kind === 'text') return content.choice ? { type: 'text', text: content.text, ...keyboardOf(content.choice) } : { type: 'text', text: content.text };
  // A picture's text is required (may be empty); a file message has no text at all.
  if (content.mediaKind === 'photo') return { type: 'picture', media: content.url, text: content.caption ?? '' };
  return { type: 'file', media: content.url, size: content.size, file_name: content.fileName };
}

/**
 * Buttons as a Viber keyboard: a press is a `reply` that sends the option's value as the client's text,
 * and our tracking_data (naming the prompt and its values) comes back with it, so parse can tell a press
 * from a typed message. One row of the 6-column grid when it fits, else one button per row.
 */
function keyboardOf(choice: OutboundChoice) {
  const columns = choice.options.length <= 6 ? Math.max(1, Math.floor(6 / choice.options.length)) : 6;
  const Buttons = choice.options.map((o) => ({ Columns: columns, Rows: 1, ActionType: 'reply', ActionBody: o.value, Text: o.label }));
  return { keyboard: { Type: 'keyboard', DefaultHeight: false, Buttons }, tracking_data: choiceTrackingData(choice) };
}

/** Maps a failed send to a result whose reason an agent can read in the UI. */
function toDeliveryFailure(outcome: Exclude<CallOutcome, { kind: 'ok' }>): DeliveryResult {
  if (outcome.kind === 'network') return { ok: false, retryable: true, reason: `Could not reach Viber (${outcome.error})` };
  if (outcome.kind === 'http') {
    const reason = `Viber answered with HTTP ${outcome.httpStatus}`;
    return outcome.httpStatus >= 500 || outcome.httpStatus === 429
      ? { ok: false, retryable: true, reason }
      : { ok: false, retryable: false, reason };
  }
  switch (outcome.status) {
    case 12:
      return { ok: false, retryable: true, reason: 'Viber rate limit: too many messages to this client without a reply' };
    case 5:
      return { ok: false, retryable: false, recipientGone: true, reason: 'The client is not registered on Viber' };
    case 6:
      return { ok: false, retryable: false, recipientGone: true, reason: 'The client is not subscribed to the bot (unsubscribed, or never wrote)' };
    case 7:
      return { ok: false, retryable: false, recipientGone: true, reason: 'The client blocked the bot' };
    case 2:
      return { ok: false, retryable: false, reason: 'Auth token rejected by Viber' };
    default:
      return { ok: false, retryable: false, reason: `Viber refused the message: ${outcome.message || 'unknown error'} (status ${outcome.status})` };
  }
}

function setupFailure(outcome: Exclude<CallOutcome, { kind: 'ok' }>): { ok: false; reason: string } {
  if (outcome.kind === 'network') return { ok: false, reason: `Could not reach Viber (${outcome.error})` };
  if (outcome.kind === 'http') return { ok: false, reason: `Viber answered with HTTP ${outcome.httpStatus}` };
  if (outcome.status === 2) return { ok: false, reason: 'Viber rejected the auth token' };
  return { ok: false, reason: `Viber: ${outcome.message || 'error'} (status ${outcome.status})` };
}

export const viberAdapter: MessengerAdapter = {
  channel: 'viber',
  maxTextLength: 7000,

  async verify(req, creds) {
    const given = req.headers.get('x-viber-content-signature');
    if (given === null || creds.token === '') return false;
    // The auth token is the HMAC key; the signature covers the exact body bytes (docs/viber.md §4.1).
    const expected = await hmacSha256Hex(creds.token, req.rawBody);
    return timingSafeEqualStrings(given.trim().toLowerCase(), expected);
  },

  parse: parseViberCallback,

  webhookResponse(events, greeting) {
    // The welcome message must be the response body: the user is not subscribed yet, so send_message
    // would answer status 6 (docs/viber.md §4.3).
    if (!greeting || !events.some((e) => e.type === 'conversation_started')) return null;
    return { type: 'text', text: greeting.text, sender: { name: clipSenderName(greeting.botName) }, tracking_data: 'welcome' };
  },

  async send(ctx, to, content) {
    const body = { receiver: to.externalChatId, ...messageBody(content), sender: { name: clipSenderName(to.botName) } };
    const outcome = await callApi(ctx, 'send_message', body);
    if (outcome.kind !== 'ok') return toDeliveryFailure(outcome);
    // Read from the raw text: JSON.parse has already rounded the 64-bit token (docs/viber.md §2).
    const token = extractMessageToken(outcome.raw);
    if (!token) return { ok: false, retryable: false, reason: 'Viber accepted the message but returned no message_token' };
    return { ok: true, externalMessageId: token };
  },

  async fetchMedia(ctx, media) {
    // The URL comes from the callback: openDownload fetches it only from the configured Viber media hosts.
    const download = await openDownload(ctx, media.ref);
    if (!download.ok) return download;
    const fileName = media.fileName ?? baseName(media.ref, media.kind);
    const mimeType = media.mimeType ?? usableContentType(download.contentType) ?? guessMimeType(fileName);
    return { ok: true, body: download.body, length: download.length, mimeType, fileName };
  },

  async getBot(ctx) {
    const outcome = await callApi(ctx, 'get_account_info', {});
    if (outcome.kind !== 'ok') return setupFailure(outcome);
    const info = outcome.body as { id?: unknown; name?: unknown; uri?: unknown };
    if (typeof info.id !== 'string' || typeof info.name !== 'string') {
      return { ok: false, reason: 'Viber account info has no id or name' };
    }
    const bot = { name: info.name, externalBotId: info.id, ...(typeof info.uri === 'string' ? { username: info.uri } : {}) };
    return { ok: true, bot };
  },

  async registerWebhook(ctx, url) {
    // Viber calls the URL back synchronously with a signed `webhook` event before answering.
    const outcome = await callApi(ctx, 'set_webhook', { url, event_types: VIBER_EVENT_TYPES, send_name: true, send_photo: true });
    return outcome.kind === 'ok' ? { ok: true } : setupFailure(outcome);
  },

  async unregisterWebhook(ctx) {
    const outcome = await callApi(ctx, 'set_webhook', { url: '' });
    return outcome.kind === 'ok' ? { ok: true } : setupFailure(outcome);
  },
};
