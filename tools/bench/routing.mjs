/**
 * P6 routing (issue 15): 1,000 unassigned chats over 3 bots whose 5 managers are all away, then all 5
 * become available at once (PUT /api/users/:id/status); each BotQueue's alarm-driven backlog sweep must
 * place every chat exactly once, evenly. Time to drain is printed as a ratio of 1,000 plain assignments
 * (new clients on 3 other bots with 5 available managers) measured in the same run.
 */
import { apiClient, sleep } from './api.mjs';
import { setupBotWithManagers } from './fairness.mjs';
import { runLoad, summarize } from './http-load.mjs';
import { telegramHeaders, telegramTextUpdate } from './updates.mjs';

const inList = (ids) => ids.map((id) => `'${id}'`).join(',');

/** Three bots sharing one team of `managers` new employees. */
async function threeBots(stack, label, managers) {
  const api = apiClient(stack.baseUrl);
  const first = await setupBotWithManagers(stack, { managers, label, autoReply: false });
  const bots = [first.integration];
  for (let b = 1; b < 3; b++) {
    const other = await setupBotWithManagers(stack, { managers: 0, label: `${label}${b}`, autoReply: false });
    await api.put(first.admin, `/api/integrations/${other.integration.id}/queue`, { userIds: first.managers.map((m) => m.id) });
    bots.push(other.integration);
  }
  return { bots, managers: first.managers, admin: first.admin, api };
}

/**
 * Sends `chats` first messages from new clients, round-robin over the bots, and redelivers any that did
 * not get a 200, as Telegram does with an update it could not deliver (the webhook is idempotent by
 * update_id). Under wrangler dev at concurrency 50 a few deliveries fail between wrangler's proxy and
 * workerd ("Connection reset by peer", which the proxy reports as a 503 "Your worker restarted
 * mid-request" although nothing restarted); without redelivery those clients never existed and the
 * backlog never reached its size. Returns the first pass's summary and how many were redelivered.
 */
async function sendFirstMessages(stack, bots, chats, userBase, { attempts = 5 } = {}) {
  const request = (i) => {
    const bot = bots[i % bots.length];
    return { method: 'POST', path: `/webhooks/telegram/${bot.id}`, headers: telegramHeaders(bot.secret), body: telegramTextUpdate({ updateId: userBase + i, userId: userBase + i }) };
  };
  const first = await runLoad({ baseUrl: stack.baseUrl, concurrency: 50, count: chats, next: request, keep: true });
  let pending = failedIndexes(first.results, (i) => i);
  const redelivered = { count: pending.length, statuses: {} };
  for (const i of pending) redelivered.statuses[first.results[i].status] = (redelivered.statuses[first.results[i].status] ?? 0) + 1;
  for (let attempt = 2; pending.length > 0 && attempt <= attempts; attempt++) {
    await sleep(200 * attempt);
    const again = await runLoad({ baseUrl: stack.baseUrl, concurrency: 10, count: pending.length, next: (k) => request(pending[k]), keep: true });
    pending = failedIndexes(again.results, (k) => pending[k]);
  }
  if (pending.length > 0) throw new Error(`P6: ${pending.length} webhooks still failed after ${attempts} deliveries`);
  return { first: summarize(first), redelivered };
}

const failedIndexes = (results, indexOf) => results.flatMap((r, k) => (r.status === 200 ? [] : [indexOf(k)]));

/** Polls `read()` until `done(row)`; {ms, row, polls} or throws after `timeoutMs`. */
async function pollUntil(read, done, { t0 = Date.now(), timeoutMs = 300_000, every = 100, trace } = {}) {
  let traced = 0;
  for (let polls = 1; ; polls++) {
    const row = await read();
    if (trace && Date.now() - traced > 5000) { traced = Date.now(); trace(Date.now() - t0, row); }
    if (done(row)) return { ms: Date.now() - t0, row, polls };
    if (Date.now() - t0 > timeoutMs) throw new Error(`P6: timed out waiting (${JSON.stringify(row)})`);
    await sleep(every);
  }
}

/**
 * The admin's inbox counts (open chats: mine + unassigned + others): what the timed waits poll. One cheap
 * request to the Worker, where `wrangler d1 execute` (a new node process per call) took up to 40 s a call
 * on a busy machine and made the drain time the time of one poll. D1 still checks the result exactly.
 */
async function inboxCounts(api, cookie) {
  // A short bound per poll: now and then a keep-alive request is lost between wrangler dev's proxy and
  // workerd and hangs until the client gives up (120 s by default), which twice made the measured drain
  // time 120 s when D1 had drained in seconds. A poll that hangs is sent again and counted.
  const res = await api.raw(cookie, 'GET', '/api/chats?group=unassigned&limit=1', undefined, {}, { timeoutMs: POLL_TIMEOUT_MS, retrySafe: false }).catch(() => null);
  if (!res || res.status !== 200) {
    lostPolls++;
    return { open: -1, unassigned: Number.MAX_SAFE_INTEGER };
  }
  const { counts } = res.data;
  return { open: counts.mine + counts.unassigned + counts.others, unassigned: counts.unassigned };
}

const POLL_TIMEOUT_MS = 5_000;
let lostPolls = 0;

const redeliveries = (load) => (load.redelivered.count > 0 ? `; ${load.redelivered.count} redelivered after ${JSON.stringify(load.redelivered.statuses)}` : '');

const countsSql = (botIds) => `SELECT count(*) AS chats, sum(responsible_id IS NULL) AS unassigned FROM chats WHERE status = 'open' AND integration_id IN (${inList(botIds)})`;

export async function benchRouting(stack, { chats = 1000, managers = 5, log = console.log } = {}) {
  // Plain assignments: managers available, the queue places each new chat as it arrives.
  const plain = await threeBots(stack, 'plain', managers);
  const plainIds = plain.bots.map((b) => b.id);
  const counts = () => inboxCounts(plain.api, plain.admin);
  const before = await counts();
  const t0 = Date.now();
  const plainLoad = await sendFirstMessages(stack, plain.bots, chats, 8_600_000_000);
  const plainDone = await pollUntil(counts, (r) => r.open >= before.open + chats && r.unassigned <= before.unassigned, { t0 });
  const [plainRow] = stack.d1(countsSql(plainIds));
  if (plainRow.chats !== chats || plainRow.unassigned !== 0) throw new Error(`P6: plain assignments ended with ${JSON.stringify(plainRow)}`);
  log(`  plain: ${chats} new chats assigned in ${plainDone.ms} ms (webhooks ${plainLoad.first.rps ?? ''} rps${redeliveries(plainLoad)})`);

  // Backlog: everyone away first, so the chats stay unassigned.
  const drain = await threeBots(stack, 'drain', managers);
  const drainIds = drain.bots.map((b) => b.id);
  for (const m of drain.managers) await drain.api.put(drain.admin, `/api/users/${m.id}/status`, { status: 'away' });
  const backlogLoad = await sendFirstMessages(stack, drain.bots, chats, 8_700_000_000);
  const waiting = await pollUntil(async () => stack.d1(countsSql(drainIds))[0], (r) => r.chats >= chats, { timeoutMs: 60_000 }).catch((err) => {
    throw new Error(`${err.message}; webhooks ${JSON.stringify(backlogLoad.first.statuses)}${redeliveries(backlogLoad)}, per bot ${JSON.stringify(stack.d1(`SELECT integration_id AS bot, count(*) AS n FROM chats WHERE integration_id IN (${inList(drainIds)}) GROUP BY 1`))}`);
  });
  if (waiting.row.unassigned !== chats) throw new Error(`P6: ${chats - waiting.row.unassigned} chats were assigned while everyone was away`);
  log(`  backlog: ${waiting.row.unassigned} unassigned chats over ${drain.bots.length} bots, ${managers} managers away${redeliveries(backlogLoad)}`);
  const backlogCounts = await counts();
  const t1 = Date.now();
  await Promise.all(drain.managers.map((m) => drain.api.put(drain.admin, `/api/users/${m.id}/status`, { status: 'available' })));
  const statusMs = Date.now() - t1;
  const drained = await pollUntil(counts, (r) => r.unassigned <= backlogCounts.unassigned - chats, { t0: t1, trace: (ms, row) => log(`    drain +${ms} ms: ${row.open < 0 ? 'poll cut' : `${row.unassigned - (backlogCounts.unassigned - chats)} left`}`) });
  const [drainRow] = stack.d1(countsSql(drainIds));
  if (drainRow.unassigned !== 0) throw new Error(`P6: ${drainRow.unassigned} backlog chats still unassigned once the counts said drained`);

  // Exactly one `assigned` event by the queue per chat, and an even spread per bot.
  const events = stack.d1(`SELECT n, count(*) AS chats FROM (SELECT c.id, (SELECT count(*) FROM chat_events e WHERE e.chat_id = c.id AND e.type = 'assigned' AND json_extract(e.data, '$.byQueue')) AS n
    FROM chats c WHERE c.integration_id IN (${inList(drainIds)})) GROUP BY n`);
  const notOnce = events.filter((r) => r.n !== 1).reduce((a, r) => a + r.chats, 0);
  const perBot = drain.bots.map((b) => {
    const rows = stack.d1(`SELECT responsible_id AS id, count(*) AS n FROM chats WHERE integration_id = '${b.id}' GROUP BY responsible_id`);
    const values = drain.managers.map((m) => rows.find((r) => r.id === m.id)?.n ?? 0);
    return { values, spread: Math.max(...values) - Math.min(...values) };
  });
  const result = {
    chats, bots: drain.bots.length, managers, redelivered: { plain: plainLoad.redelivered, backlog: backlogLoad.redelivered }, plainMs: plainDone.ms, drainMs: drained.ms, ratio: drained.ms / plainDone.ms,
    notExactlyOnce: notOnce, eventCounts: events, perBot, maxSpread: Math.max(...perBot.map((p) => p.spread)), pollResolutionMs: Math.round(drained.ms / drained.polls), lostPolls,
  };
  log(`  the ${managers} status PUTs answered in ${statusMs} ms; ${drained.polls} polls, ${lostPolls} of them (whole run) cut at ${POLL_TIMEOUT_MS / 1000} s and sent again`);
  log(`  drain: all ${chats} assigned ${drained.ms} ms after ${managers} managers became available → ${result.ratio.toFixed(2)}× the plain assignments (poll every ~${result.pollResolutionMs} ms)`);
  log(`  chats without exactly one queue 'assigned' event: ${notOnce} (want 0); per bot chats per manager: ${perBot.map((p) => p.values.join('/')).join(', ')} (max spread ${result.maxSpread}, want ≤ 1)`);
  return result;
}
