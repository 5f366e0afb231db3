// Plays a Telegram client: builds real-shaped Updates and delivers them to the bot's webhook (docs/telegram.md §3, §9).
import { attachmentBytes, storeFile } from './files.mjs';
import { deliver, unixNow, reachableUrl } from './http-util.mjs';
import { botUser, isAllowed, privateChat } from './telegram-api.mjs';
import { ControlError, findBot, userOf } from './state.mjs';

/**
 * A client message: `{token, user:{id, first_name, last_name?, username?, language_code?}, text?, photo?,
 * document?, duplicate?}`. `photo` is true or {base64, mimeType?}; `document` is {base64|text, fileName,
 * mimeType}. Text starting with /start gets its bot_command entity. Returns the update and delivery.
 */
export async function telegramClientSend(fx, input) {
  const { bot, user } = clientOf(fx, input);
  if (user.state === 'blocked') throw new ControlError('this client blocked the bot: unblock first', 409);
  const text = typeof input.text === 'string' ? input.text : '';
  const message = { message_id: user.nextMessageId++, from: clientUser(user), chat: privateChat(user), date: unixNow() };
  const attached = input.photo ? 'photo' : input.document ? 'document' : null;
  const entry = { from: 'user', kind: attached ?? 'text', text, messageId: message.message_id, time: Date.now() };
  if (attached) {
    const file = storeFile(bot, attached, attachmentBytes(input[attached], attached === 'photo' ? 'image/jpeg' : 'application/octet-stream'));
    if (attached === 'photo') {
      // Telegram sends every generated size, smallest first; both resolve to the same bytes here.
      const size = (w) => ({ file_id: `${file.fileId}${w}`, file_unique_id: `${file.uniqueId}${w}`, file_size: file.bytes.length, width: w, height: w });
      bot.files.set(`${file.fileId}90`, file);
      message.photo = [size(90), { ...size(800), file_id: file.fileId, file_unique_id: file.uniqueId }];
    } else {
      message.document = { file_name: file.fileName, mime_type: file.mimeType, file_id: file.fileId, file_unique_id: file.uniqueId, file_size: file.bytes.length };
    }
    if (text) message.caption = text;
    Object.assign(entry, { fileUrl: `/file/bot${encodeURIComponent(bot.token)}/${file.path}`, fileName: file.fileName, mimeType: file.mimeType });
  } else {
    if (text === '') throw new ControlError('text, photo or document is required');
    message.text = text;
    const command = /^\/[a-z0-9_]+/i.exec(text);
    if (command) message.entities = [{ offset: 0, length: command[0].length, type: 'bot_command' }];
  }
  user.state = 'active';
  user.conversation.push(entry);
  return deliverUpdate(fx, bot, 'message', message, input.duplicate);
}

/**
 * A client the bot may write to, as after their /start, without sending an update: load tools send their
 * own webhooks straight to Ponte, and the bot's replies to them must reach a real chat, not "chat not found".
 */
export function telegramClientMeet(fx, input) {
  const { user } = clientOf(fx, input);
  if (user.state === 'unknown') user.state = 'active';
  return { ok: true };
}

/** The client blocks (`blocked: true`) or unblocks the bot: a my_chat_member update (docs/telegram.md §3.2). */
export async function telegramClientBlock(fx, input, blocked) {
  const { bot, user } = clientOf(fx, input);
  const change = {
    chat: privateChat(user),
    from: clientUser(user),
    date: unixNow(),
    old_chat_member: { user: botUser(bot, false), status: blocked ? 'member' : 'kicked', ...(blocked ? {} : { until_date: 0 }) },
    new_chat_member: { user: botUser(bot, false), status: blocked ? 'kicked' : 'member', ...(blocked ? { until_date: 0 } : {}) },
  };
  user.state = blocked ? 'blocked' : 'active';
  user.conversation.push({ from: 'user', kind: blocked ? 'blocked' : 'unblocked', text: '', time: Date.now() });
  return deliverUpdate(fx, bot, 'my_chat_member', change, input.duplicate);
}

/**
 * The client presses an inline button: `{token, user, messageId, data}` (the button's callback_data under
 * that bot message). A callback_query update, as Telegram sends it (docs/telegram.md §3.2).
 */
export async function telegramClientPress(fx, input) {
  const { bot, user } = clientOf(fx, input);
  const entry = user.conversation.find((m) => m.from === 'bot' && m.messageId === Number(input.messageId) && !m.deleted);
  const button = entry?.buttons?.find((b) => b.data === input.data);
  if (!button) throw new ControlError('no such button under that message', 404);
  const id = String(BigInt(bot.id) * 1000n + BigInt(bot.nextUpdateId));
  bot.callbackQueries ??= new Map();
  const press = { from: 'user', kind: 'press', text: button.label, time: Date.now() };
  bot.callbackQueries.set(id, { time: Date.now(), answered: false, entry: press });
  const message = {
    message_id: entry.messageId, from: botUser(bot, false), chat: privateChat(user), date: Math.floor(entry.time / 1000), text: entry.text,
    reply_markup: { inline_keyboard: [entry.buttons.map((b) => ({ text: b.label, callback_data: b.data }))] },
  };
  user.conversation.push(press);
  return deliverUpdate(fx, bot, 'callback_query', { id, from: clientUser(user), message, chat_instance: `-${bot.id}${user.id}`, data: button.data }, input.duplicate);
}

function clientOf(fx, input) {
  const bot = findBot(fx.state, 'telegram', input?.token);
  if (!bot) throw new ControlError('no telegram bot with this token', 404);
  const u = input.user ?? {};
  if (!/^\d{1,15}$/.test(String(u.id ?? ''))) throw new ControlError('user.id must be a positive integer');
  const user = userOf(bot, u.id);
  const profile = { first_name: u.first_name ?? user.profile.first_name ?? `User ${u.id}` };
  for (const key of ['last_name', 'username', 'language_code']) if (u[key]) profile[key] = u[key];
  Object.assign(user.profile, profile);
  return { bot, user };
}

function clientUser(user) {
  const { first_name, last_name, username, language_code } = user.profile;
  return { id: Number(user.id), is_bot: false, first_name, ...(last_name ? { last_name } : {}), ...(username ? { username } : {}), ...(language_code ? { language_code } : {}) };
}

async function deliverUpdate(fx, bot, type, payload, duplicate) {
  const update = { update_id: bot.nextUpdateId++, [type]: payload };
  const webhook = bot.webhook;
  if (!webhook) return { update, webhook: null, note: 'no webhook set: the update was not delivered' };
  if (!isAllowed(webhook, type)) return { update, webhook: null, note: `${type} is not in allowed_updates` };
  const body = JSON.stringify(update);
  const first = await post(fx, bot, body);
  // A redelivery carries the very same bytes, as Telegram's retries do.
  const second = duplicate ? await post(fx, bot, body) : undefined;
  return { update, webhook: first, ...(second ? { duplicate: second } : {}) };
}

async function post(fx, bot, body) {
  const webhook = bot.webhook;
  const headers = { 'content-type': 'application/json' };
  if (webhook.secret) headers['x-telegram-bot-api-secret-token'] = webhook.secret;
  webhook.pending += 1;
  const target = reachableUrl(webhook.url, fx.ponteUrl);
  fx.log(`telegram ${bot.username}: update → ${target}`);
  // Every failed try shows in getWebhookInfo, as on Telegram (docs/telegram.md §3.6).
  const onFailedAttempt = (failed) => {
    webhook.lastErrorDate = unixNow();
    webhook.lastErrorMessage = failed.status === undefined ? `Connection failed: ${failed.error}` : `Wrong response from the webhook: ${failed.status} ${failed.statusText}`;
  };
  const outcome = await deliver(target, { headers, body, retryDelaysMs: fx.state.config.retryDelaysMs, accept: (s) => s >= 200 && s < 300, log: fx.log, onFailedAttempt });
  webhook.pending -= 1;
  return { status: outcome.status ?? null, attempts: outcome.attempts, ...(outcome.error ? { error: outcome.error } : {}), ...(outcome.responseText ? { body: outcome.responseText } : {}) };
}
