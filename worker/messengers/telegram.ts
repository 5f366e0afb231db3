/** Telegram Bot API adapter (docs/telegram.md): webhook secret check, Update parsing, sends, setup. */
import { matchesStoredSecret } from './crypto';
import { baseName, guessMimeType, usableContentType } from './file-names';
import { MEDIA_MAX_BYTES, openDownload, tooLarge } from './download';
import { requestText, tryParseJson } from './http';
import { parseTelegramUpdate } from './telegram-parse';
import type { AdapterContext, ChangeResult, DeliveryResult, MessengerAdapter, OutboundChoice, OutboundContent } from './types';

/** The update types an inbox needs (docs/telegram.md §2, setWebhook); my_chat_member reports block / unblock. */
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'edited_message', 'my_chat_member', 'callback_query'] as const;

interface Envelope {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

type CallOutcome =
  | { kind: 'ok'; result: unknown }
  | { kind: 'error'; status: number; description: string; retryAfter?: number }
  | { kind: 'network'; error: string };

/** One Bot API call as a JSON POST; the envelope (or its absence) becomes a value, never a throw. */
async function callApi(ctx: AdapterContext, method: string, params: Record<string, unknown> = {}): Promise<CallOutcome> {
  const outcome = await requestText(ctx, `${ctx.apiBase}/bot${ctx.token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  if (outcome.kind === 'network') return outcome;
  const envelope = tryParseJson(outcome.text) as Envelope | undefined;
  if (envelope && typeof envelope === 'object' && envelope.ok === true) return { kind: 'ok', result: envelope.result };
  const error: CallOutcome = {
    kind: 'error',
    // The HTTP status equals error_code on real Telegram; prefer error_code when the body has one.
    status: envelope?.error_code ?? outcome.status,
    description: envelope?.description ?? `HTTP ${outcome.status}`,
  };
  const retryAfter = envelope?.parameters?.retry_after;
  if (typeof retryAfter === 'number') error.retryAfter = retryAfter;
  return error;
}

/** Maps a failed send to a result whose reason an agent can read in the UI. */
function toDeliveryFailure(outcome: Exclude<CallOutcome, { kind: 'ok' }>): DeliveryResult {
  if (outcome.kind === 'network') {
    return { ok: false, retryable: true, reason: `Could not reach Telegram (${outcome.error})` };
  }
  const { status, description } = outcome;
  const text = description.toLowerCase();
  if (status === 429) {
    const wait = outcome.retryAfter;
    const reason = wait !== undefined ? `Telegram rate limit: retry after ${wait} s` : 'Telegram rate limit';
    return wait !== undefined ? { ok: false, retryable: true, retryAfterSeconds: wait, reason } : { ok: false, retryable: true, reason };
  }
  if (status >= 500) return { ok: false, retryable: true, reason: `Telegram server error (${status})` };
  if (status === 401) return { ok: false, retryable: false, reason: 'Bot token rejected by Telegram (401 Unauthorized)' };
  if (status === 403) {
    const reason = text.includes('blocked')
      ? 'The client blocked the bot'
      : text.includes('deactivated')
        ? 'The client deleted their Telegram account'
        : text.includes("can't initiate")
          ? 'The client has not started a conversation with the bot yet'
          : `Telegram refused the message: ${description}`;
    return { ok: false, retryable: false, recipientGone: true, reason };
  }
  if (text.includes('chat not found')) return { ok: false, retryable: false, reason: 'The chat was not found on Telegram' };
  if (text.includes('message is too long')) return { ok: false, retryable: false, reason: 'The message is too long for Telegram' };
  if (text.includes('text is empty')) return { ok: false, retryable: false, reason: 'The message is empty' };
  return { ok: false, retryable: false, reason: `Telegram refused the message: ${description}` };
}

// Private-chat ids are ≤ 52 bits, so a JS number is exact; Telegram's own clients send numbers.
function chatIdParam(externalChatId: string): number | string {
  return /^-?\d+$/.test(externalChatId) ? Number(externalChatId) : externalChatId;
}

function sendRequest(chatId: string, content: OutboundContent): { method: string; params: Record<string, unknown> } {
  const chat_id = chatIdParam(chatId);
  if (content.kind === 'text') {
    const params: Record<string, unknown> = { chat_id, text: content.text };
    if (content.choice) params.reply_markup = inlineKeyboard(content.choice);
    return { method: 'sendMessage', params };
  }
  // Telegram downloads the URL itself (5 MB photos, 20 MB other files).
  const params: Record<string, unknown> = { chat_id };
  if (content.caption) params.caption = content.caption;
  if (content.mediaKind === 'photo') return { method: 'sendPhoto', params: { ...params, photo: content.url } };
  return { method: 'sendDocument', params: { ...params, document: content.url } };
}

/** One row of buttons; a press comes back as a callback_query whose data is `<prompt>:<value>` (≤ 64 bytes). */
function inlineKeyboard(choice: OutboundChoice) {
  return { inline_keyboard: [choice.options.map((o) => ({ text: o.label, callback_data: `${choice.prompt}:${o.value}` }))] };
}

/** Bots may delete their own messages in private chats for 48 h after sending (deleteMessage); edits have no such limit. */
export const TELEGRAM_DELETE_WITHIN_MS = 48 * 3600 * 1000;

/**
 * An edit or delete of a sent message as a value. "not modified" (the text is already that) and "to
 * delete not found" (already gone) are what the call wanted, so they count as done.
 */
function toChangeResult(outcome: CallOutcome, doneAlready: RegExp): ChangeResult {
  if (outcome.kind === 'ok') return { ok: true };
  if (outcome.kind === 'error' && doneAlready.test(outcome.description)) return { ok: true };
  const failure = toDeliveryFailure(outcome);
  if (failure.ok) return { ok: true };
  if (failure.retryable) return failure;
  if (outcome.kind === 'error' && /can't be (edited|deleted)/i.test(outcome.description)) {
    return { ok: false, retryable: false, reason: 'Telegram no longer allows changing this message (too old, or not ours to change)' };
  }
  if (outcome.kind === 'error' && /message to edit not found/i.test(outcome.description)) {
    return { ok: false, retryable: false, reason: 'The message is no longer in the client\'s Telegram chat' };
  }
  return { ok: false, retryable: false, reason: failure.reason.replace('refused the message', 'refused the change') };
}

function setupFailure(outcome: Exclude<CallOutcome, { kind: 'ok' }>): { ok: false; reason: string } {
  if (outcome.kind === 'network') return { ok: false, reason: `Could not reach Telegram (${outcome.error})` };
  if (outcome.status === 401) return { ok: false, reason: 'Telegram rejected the bot token' };
  return { ok: false, reason: `Telegram: ${outcome.description}` };
}

export const telegramAdapter: MessengerAdapter = {
  channel: 'telegram',
  maxTextLength: 4096,
  // Telegram always posts one JSON-serialised Update.
  webhookContentType: 'application/json',

  async verify(req, creds) {
    const given = req.headers.get('x-telegram-bot-api-secret-token');
    // An empty stored secret would make a missing header "match"; never accept that.
    if (given === null || creds.webhookSecret === '') return false;
    // Stored hashed (sha256:…); rows from before hashing hold the plain secret until migrated.
    return matchesStoredSecret(given, creds.webhookSecret);
  },

  parse: parseTelegramUpdate,

  webhookResponse() {
    // We always answer with an empty 200 and send replies separately, to learn their message_id (docs/telegram.md §3.1).
    return null;
  },

  async send(ctx, to, content) {
    const { method, params } = sendRequest(to.externalChatId, content);
    const outcome = await callApi(ctx, method, params);
    if (outcome.kind !== 'ok') return toDeliveryFailure(outcome);
    const messageId = (outcome.result as { message_id?: unknown } | undefined)?.message_id;
    if (typeof messageId !== 'number') {
      return { ok: false, retryable: false, reason: 'Telegram accepted the message but returned no message_id' };
    }
    return { ok: true, externalMessageId: String(messageId) };
  },

  sentMessageChanges: { edit: true, deleteWithinMs: TELEGRAM_DELETE_WITHIN_MS },

  async editText(ctx, to, externalMessageId, text) {
    const outcome = await callApi(ctx, 'editMessageText', { chat_id: chatIdParam(to.externalChatId), message_id: Number(externalMessageId), text });
    return toChangeResult(outcome, /message is not modified/i);
  },

  async deleteMessage(ctx, to, externalMessageId) {
    const outcome = await callApi(ctx, 'deleteMessage', { chat_id: chatIdParam(to.externalChatId), message_id: Number(externalMessageId) });
    return toChangeResult(outcome, /message to delete not found/i);
  },

  async answerChoice(ctx, ackId, text) {
    const outcome = await callApi(ctx, 'answerCallbackQuery', { callback_query_id: ackId, ...(text ? { text } : {}) });
    return toChangeResult(outcome, /^$/);
  },

  async fetchMedia(ctx, media) {
    const file = await callApi(ctx, 'getFile', { file_id: media.ref });
    const result = file.kind === 'ok' ? (file.result as { file_path?: unknown; file_size?: unknown } | undefined) : undefined;
    const filePath = result?.file_path;
    if (typeof filePath !== 'string' || filePath === '') return { ok: false, retryable: true, reason: 'Telegram getFile returned no file_path' };
    const maxBytes = ctx.media?.maxBytes ?? MEDIA_MAX_BYTES;
    if (typeof result?.file_size === 'number' && result.file_size > maxBytes) return { ok: false, retryable: false, reason: tooLarge(maxBytes).message };
    const download = await openDownload(ctx, `${ctx.apiBase}/file/bot${ctx.token}/${filePath}`);
    if (!download.ok) return download;
    const fileName = media.fileName ?? baseName(filePath, `${media.kind}`);
    const mimeType = media.mimeType ?? usableContentType(download.contentType) ?? guessMimeType(fileName);
    return { ok: true, body: download.body, length: download.length, mimeType, fileName };
  },

  async getBot(ctx) {
    const outcome = await callApi(ctx, 'getMe');
    if (outcome.kind !== 'ok') return setupFailure(outcome);
    const me = outcome.result as { id: number; first_name: string; last_name?: string; username?: string };
    const name = me.last_name ? `${me.first_name} ${me.last_name}` : me.first_name;
    const bot = { name, externalBotId: String(me.id), ...(me.username ? { username: me.username } : {}) };
    return { ok: true, bot };
  },

  async registerWebhook(ctx, url, secret) {
    const outcome = await callApi(ctx, 'setWebhook', { url, secret_token: secret, allowed_updates: TELEGRAM_ALLOWED_UPDATES });
    return outcome.kind === 'ok' ? { ok: true } : setupFailure(outcome);
  },

  async unregisterWebhook(ctx) {
    const outcome = await callApi(ctx, 'deleteWebhook');
    return outcome.kind === 'ok' ? { ok: true } : setupFailure(outcome);
  },
};
