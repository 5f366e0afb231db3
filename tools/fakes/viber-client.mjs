// Plays a Viber client: opens the chat, writes, subscribes and unsubscribes, each as a signed callback
// to the bot's webhook (docs/viber.md §4, §10).
import { attachmentBytes } from './files.mjs';
import { ControlError, findBot, userOf } from './state.mjs';
import { eventWanted, postCallback } from './viber-callbacks.mjs';

/** The client opens the chat: conversation_started; a JSON response body is recorded as the welcome. */
export async function viberClientOpen(fx, input) {
  const { bot, user } = clientOf(fx, input);
  const fields = { type: 'open', ...(input.context ? { context: String(input.context) } : {}), user: profileOf(user), subscribed: user.state === 'subscribed' };
  // The client opened the chat whether or not the bot asked to hear about it.
  if (user.state === 'unknown' || user.state === 'unsubscribed') user.state = 'opened';
  if (!eventWanted(bot.webhook, 'conversation_started')) return { webhook: null, note: 'conversation_started is not in event_types' };
  const sent = await postCallback(fx, bot, bot.webhook.url, 'conversation_started', fields, { duplicate: input.duplicate });
  const welcome = welcomeFrom(sent.outcome);
  if (welcome) user.conversation.push({ from: 'bot', kind: 'welcome', text: welcome.message?.text ?? '', time: Date.now(), ...(welcome.problem ? { problem: welcome.problem } : {}) });
  return result(sent, { welcome: welcome?.message ?? null, ...(welcome?.problem ? { welcomeProblem: welcome.problem } : {}) });
}

/**
 * The client writes: `{token, user:{id, name}, text?, picture?, file?, location?, duplicate?}`.
 * `picture` is true or {base64, mimeType?}; `file` is {base64|text, fileName, mimeType}; `location` is
 * {lat, lon}. A first message also subscribes the client (without a `subscribed` callback, docs/viber.md §4.2).
 */
export async function viberClientSend(fx, input) {
  const { bot, user } = clientOf(fx, input);
  const text = typeof input.text === 'string' ? input.text : '';
  let message;
  if (input.picture || input.file) {
    const isPicture = Boolean(input.picture);
    const att = attachmentBytes(isPicture ? input.picture : input.file, isPicture ? 'image/jpeg' : 'application/octet-stream');
    const fileName = att.fileName ?? (isPicture ? 'photo.jpg' : 'file.bin');
    const media = `${fx.url}/viber-media/${fx.storeMedia({ ...att, fileName })}/${encodeURIComponent(fileName)}`;
    message = isPicture ? { text, type: 'picture', media, thumbnail: media } : { type: 'file', media, file_name: fileName, file_size: att.bytes.length };
  } else if (input.location) {
    message = { type: 'location', location: { lat: Number(input.location.lat), lon: Number(input.location.lon) } };
  } else {
    if (text === '') throw new ControlError('text, picture, file or location is required');
    message = { text, type: 'text' };
  }
  if (user.trackingData) message.tracking_data = user.trackingData;
  user.state = 'subscribed';
  user.unansweredSends = [];
  const sent = await postCallback(fx, bot, bot.webhook.url, 'message', { sender: profileOf(user), message, silent: false }, { duplicate: input.duplicate });
  user.conversation.push({ from: 'user', kind: message.type, text: message.text ?? '', token: tokenOf(sent.body), time: Date.now(), ...(message.media ? { fileUrl: message.media.slice(fx.url.length) } : {}) });
  return result(sent);
}

/**
 * The client presses a keyboard button (`{token, user, data}`: its ActionBody): a `reply` button sends
 * the ActionBody as the client's text, with our tracking_data echoed.
 */
export async function viberClientPress(fx, input) {
  const { user } = clientOf(fx, input);
  const offered = [...user.conversation].reverse().find((m) => m.from === 'bot' && m.buttons);
  if (!offered?.buttons.some((b) => b.data === input.data)) throw new ControlError('no such button on the keyboard', 404);
  return viberClientSend(fx, { ...input, text: String(input.data) });
}

/** The client subscribes (`on: true`) or unsubscribes from the bot. */
export async function viberClientSubscription(fx, input, on) {
  const { bot, user } = clientOf(fx, input);
  user.state = on ? 'subscribed' : 'unsubscribed';
  user.conversation.push({ from: 'user', kind: on ? 'subscribed' : 'unsubscribed', text: '', time: Date.now() });
  const fields = on ? { user: profileOf(user) } : { user_id: user.id };
  return result(await postCallback(fx, bot, bot.webhook.url, on ? 'subscribed' : 'unsubscribed', fields, { duplicate: input.duplicate }));
}

function clientOf(fx, input) {
  const bot = findBot(fx.state, 'viber', input?.token);
  if (!bot) throw new ControlError('no viber bot with this token', 404);
  if (!bot.webhook) throw new ControlError('this viber bot has no webhook: call set_webhook first', 409);
  const u = input.user ?? {};
  if (typeof u.id !== 'string' || u.id === '') throw new ControlError('user.id (a string such as "pYq3V2xKc0Gm7tWbE1uLrA==") is required');
  const user = userOf(bot, u.id);
  const profile = {};
  for (const key of ['name', 'avatar', 'language', 'country']) if (u[key]) profile[key] = String(u[key]);
  Object.assign(user.profile, profile);
  return { bot, user };
}

function profileOf(user) {
  const { name = 'Viber User', avatar, language = 'pt', country = 'PT' } = user.profile;
  return { id: user.id, name, ...(avatar ? { avatar } : {}), language, country, api_version: 10 };
}

// The welcome message is the 200 response body to conversation_started, shaped like send_message
// without `receiver` (docs/viber.md §4.3).
function welcomeFrom(outcome) {
  if (outcome.status !== 200 || !outcome.body) return null;
  let message;
  try {
    message = JSON.parse(outcome.body);
  } catch {
    return { message: null, problem: 'response body is not JSON' };
  }
  const name = message?.sender?.name;
  const problem = typeof name !== 'string' || name === '' ? 'sender.name is missing' : name.length > 28 ? 'sender.name is longer than 28' : message.receiver ? 'a welcome message must not have a receiver' : undefined;
  return { message, ...(problem ? { problem } : {}) };
}

function result(sent, extra = {}) {
  return { body: sent.body, messageToken: tokenOf(sent.body), webhook: sent.outcome, ...(sent.duplicate ? { duplicate: sent.duplicate } : {}), ...extra };
}

const tokenOf = (body) => /"message_token":(\d+)/.exec(body)?.[1] ?? null;
