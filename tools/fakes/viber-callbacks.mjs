// Signed Viber callbacks (docs/viber.md §4, §4.1): bodies with bare 64-bit tokens, HMAC signatures,
// delivery with retries, and the event_types filter.
import { createHmac, randomBytes } from 'node:crypto';
import { deliver, reachableUrl } from './http-util.mjs';

// BigInts are written as bare JSON numbers, as Viber does (JSON.stringify cannot). A per-process marker
// keeps client text from being mistaken for one.
const MARK = `__big_${randomBytes(6).toString('hex')}_`;
const MARKED = new RegExp(`"${MARK}(\\d+)"`, 'g');

/** JSON text where every BigInt value is a bare number (e.g. message_token: 5916838249301581826). */
export function viberJson(value) {
  return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${MARK}${v}` : v)).replace(MARKED, '$1');
}

/** Next fresh 64-bit message token of the fake. */
export function nextToken(state) {
  state.nextViberToken += BigInt(1 + Math.floor(Math.random() * 5000));
  return state.nextViberToken;
}

// Always sent, whatever event_types says (docs/viber.md §3, set_webhook).
const MANDATORY = ['message', 'subscribed', 'unsubscribed'];

/** True when the bot's webhook wants this event (an omitted event_types means everything). */
export function eventWanted(webhook, event) {
  if (event === 'webhook' || MANDATORY.includes(event) || webhook.eventTypes === null) return true;
  return webhook.eventTypes.includes(event);
}

/** The event_types list set_webhook answers with. */
export function effectiveEventTypes(eventTypes) {
  if (eventTypes === null) return ['delivered', 'seen', 'failed', 'subscribed', 'unsubscribed', 'conversation_started', 'message', 'webhook', 'client_status', 'action'];
  return [...new Set([...eventTypes, ...MANDATORY])];
}

/**
 * Sends one callback `{event, timestamp, chat_hostname, message_token, ...fields}` to `url`, signed
 * with the bot token over the exact bytes. Returns {body, outcome[, duplicate]}; with `duplicate` the
 * same bytes are delivered twice. `retry: false` makes a single try (the set_webhook check).
 */
export async function postCallback(fx, bot, url, event, fields, { duplicate = false, retry = true } = {}) {
  const body = viberJson({ event, timestamp: Date.now(), chat_hostname: 'SN-CHAT-05_', message_token: nextToken(fx.state), ...fields });
  const headers = {
    'content-type': 'application/json',
    'x-viber-content-signature': createHmac('sha256', bot.token).update(body, 'utf8').digest('hex'),
  };
  const target = reachableUrl(url, fx.ponteUrl);
  fx.log(`viber ${bot.name}: ${event} → ${target}`);
  const options = { headers, body, retryDelaysMs: retry ? fx.state.config.retryDelaysMs : [], accept: (s) => s === 200, log: fx.log };
  const outcome = await deliver(target, options);
  const result = { body, outcome: summarize(outcome) };
  if (duplicate) result.duplicate = summarize(await deliver(target, options));
  return result;
}

function summarize(outcome) {
  return { status: outcome.status ?? null, attempts: outcome.attempts, ...(outcome.error ? { error: outcome.error } : {}), ...(outcome.responseText ? { body: outcome.responseText } : {}) };
}
