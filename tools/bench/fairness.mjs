/**
 * P5 fairness: a fresh bot with a queue of 7 new managers (made through the API as admin), then 1,000
 * first messages from distinct clients at concurrency 50, then chats per responsible from D1.
 */
import { randomBytes } from 'node:crypto';
import { apiClient, controlClient, waitQuiet } from './api.mjs';
import { runLoad, summarize } from './http-load.mjs';
import { telegramHeaders, telegramTextUpdate, viberHeaders, viberMessageBody, viberUserId } from './updates.mjs';

/**
 * Registers a bot in the fakes, connects it through POST /api/integrations and queues `managers` new
 * employees on it. Returns {integration: {id, channel, secret, token}, managers: [{id, email, password}]}.
 */
export async function setupBotWithManagers(stack, { channel = 'telegram', managers: count = 7, label = 'bench', autoReply = true } = {}) {
  const api = apiClient(stack.baseUrl);
  const admin = await api.login('admin@demo.ponte', 'demo-admin');
  const tag = randomBytes(3).toString('hex');
  const token = channel === 'telegram' ? `79${String(Date.now()).slice(-8)}:AA${randomBytes(16).toString('hex').slice(0, 33)}` : `${randomBytes(8).toString('hex')}-${randomBytes(8).toString('hex')}-${randomBytes(8).toString('hex')}`;
  await controlClient(stack.fakes.url).post('/_control/bots', { channel, token, name: `${label} ${channel} ${tag}`, username: `${label}_${tag}_bot` });
  const created = await api.post(admin, '/api/integrations', { channel, token, ...(autoReply ? { autoReplyText: 'Obrigado! Um atendente responde em breve. / Thanks, a manager will answer shortly.' } : {}) });
  const managers = [];
  for (let i = 0; i < count; i++) {
    const m = { email: `${label}-${tag}-${i + 1}@bench.ponte`, password: `${label}-pass-${i + 1}`, name: `${label} manager ${i + 1}` };
    const user = await api.post(admin, '/api/users', { ...m, role: 'employee' });
    managers.push({ ...m, id: user.id });
  }
  await api.put(admin, `/api/integrations/${created.id}/queue`, { userIds: managers.map((m) => m.id) });
  return { integration: { id: created.id, channel, token, secret: channel === 'telegram' ? webhookSecretOf(stack, token, created.id) : null }, managers, admin };
}

/**
 * The Telegram webhook secret Ponte registered: the fake recorded it with the setWebhook call, so no D1
 * read competes with a busy Worker. Falls back to D1 (quiet moment) when the fake has no such call.
 */
export function webhookSecretOf(stack, token, integrationId) {
  const call = stack.fakes.control.sent(token).calls.filter((c) => String(c.method).toLowerCase() === 'setwebhook').at(-1);
  if (call?.params?.secret_token) return String(call.params.secret_token);
  const [row] = stack.d1(`SELECT webhook_secret AS secret FROM integrations WHERE id = '${integrationId}'`);
  return row.secret;
}

/** Chats per manager on one integration: {counts: {userId: n}, unassigned, min, max, spread, ideal}. */
export function assignmentSpread(stack, integrationId, managerIds) {
  const rows = stack.d1(`SELECT responsible_id AS id, count(*) AS n FROM chats WHERE integration_id = '${integrationId}' GROUP BY responsible_id`);
  const counts = Object.fromEntries(managerIds.map((id) => [id, 0]));
  let unassigned = 0;
  let total = 0;
  for (const r of rows) {
    total += r.n;
    if (r.id === null) unassigned += r.n;
    else counts[r.id] = (counts[r.id] ?? 0) + r.n;
  }
  const values = managerIds.map((id) => counts[id]);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { counts, values, unassigned, total, min, max, spread: max - min, ideal: total / managerIds.length };
}

/** The P5 figures. */
export async function benchFairness(stack, { chats = 1000, concurrency = 50, managers = 7 } = {}) {
  const { integration, managers: team } = await setupBotWithManagers(stack, { managers, label: 'fair' });
  const headers = telegramHeaders(integration.secret);
  const run = await runLoad({
    baseUrl: stack.baseUrl, concurrency, count: chats,
    next: (i) => ({ method: 'POST', path: `/webhooks/telegram/${integration.id}`, headers, body: telegramTextUpdate({ updateId: 50_000_000 + i, userId: 8_500_000_000 + i }) }),
  });
  await waitQuiet(stack);
  return { load: summarize(run), ...assignmentSpread(stack, integration.id, team.map((m) => m.id)), managers: team.length };
}

/** A Viber callback body + headers for the load tests (kept here next to the Telegram one it mirrors). */
export function viberRequest(integration, { token, userNumber, name, text, salt }) {
  const body = viberMessageBody({ messageToken: token, userId: viberUserId(userNumber, salt), name, text });
  return { method: 'POST', path: `/webhooks/viber/${integration.id}`, headers: viberHeaders(integration.token, body), body };
}
