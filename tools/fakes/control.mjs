// The control API (`/_control/...`): register bots, play clients, script failures, inspect traffic.
// The same operations are returned from startFakes() as plain async functions.
import { addBot, ControlError, createState } from './state.mjs';
import { telegramClientBlock, telegramClientMeet, telegramClientPress, telegramClientSend } from './telegram-client.mjs';
import { viberClientOpen, viberClientPress, viberClientSend, viberClientSubscription } from './viber-client.mjs';

const FAIL_MODES = ['500', '429', '403', '400', 'timeout'];

/** The control operations bound to a fakes context. */
export function createControl(fx, options) {
  return {
    registerBot: (input) => summary(addBot(fx.state, input ?? {})),
    bots: () => [...fx.state.bots.values()].map(summary),
    telegramSend: (input) => telegramClientSend(fx, input ?? {}),
    telegramPress: (input) => telegramClientPress(fx, input ?? {}),
    viberPress: (input) => viberClientPress(fx, input ?? {}),
    telegramMeet: (input) => telegramClientMeet(fx, input ?? {}),
    telegramBlock: (input) => telegramClientBlock(fx, input ?? {}, true),
    telegramUnblock: (input) => telegramClientBlock(fx, input ?? {}, false),
    viberSend: (input) => viberClientSend(fx, input ?? {}),
    viberOpen: (input) => viberClientOpen(fx, input ?? {}),
    viberSubscribe: (input) => viberClientSubscription(fx, input ?? {}, true),
    viberUnsubscribe: (input) => viberClientSubscription(fx, input ?? {}, false),
    fail: (input) => armFailure(fx, input ?? {}),
    sent: (token) => inspect(fx, token),
    config: (input) => configure(fx, input ?? {}),
    reset: () => {
      fx.clearTimers();
      fx.media.clear();
      Object.assign(fx.state, createState(options));
      return { ok: true };
    },
  };
}

/** Routes a `/_control/...` request to an operation; answers JSON, errors as {error}. */
export async function handleControl(control, req, url, body) {
  const input = body.length ? JSON.parse(body.toString('utf8')) : {};
  const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
  const table = {
    'POST /_control/bots': () => control.registerBot(input),
    'GET /_control/bots': () => control.bots(),
    'POST /_control/telegram/send': () => control.telegramSend(input),
    'POST /_control/telegram/press': () => control.telegramPress(input),
    'POST /_control/viber/press': () => control.viberPress(input),
    'POST /_control/telegram/meet': () => control.telegramMeet(input),
    'POST /_control/telegram/block': () => control.telegramBlock(input),
    'POST /_control/telegram/unblock': () => control.telegramUnblock(input),
    'POST /_control/viber/send': () => control.viberSend(input),
    'POST /_control/viber/open': () => control.viberOpen(input),
    'POST /_control/viber/subscribe': () => control.viberSubscribe(input),
    'POST /_control/viber/unsubscribe': () => control.viberUnsubscribe(input),
    'POST /_control/fail': () => control.fail(input),
    'GET /_control/sent': () => control.sent(url.searchParams.get('token') ?? undefined),
    'POST /_control/config': () => control.config(input),
    'POST /_control/reset': () => control.reset(),
  };
  const operation = table[route];
  if (!operation) throw new ControlError(`no control route ${route}`, 404);
  return operation();
}

function armFailure(fx, { channel, token, mode, count = 1, retryAfter }) {
  if (channel !== 'telegram' && channel !== 'viber') throw new ControlError('channel must be telegram or viber');
  if (!FAIL_MODES.includes(String(mode))) throw new ControlError(`mode must be one of ${FAIL_MODES.join(', ')}`);
  if (!Number.isInteger(count) || count < 1) throw new ControlError('count must be a positive integer');
  fx.state.failures.push({ channel, token: token ?? null, mode: String(mode), remaining: count, retryAfter });
  return { armed: fx.state.failures.filter((f) => f.channel === channel) };
}

function configure(fx, { retryDelaysMs, viberReceipts }) {
  if (retryDelaysMs !== undefined) {
    if (!Array.isArray(retryDelaysMs) || !retryDelaysMs.every((d) => Number.isFinite(d) && d >= 0)) throw new ControlError('retryDelaysMs must be an array of milliseconds');
    fx.state.config.retryDelaysMs = retryDelaysMs;
  }
  if (viberReceipts !== undefined) Object.assign(fx.state.config.viberReceipts, viberReceipts);
  return fx.state.config;
}

function inspect(fx, token) {
  const calls = fx.state.calls.filter((c) => token === undefined || c.token === token);
  const bots = [...fx.state.bots.values()].filter((b) => token === undefined || b.token === token);
  const conversations = {};
  const users = {};
  for (const bot of bots) {
    for (const user of bot.users.values()) {
      const key = token === undefined ? `${bot.token}|${user.id}` : user.id;
      conversations[key] = user.conversation;
      users[key] = { profile: user.profile, state: user.state };
    }
  }
  return { calls, users, conversations };
}

function summary(bot) {
  const webhook = bot.webhook && { url: bot.webhook.url, ...(bot.channel === 'telegram' ? { hasSecret: Boolean(bot.webhook.secret), allowedUpdates: bot.webhook.allowedUpdates, lastErrorMessage: bot.webhook.lastErrorMessage } : { eventTypes: bot.webhook.eventTypes }) };
  return { channel: bot.channel, token: bot.token, name: bot.name, id: String(bot.id), username: bot.username, webhook: webhook ?? null, users: bot.users.size };
}
