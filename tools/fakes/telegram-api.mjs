// Fake Telegram Bot API: `/bot<token>/<method>` and `/file/bot<token>/<path>` (docs/telegram.md §2, §4, §6, §9).
import { downloadUrl, fileByPath, storeFile } from './files.mjs';
import { readParams, sendJson, unixNow, reachableUrl } from './http-util.mjs';
import { findBot, recordCall, takeFailure } from './state.mjs';

const SECRET_CHARSET = /^[A-Za-z0-9_-]+$/;
// The default when allowed_updates is empty: everything except these (docs/telegram.md §2, setWebhook).
const NOT_BY_DEFAULT = ['chat_member', 'message_reaction', 'message_reaction_count'];

/** Handles one Bot API request. `fx` is the fakes context ({state, log, ponteUrl, hang}). */
export async function handleTelegramApi(fx, req, res, url, body) {
  const fileRoute = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
  if (fileRoute) return serveFile(fx, res, decodeURIComponent(fileRoute[1]), decodeURIComponent(fileRoute[2]));
  const [, rawToken, rawMethod] = /^\/bot([^/]+)\/([^/]+)$/.exec(url.pathname) ?? [];
  if (!rawToken) return sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
  const bot = findBot(fx.state, 'telegram', decodeURIComponent(rawToken));
  const method = rawMethod.toLowerCase();
  if (!bot) {
    recordCall(fx.state, null, rawMethod, {}, 401);
    return sendJson(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
  }
  let params;
  try {
    params = await readParams(req, url, body);
  } catch {
    return reply(fx, res, bot, rawMethod, {}, error(400, "Bad Request: can't parse JSON"));
  }
  const handler = METHODS[method];
  if (!handler) return reply(fx, res, bot, rawMethod, params, error(404, 'Not Found'));
  if (method.startsWith('send')) {
    const failure = takeFailure(fx.state, bot);
    if (failure?.mode === 'timeout') {
      recordCall(fx.state, bot, rawMethod, params, 'timeout (scripted)');
      return fx.hang(res);
    }
    if (failure) return reply(fx, res, bot, rawMethod, params, scriptedError(failure));
  }
  reply(fx, res, bot, rawMethod, params, await handler(fx, bot, params));
}

const METHODS = {
  getme: (fx, bot) => ok(botUser(bot, true)),
  setwebhook: setWebhook,
  deletewebhook: (fx, bot) => {
    const had = Boolean(bot.webhook);
    bot.webhook = null;
    return ok(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
  },
  getwebhookinfo: (fx, bot) => {
    const w = bot.webhook;
    if (!w) return ok({ url: '', has_custom_certificate: false, pending_update_count: 0 });
    const info = { url: w.url, has_custom_certificate: false, pending_update_count: w.pending, max_connections: w.maxConnections };
    if (w.allowedUpdates.length > 0) info.allowed_updates = w.allowedUpdates;
    if (w.lastErrorDate) Object.assign(info, { last_error_date: w.lastErrorDate, last_error_message: w.lastErrorMessage });
    return ok(info); // never the secret (docs/telegram.md §2, getWebhookInfo)
  },
  sendmessage: sendMessage,
  editmessagetext: editMessageText,
  deletemessage: deleteMessage,
  answercallbackquery: answerCallbackQuery,
  sendphoto: (fx, bot, p) => sendMedia(fx, bot, p, 'photo'),
  senddocument: (fx, bot, p) => sendMedia(fx, bot, p, 'document'),
  getfile: (fx, bot, p) => {
    const file = bot.files.get(String(p.file_id ?? ''));
    if (!file) return error(400, 'Bad Request: invalid file id');
    return ok({ file_id: file.fileId, file_unique_id: file.uniqueId, file_size: file.bytes.length, file_path: file.path });
  },
};

function setWebhook(fx, bot, p) {
  const url = typeof p.url === 'string' ? p.url : '';
  if (url === '') return METHODS.deletewebhook(fx, bot);
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return error(400, 'Bad Request: bad webhook: invalid URL');
  }
  // Real Telegram demands HTTPS; locally Ponte listens on plain HTTP, so both are accepted here.
  if (!['https:', 'http:'].includes(parsed.protocol)) return error(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
  const secret = p.secret_token === undefined ? null : String(p.secret_token);
  if (secret !== null && (secret.length === 0 || !SECRET_CHARSET.test(secret))) {
    return error(400, 'Bad Request: secret token contains unallowed characters');
  }
  if (secret !== null && secret.length > 256) return error(400, 'Bad Request: secret token is too long');
  const maxConnections = p.max_connections === undefined ? 40 : Number(p.max_connections);
  if (!Number.isInteger(maxConnections) || maxConnections < 1 || maxConnections > 100) {
    return error(400, 'Bad Request: bad webhook: max_connections must be between 1 and 100');
  }
  let allowed = p.allowed_updates;
  if (typeof allowed === 'string') {
    try {
      allowed = JSON.parse(allowed);
    } catch {
      return error(400, "Bad Request: can't parse allowed updates JSON object");
    }
  }
  // Omitted keeps the previous setting (docs/telegram.md §2).
  const allowedUpdates = Array.isArray(allowed) ? allowed.map(String) : (bot.webhook?.allowedUpdates ?? []);
  bot.webhook = { url, secret, allowedUpdates, maxConnections, pending: 0, lastErrorDate: null, lastErrorMessage: null };
  fx.log(`telegram ${bot.username}: webhook → ${reachableUrl(url, fx.ponteUrl)}`);
  return ok(true, 'Webhook was set');
}

function sendMessage(fx, bot, p) {
  const target = chatOf(bot, p.chat_id);
  if (target.error) return target.error;
  const text = typeof p.text === 'string' ? p.text : '';
  const visible = p.parse_mode === 'HTML' ? htmlVisibleText(text) : { text };
  if (visible.error) return error(400, `Bad Request: can't parse entities: ${visible.error}`);
  if (visible.text.trim() === '') return error(400, 'Bad Request: message text is empty');
  if (visible.text.length > 4096) return error(400, 'Bad Request: message is too long'); // UTF-16 units
  const markup = typeof p.reply_markup === 'string' ? JSON.parse(p.reply_markup) : p.reply_markup;
  const rows = Array.isArray(markup?.inline_keyboard) ? markup.inline_keyboard : null;
  if (rows && !rows.every((r) => Array.isArray(r) && r.every((b) => typeof b?.text === 'string' && typeof b.callback_data === 'string' && Buffer.byteLength(b.callback_data) <= 64))) {
    return error(400, 'Bad Request: can\'t parse inline keyboard button: Text buttons are unallowed in the inline keyboard');
  }
  const message = outgoing(bot, target.user, { text, ...(rows ? { reply_markup: { inline_keyboard: rows } } : {}) });
  const entry = { from: 'bot', kind: 'text', text, messageId: message.message_id, time: Date.now() };
  if (rows) entry.buttons = rows.flat().map((b) => ({ label: b.text, data: b.callback_data }));
  target.user.conversation.push(entry);
  return ok(message);
}

/** Bots edit their own messages' text; an unchanged text is an error, as on Telegram. */
function editMessageText(fx, bot, p) {
  const target = chatOf(bot, p.chat_id);
  if (target.error) return target.error;
  const entry = target.user.conversation.find((m) => m.from === 'bot' && m.messageId === Number(p.message_id) && !m.deleted);
  if (!entry) return error(400, 'Bad Request: message to edit not found');
  const text = typeof p.text === 'string' ? p.text : '';
  if (text.trim() === '') return error(400, 'Bad Request: message text is empty');
  if (text.length > 4096) return error(400, 'Bad Request: MESSAGE_TOO_LONG');
  if (text === entry.text) return error(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
  Object.assign(entry, { text, edited: true });
  return ok({ ...outgoing(bot, target.user, { text }), message_id: entry.messageId, date: Math.floor(entry.time / 1000), edit_date: unixNow() });
}

/** Bots delete their own messages in a private chat for 48 h after sending (deleteMessage's limits). */
function deleteMessage(fx, bot, p) {
  const target = chatOf(bot, p.chat_id);
  if (target.error) return target.error;
  const entry = target.user.conversation.find((m) => m.messageId === Number(p.message_id) && !m.deleted);
  if (!entry) return error(400, 'Bad Request: message to delete not found');
  if (Date.now() - entry.time > DELETE_WITHIN_MS) return error(400, "Bad Request: message can't be deleted for everyone");
  entry.deleted = true;
  return ok(true);
}
const DELETE_WITHIN_MS = 48 * 3600 * 1000;

/** A press is answered once, within a short while; later, or twice, Telegram says the query is too old. */
function answerCallbackQuery(fx, bot, p) {
  const query = bot.callbackQueries?.get(String(p.callback_query_id ?? ''));
  if (!query || query.answered || Date.now() - query.time > 15 * 60 * 1000) {
    return error(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
  }
  query.answered = true;
  if (typeof p.text === 'string' && p.text) query.entry.answer = p.text;
  return ok(true);
}

async function sendMedia(fx, bot, p, kind) {
  const target = chatOf(bot, p.chat_id);
  if (target.error) return target.error;
  const caption = typeof p.caption === 'string' ? p.caption : undefined;
  if (caption && caption.length > 1024) return error(400, 'Bad Request: message caption is too long');
  const source = p[kind];
  let file;
  if (source && typeof source === 'object' && Buffer.isBuffer(source.bytes)) {
    file = storeFile(bot, kind, { bytes: source.bytes, mimeType: source.type, fileName: source.name });
  } else if (typeof source === 'string' && /^https?:\/\//.test(source)) {
    // Telegram fetches the URL itself; so do we, so a broken media URL fails here as it would there.
    const got = await downloadUrl(reachableUrl(source, fx.ponteUrl));
    if (!got) return error(400, 'Bad Request: failed to get HTTP URL content');
    file = storeFile(bot, kind, got);
  } else if (typeof source === 'string' && bot.files.has(source)) {
    file = bot.files.get(source);
  } else {
    return error(400, 'Bad Request: wrong file identifier/HTTP URL specified');
  }
  const fields = caption ? { caption } : {};
  if (kind === 'photo') {
    fields.photo = [{ file_id: file.fileId, file_unique_id: file.uniqueId, file_size: file.bytes.length, width: 512, height: 512 }];
  } else {
    fields.document = { file_name: file.fileName, mime_type: file.mimeType, file_id: file.fileId, file_unique_id: file.uniqueId, file_size: file.bytes.length };
  }
  const message = outgoing(bot, target.user, fields);
  target.user.conversation.push({
    from: 'bot', kind, text: caption ?? '', messageId: message.message_id, time: Date.now(),
    fileUrl: `/file/bot${encodeURIComponent(bot.token)}/${file.path}`, fileName: file.fileName, mimeType: file.mimeType,
  });
  return ok(message);
}

// In private chats the chat id is the user id; unknown ids and blocked users fail as on Telegram.
function chatOf(bot, chatId) {
  if (chatId === undefined || chatId === '') return { error: error(400, 'Bad Request: chat_id is empty') };
  const user = bot.users.get(String(chatId));
  if (!user || user.state === 'unknown') return { error: error(400, 'Bad Request: chat not found') };
  if (user.state === 'blocked') return { error: error(403, 'Forbidden: bot was blocked by the user') };
  return { user };
}

function outgoing(bot, user, fields) {
  return { message_id: user.nextMessageId++, from: botUser(bot, false), chat: privateChat(user), date: unixNow(), ...fields };
}

/** The `chat` object of a private chat with a fake user. */
export function privateChat(user) {
  const { first_name, last_name, username } = user.profile;
  return { id: Number(user.id), first_name, ...(last_name ? { last_name } : {}), ...(username ? { username } : {}), type: 'private' };
}

/** The bot as a `User`; getMe adds the bot-only flags. */
export function botUser(bot, full) {
  const user = { id: bot.id, is_bot: true, first_name: bot.name, username: bot.username };
  return full ? { ...user, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false } : user;
}

/** True when an update of this type would be delivered under the bot's allowed_updates. */
export function isAllowed(webhook, updateType) {
  return webhook.allowedUpdates.length === 0 ? !NOT_BY_DEFAULT.includes(updateType) : webhook.allowedUpdates.includes(updateType);
}

// Just enough of Telegram's HTML mode to count visible characters and reject unknown tags.
const HTML_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji']);
function htmlVisibleText(html) {
  for (const m of html.matchAll(/<\/?([a-zA-Z-]+)[^>]*>/g)) {
    if (!HTML_TAGS.has(m[1].toLowerCase())) return { error: `Unsupported start tag "${m[1]}" at byte offset ${Buffer.byteLength(html.slice(0, m.index))}` };
  }
  const text = html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return { text };
}

function scriptedError({ mode, retryAfter }) {
  if (mode === '429') {
    const wait = retryAfter ?? 3;
    return { status: 429, body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${wait}`, parameters: { retry_after: wait } } };
  }
  if (mode === '403') return error(403, 'Forbidden: bot was blocked by the user');
  if (mode === '400') return error(400, 'Bad Request: chat not found');
  return error(500, 'Internal Server Error');
}

function serveFile(fx, res, token, path) {
  const bot = findBot(fx.state, 'telegram', token);
  const file = bot && fileByPath(bot, path);
  if (!file) return sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
  res.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.bytes.length });
  res.end(file.bytes);
}

function reply(fx, res, bot, method, params, { status, body }) {
  recordCall(fx.state, bot, method, redactUploads(params), body);
  fx.log(`telegram ${bot.username}: ${method} → ${status}${body.ok ? '' : ` ${body.description}`}`);
  sendJson(res, status, body);
}

function redactUploads(params) {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v && typeof v === 'object' && Buffer.isBuffer(v.bytes) ? `<upload ${v.name}, ${v.bytes.length} bytes>` : v]));
}

const ok = (result, description) => ({ status: 200, body: description ? { ok: true, result, description } : { ok: true, result } });
const error = (status, description) => ({ status, body: { ok: false, error_code: status, description } });
