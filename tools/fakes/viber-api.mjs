// Fake Viber REST Bot API: `/pa/<method>` (docs/viber.md §3, §5, §10). Errors are HTTP 200 with a status.
import { downloadUrl } from './files.mjs';
import { reachableUrl, sendJson } from './http-util.mjs';
import { findBot, recordCall, takeFailure } from './state.mjs';
import { effectiveEventTypes, eventWanted, nextToken, postCallback, viberJson } from './viber-callbacks.mjs';

const HOUR_MS = 3_600_000;
const MAX_REQUEST_BYTES = 30 * 1024;
const SEND_TYPES = new Set(['text', 'picture', 'video', 'file', 'location', 'contact', 'sticker', 'rich_media', 'url']);

/** Handles one `/pa/<method>` request. `fx` is the fakes context. */
export async function handleViberApi(fx, req, res, url, body) {
  const method = url.pathname.slice('/pa/'.length);
  let params = {};
  if (body.length > MAX_REQUEST_BYTES) return answer(fx, res, null, method, params, status(3, 'badData: request is larger than 30 KB'));
  if (body.length > 0) {
    try {
      params = JSON.parse(body.toString('utf8'));
    } catch {
      return answer(fx, res, null, method, params, status(3, 'badData'));
    }
  }
  const token = req.headers['x-viber-auth-token'] ?? params.auth_token;
  if (!token) return answer(fx, res, null, method, params, status(2, 'missing_auth_token'));
  const bot = findBot(fx.state, 'viber', token);
  if (!bot) return answer(fx, res, null, method, params, status(2, 'invalidAuthToken'));
  const handler = METHODS[method];
  if (!handler) return answer(fx, res, bot, method, params, { http: 404, body: 'Not Found' });
  if (method === 'send_message') {
    const failure = takeFailure(fx.state, bot);
    if (failure?.mode === 'timeout') {
      recordCall(fx.state, bot, method, params, 'timeout (scripted)');
      return fx.hang(res);
    }
    if (failure) return answer(fx, res, bot, method, params, scriptedFailure(fx, failure));
  }
  answer(fx, res, bot, method, params, await handler(fx, bot, params));
}

const METHODS = {
  set_webhook: setWebhook,
  send_message: sendMessage,
  get_account_info: (fx, bot) =>
    ok({
      id: bot.id, chat_hostname: 'SN-CHAT-05_', name: bot.name, uri: bot.username,
      category: 'Local Businesses', subcategory: 'Retail', country: 'PT',
      location: { lon: -9.1393, lat: 38.7223 }, webhook: bot.webhook?.url ?? '',
      event_types: bot.webhook ? effectiveEventTypes(bot.webhook.eventTypes) : [],
      subscribers_count: [...bot.users.values()].filter((u) => u.state === 'subscribed').length, members: [],
    }),
  get_user_details: (fx, bot, p) => {
    const user = bot.users.get(String(p.id ?? ''));
    if (!user || user.state === 'unknown') return status(5, 'receiverNotRegistered');
    const { name, avatar, language = 'pt', country = 'PT' } = user.profile;
    return ok({ chat_hostname: 'SN-CHAT-05_', user: { id: user.id, name, avatar, language, country, primary_device_os: 'Android 14', api_version: 10, viber_version: '24.1.0.0', device_type: 'Pixel 8' } });
  },
  get_online: (fx, bot, p) => {
    const ids = Array.isArray(p.ids) ? p.ids.map(String) : [];
    if (ids.length === 0 || ids.length > 100) return status(3, 'badData: ids must hold 1 to 100 user ids');
    return ok({ users: ids.map((id) => ({ id, online_status: 1, online_status_message: 'offline', last_online: Date.now() - 60_000 })) });
  },
};

async function setWebhook(fx, bot, p) {
  const url = typeof p.url === 'string' ? p.url : undefined;
  if (url === undefined) return status(4, 'missingData: url');
  if (url === '') {
    bot.webhook = null;
    return ok({ chat_hostname: 'SN-CHAT-05_' });
  }
  try {
    new URL(url);
  } catch {
    return status(1, 'invalidUrl');
  }
  const eventTypes = Array.isArray(p.event_types) ? p.event_types.map(String) : null;
  // Viber checks the URL before accepting it: a signed `webhook` event must get HTTP 200 (docs/viber.md §3).
  const check = await postCallback(fx, bot, url, 'webhook', {}, { retry: false });
  if (check.outcome.status !== 200) {
    return status(1, `invalidUrl: the webhook check got ${check.outcome.status ?? check.outcome.error}`);
  }
  bot.webhook = { url, eventTypes, sendName: p.send_name === true, sendPhoto: p.send_photo === true };
  return ok({ chat_hostname: 'SN-CHAT-05_', event_types: effectiveEventTypes(eventTypes) });
}

async function sendMessage(fx, bot, p) {
  const invalid = validateSend(p);
  if (invalid) return invalid;
  if (!bot.webhook) return status(10, 'webhookNotSet');
  const user = bot.users.get(String(p.receiver));
  if (!user || user.state === 'unknown') return status(5, 'receiverNotRegistered');
  if (user.state !== 'subscribed') return status(6, 'Not subscribed');
  // At most 100 messages to a user who has not replied, per hour (docs/viber.md §6).
  user.unansweredSends = user.unansweredSends.filter((t) => Date.now() - t < HOUR_MS);
  if (user.unansweredSends.length >= 100) return status(12, 'Too many requests');
  user.unansweredSends.push(Date.now());
  const token = nextToken(fx.state);
  const entry = { from: 'bot', kind: p.type, text: p.text ?? '', token: String(token), status: 'sent', time: Date.now() };
  if (p.media) Object.assign(entry, { mediaUrl: p.media, fileName: p.file_name });
  if (Array.isArray(p.keyboard?.Buttons)) entry.buttons = p.keyboard.Buttons.map((b) => ({ label: String(b.Text ?? b.ActionBody), data: String(b.ActionBody) }));
  // Echoed back in the client's next message (docs/viber.md, send_message tracking_data).
  user.trackingData = typeof p.tracking_data === 'string' ? p.tracking_data : '';
  user.conversation.push(entry);
  fx.later(() => sendReceipts(fx, bot, user, entry, token, p), fx.state.config.viberReceipts.delayMs);
  // Built by hand: message_token must be a bare 64-bit number, as Viber sends it (docs/viber.md §2).
  return { http: 200, body: viberJson({ status: 0, status_message: 'ok', message_token: token, chat_hostname: 'SN-CHAT-05_', billing_status: 1 }) };
}

function validateSend(p) {
  if (!p.receiver) return status(4, 'missingData: receiver');
  if (!p.sender || typeof p.sender.name !== 'string' || p.sender.name === '') return status(4, 'missingData: sender.name');
  if (p.sender.name.length > 28) return status(3, 'badData: sender.name is longer than 28 characters');
  if (!SEND_TYPES.has(p.type)) return status(3, `badData: unknown type ${JSON.stringify(p.type ?? null)}`);
  if (typeof p.tracking_data === 'string' && p.tracking_data.length > 4000) return status(3, 'badData: tracking_data is longer than 4000 characters');
  if (p.type === 'text' && (typeof p.text !== 'string' || p.text === '')) return status(4, 'missingData: text');
  if (p.type === 'text' && p.text.length > 7000) return status(3, 'badData: text is longer than 7000 characters');
  if (p.type === 'picture' && (typeof p.text !== 'string' || p.text.length > 768)) return status(3, 'badData: picture text is required and at most 768 characters');
  if (['picture', 'video', 'file', 'url'].includes(p.type) && typeof p.media !== 'string') return status(4, 'missingData: media');
  if (p.type === 'file' && (typeof p.size !== 'number' || typeof p.file_name !== 'string' || p.file_name.length > 256)) return status(4, 'missingData: size and file_name');
  if (p.type === 'video' && typeof p.size !== 'number') return status(4, 'missingData: size');
  return null;
}

// After a successful send: fetch the media (as Viber does), then delivered (per device) and seen; or
// `failed` when the media cannot be fetched.
async function sendReceipts(fx, bot, user, entry, token, p) {
  const receipts = fx.state.config.viberReceipts;
  if (!bot.webhook) return;
  if (p.media && ['picture', 'video', 'file'].includes(p.type)) {
    const got = await downloadUrl(reachableUrl(p.media, fx.ponteUrl));
    if (!got) {
      entry.status = 'failed';
      if (eventWanted(bot.webhook, 'failed')) await postCallback(fx, bot, bot.webhook.url, 'failed', { message_token: token, user_id: user.id, desc: 'failed to download media' });
      return;
    }
    entry.fileUrl = `/viber-media/${fx.storeMedia(got)}/${encodeURIComponent(got.fileName ?? p.file_name ?? 'file')}`;
  }
  if (receipts.delivered) {
    entry.status = 'delivered';
    for (let d = 0; d < receipts.devices && bot.webhook && eventWanted(bot.webhook, 'delivered'); d++) {
      await postCallback(fx, bot, bot.webhook.url, 'delivered', { message_token: token, user_id: user.id });
    }
  }
  if (receipts.seen && bot.webhook) {
    await new Promise((r) => fx.later(r, receipts.delayMs));
    entry.status = 'seen';
    if (bot.webhook && eventWanted(bot.webhook, 'seen')) await postCallback(fx, bot, bot.webhook.url, 'seen', { message_token: token, user_id: user.id });
  }
}

function scriptedFailure(fx, { mode }) {
  if (mode === '429') return status(12, 'Too many requests');
  if (mode === '403') return status(6, 'Not subscribed');
  if (mode === '400') return status(3, 'badData');
  return { http: 500, body: 'Internal Server Error' };
}

function answer(fx, res, bot, method, params, { http = 200, body }) {
  const shown = typeof body === 'string' ? body : JSON.stringify(body);
  // A hand-built body (bare 64-bit token) is logged as its text, so the token stays exact.
  recordCall(fx.state, bot, method, params, http === 200 ? body : `HTTP ${http} ${shown}`);
  fx.log(`viber ${bot?.name ?? '?'}: ${method} → ${http} ${shown.slice(0, 120)}`);
  if (typeof body === 'string' && http !== 200) {
    res.writeHead(http, { 'content-type': 'text/plain' });
    return res.end(body);
  }
  sendJson(res, http, body);
}

const ok = (fields) => ({ http: 200, body: { status: 0, status_message: 'ok', ...fields } });
const status = (code, message) => ({ http: 200, body: { status: code, status_message: message, chat_hostname: 'SN-CHAT-05_' } });
