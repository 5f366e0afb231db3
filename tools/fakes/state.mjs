// In-memory state of the fakes: bots (registered through the control API), their users and
// conversations, the API calls received and the scripted failures. Tokens are data: a token is valid
// exactly when the control API registered it.
import { randomBytes, randomInt } from 'node:crypto';

/** Fresh, empty state. `options` are the tunables the control API can change later. */
export function createState(options = {}) {
  return {
    bots: new Map(),
    calls: [],
    failures: [],
    config: {
      // Webhook delivery: 3 tries in total (Telegram and Viber both retry; exact schedules are unknown).
      retryDelaysMs: options.retryDelaysMs ?? [200, 800],
      // Viber receipts after a successful send_message: which ones, to how many devices, after what delay.
      viberReceipts: { delivered: true, seen: true, devices: 1, delayMs: 300, ...options.viberReceipts },
    },
    // Viber tokens are 64-bit; start where the fixtures do and count up, as BigInt.
    nextViberToken: 5916838249301581826n + BigInt(randomInt(1, 1_000_000)) * 1000n,
  };
}

/** Registers (or re-registers, keeping nothing) a bot under `token`. */
export function addBot(state, { channel, token, name, username }) {
  if (channel !== 'telegram' && channel !== 'viber') throw new ControlError(`unknown channel: ${channel}`);
  if (typeof token !== 'string' || token === '') throw new ControlError('token is required');
  const displayName = typeof name === 'string' && name !== '' ? name : channel === 'telegram' ? 'Test Bot' : 'Test Viber Bot';
  const bot = {
    channel,
    token,
    name: displayName,
    id: channel === 'telegram' ? telegramBotId(token) : `pa:${randomDigits(19)}`,
    username: username ?? botUsername(displayName, channel),
    webhook: null,
    users: new Map(),
    files: new Map(),
    nextUpdateId: 734512001 + randomInt(0, 1000) * 100,
    nextFileNumber: 1,
  };
  state.bots.set(token, bot);
  return bot;
}

/** The bot for a token and channel, or undefined (which the APIs answer as a bad token). */
export function findBot(state, channel, token) {
  const bot = typeof token === 'string' ? state.bots.get(token) : undefined;
  return bot && bot.channel === channel ? bot : undefined;
}

/** The fake's record of one client of a bot, created on first sight. */
export function userOf(bot, id, profile = {}) {
  const key = String(id);
  let user = bot.users.get(key);
  if (!user) {
    user = { id: key, profile: {}, state: 'unknown', nextMessageId: 1, conversation: [], unansweredSends: [] };
    bot.users.set(key, user);
  }
  Object.assign(user.profile, profile);
  return user;
}

/** Appends to the API call log that `GET /_control/sent` shows. */
export function recordCall(state, bot, method, params, result) {
  state.calls.push({ channel: bot?.channel ?? null, token: bot?.token ?? null, method, params, result, time: new Date().toISOString() });
}

/**
 * Takes one scripted failure for a send by this bot, if any is armed (`POST /_control/fail`).
 * Returns {mode, retryAfter} or undefined.
 */
export function takeFailure(state, bot) {
  const rule = state.failures.find((f) => f.channel === bot.channel && (f.token == null || f.token === bot.token) && f.remaining > 0);
  if (!rule) return undefined;
  rule.remaining -= 1;
  state.failures = state.failures.filter((f) => f.remaining > 0);
  return { mode: rule.mode, retryAfter: rule.retryAfter };
}

/** An error in a control request: answered as 400 with its message. */
export class ControlError extends Error {
  constructor(message, status = 400) {
    super(message);
    this.status = status;
  }
}

// Telegram tokens start with the bot id ("7012345678:AAF..."); keep that relation when it is there.
function telegramBotId(token) {
  const prefix = token.split(':')[0];
  return /^\d{5,15}$/.test(prefix) ? Number(prefix) : Number(`7${randomDigits(9)}`);
}

function botUsername(name, channel) {
  const base = name.normalize('NFD').replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return channel === 'telegram' ? `${base || 'Test'}Bot` : (base || 'test').toLowerCase();
}

function randomDigits(n) {
  let out = String(1 + randomInt(0, 9));
  while (out.length < n) out += randomBytes(4).readUInt32BE(0).toString().slice(-4);
  return out.slice(0, n);
}
