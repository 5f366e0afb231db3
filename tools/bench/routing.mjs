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

/** Sends `chats` first messages from new clients, round-robin over the bots. */
function sendFirstMessages(stack, bots, chats, userBase) {
  return runLoad({
    baseUrl: stack.baseUrl, concurrency: 50, count: chats,
    next: (i) => {
      const bot = bots[i % bots.length];
      return { method: 'POST', path: `/webhooks/telegram/${bot.id}`, headers: telegramHeaders(bot.secret), body: telegramTextUpdate({ updateId: userBase + i, userId: userBase + i }) };
    },
  });
}

/** Polls D1 until `done(row)`; {ms, row, polls} or throws after `timeoutMs`. */
async function pollUntil(stack, sql, done, { t0 = Date.now(), timeoutMs = 300_000 } = {}) {
  for (let polls = 1; ; polls++) {
    const [row] = stack.d1(sql);
    if (done(row)) return { ms: Date.now() - t0, row, polls };
    if (Date.now() - t0 > timeoutMs) throw new Error(`P6: timed out waiting (${JSON.stringify(row)})`);
    await sleep(100);
  }
}

const countsSql = (botIds) => `SELECT count(*) AS chats, sum(responsible_id IS NULL) AS unassigned FROM chats WHERE status = 'open' AND integration_id IN (${inList(botIds)})`;

export async function benchRouting(stack, { chats = 1000, managers = 5, log = console.log } = {}) {
  // Plain assignments: managers available, the queue places each new chat as it arrives.
  const plain = await threeBots(stack, 'plain', managers);
  const plainIds = plain.bots.map((b) => b.id);
  const t0 = Date.now();
  const plainLoad = await sendFirstMessages(stack, plain.bots, chats, 8_600_000_000);
  const plainDone = await pollUntil(stack, countsSql(plainIds), (r) => r.chats >= chats && r.unassigned === 0, { t0 });
  log(`  plain: ${chats} new chats assigned in ${plainDone.ms} ms (webhooks ${summarize(plainLoad).rps ?? ''} rps)`);

  // Backlog: everyone away first, so the chats stay unassigned.
  const drain = await threeBots(stack, 'drain', managers);
  const drainIds = drain.bots.map((b) => b.id);
  for (const m of drain.managers) await drain.api.put(drain.admin, `/api/users/${m.id}/status`, { status: 'away' });
  const backlogLoad = summarize(await sendFirstMessages(stack, drain.bots, chats, 8_700_000_000));
  const waiting = await pollUntil(stack, countsSql(drainIds), (r) => r.chats >= chats, { timeoutMs: 60_000 }).catch((err) => {
    throw new Error(`${err.message}; webhooks ${JSON.stringify(backlogLoad.statuses)}, per bot ${JSON.stringify(stack.d1(`SELECT integration_id AS bot, count(*) AS n FROM chats WHERE integration_id IN (${inList(drainIds)}) GROUP BY 1`))}`);
  });
  if (waiting.row.unassigned !== chats) throw new Error(`P6: ${chats - waiting.row.unassigned} chats were assigned while everyone was away`);
  log(`  backlog: ${waiting.row.unassigned} unassigned chats over ${drain.bots.length} bots, ${managers} managers away`);
  const t1 = Date.now();
  await Promise.all(drain.managers.map((m) => drain.api.put(drain.admin, `/api/users/${m.id}/status`, { status: 'available' })));
  const drained = await pollUntil(stack, countsSql(drainIds), (r) => r.unassigned === 0, { t0: t1 });

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
    chats, bots: drain.bots.length, managers, plainMs: plainDone.ms, drainMs: drained.ms, ratio: drained.ms / plainDone.ms,
    notExactlyOnce: notOnce, eventCounts: events, perBot, maxSpread: Math.max(...perBot.map((p) => p.spread)), pollResolutionMs: Math.round(drained.ms / drained.polls),
  };
  log(`  drain: all ${chats} assigned ${drained.ms} ms after ${managers} managers became available → ${result.ratio.toFixed(2)}× the plain assignments (poll every ~${result.pollResolutionMs} ms)`);
  log(`  chats without exactly one queue 'assigned' event: ${notOnce} (want 0); per bot chats per manager: ${perBot.map((p) => p.values.join('/')).join(', ')} (max spread ${result.maxSpread}, want ≤ 1)`);
  return result;
}
