/**
 * Telegram clients for the CPU tools (profile.mjs, cpu-cost.mjs): `fresh()` is a new client's first
 * text (it is remembered), `known()` the next text of a remembered client, round-robin. Each returns a
 * request for http-load.mjs's runLoad.
 */
import { integrationsOf } from './api.mjs';
import { telegramHeaders, telegramTextUpdate } from './updates.mjs';

export function webhookClients(stack) {
  const integration = integrationsOf(stack).find((i) => i.channel === 'telegram');
  const path = `/webhooks/telegram/${integration.id}`;
  const headers = telegramHeaders(integration.secret);
  let updateId = 5_000_000;
  let nextUser = 9_100_000_000;
  let turn = 0;
  const clients = [];
  const text = (c) => ({ method: 'POST', path, headers, body: telegramTextUpdate({ updateId: updateId++, userId: c.userId, messageId: c.messageId++ }) });
  return {
    fresh: () => {
      const c = { userId: nextUser++, messageId: 1 };
      // So the bot's reply reaches a chat (as in production) instead of failing with "chat not found".
      stack.fakes.control.telegramMeet({ token: integration.token, user: { id: c.userId } });
      clients.push(c);
      return text(c);
    },
    known: () => text(clients[turn++ % clients.length]),
    /** A text body that no webhook reads (for the insert baselines). */
    body: () => telegramTextUpdate({ updateId: updateId++, userId: 1 }),
  };
}
