/**
 * Outbound replies under messenger failures, and across a `wrangler dev` restart. Clients are played
 * through the fakes (so the fake knows them and accepts sends); replies are POSTed as the chat's
 * responsible employee; what the client really received is read from the fake's conversations.
 */
import { apiClient, mapLimit, sleep } from '../bench/api.mjs';
import { setupBotWithManagers } from '../bench/fairness.mjs';
import { firstNames, lastNames, pick, viberUserId } from '../bench/updates.mjs';

const TERMINAL_OK = new Set(['sent', 'delivered', 'seen']);

/** A bot with `managers` employees and `clients` conversations started by clients through the fake. */
export async function conversations(stack, { channel, clients, managers = 2, label }) {
  const bot = await setupBotWithManagers(stack, { channel, managers, label });
  const control = stack.fakes.control;
  const users = [];
  await mapLimit(Array.from({ length: clients }, (_, i) => i), 5, async (i) => {
    const name = `${pick(firstNames, i + 3)} ${pick(lastNames, i + 5)}`;
    if (channel === 'telegram') {
      const user = { id: 5_300_000_000 + i, first_name: name.split(' ')[0], last_name: name.split(' ')[1] };
      await control.telegramSend({ token: bot.integration.token, user, text: `Olá, preciso de ajuda com o pedido ${i}` });
      users[i] = String(user.id);
    } else {
      const user = { id: viberUserId(i, label), name };
      await control.viberSend({ token: bot.integration.token, user, text: `Olá, preciso de ajuda com o pedido ${i}` });
      users[i] = user.id;
    }
  });
  // Found through the API, not D1: a second SQLite connection polling the live database makes the
  // Worker's own writes fail with SQLITE_BUSY, which is not what is being tested here.
  const api = apiClient(stack.baseUrl);
  const cookies = {};
  for (const m of bot.managers) cookies[m.id] = await api.login(m.email, m.password);
  // Right after the flood the clients' first webhooks can take a while: wait for every chat, and stop
  // here rather than pile all replies onto the few chats that exist (the per-chat order would serialise them).
  let listed = [];
  const deadline = Date.now() + 90_000;
  while (listed.length < users.length) {
    listed = (await api.get(bot.admin, `/api/chats/archive?integrationId=${bot.integration.id}&limit=100`)).items;
    if (listed.length >= users.length) break;
    if (Date.now() > deadline) throw new Error(`${label}: only ${listed.length} of ${users.length} ${channel} chats exist after 90 s`);
    await sleep(500);
  }
  const chats = listed.map((c) => ({ chatId: c.id, cookie: cookies[c.responsibleId] ?? bot.admin }));
  return { bot, chats, cookies };
}

/** POSTs `perChat` replies to each chat (concurrency 10); `during(k)` runs before the k-th. Returns [{text, chatId, status, id}]. */
export async function postReplies(stack, chats, { perChat, tag, during = async () => {} }) {
  const api = apiClient(stack.baseUrl);
  const jobs = [];
  for (let j = 0; j < perChat; j++) for (const [c, chat] of chats.entries()) jobs.push({ chat, text: `${tag} reply ${j + 1} to client ${c + 1} — obrigado pelo contato!` });
  return mapLimit(jobs, 10, async (job, k) => {
    await during(k);
    const res = await api.raw(job.chat.cookie, 'POST', `/api/chats/${job.chat.chatId}/messages`, { text: job.text });
    return { text: job.text, chatId: job.chat.chatId, status: res.status, id: res.data?.id ?? res.data?.message?.id ?? null, body: res.status === 202 ? null : JSON.stringify(res.data).slice(0, 200) };
  });
}

/**
 * Polls the chats' timelines (as admin, through the API) until none of the tagged replies is
 * `sending` or `timeoutMs` passes. Returns {rows: {text: {status, error}}, pending, waitedMs}.
 */
export async function waitSettled(stack, admin, chatIds, tag, timeoutMs) {
  const api = apiClient(stack.baseUrl);
  const t0 = Date.now();
  for (;;) {
    const rows = {};
    await mapLimit(chatIds, 5, async (chatId) => {
      const page = await api.get(admin, `/api/chats/${chatId}/timeline?limit=200`);
      for (const item of page.items) if (item.kind === 'message' && item.direction === 'out' && item.text?.startsWith(`${tag} reply `)) rows[item.text] = { status: item.status, error: item.error };
    });
    const pending = Object.values(rows).filter((r) => r.status === 'sending').length;
    if (pending === 0 || Date.now() - t0 > timeoutMs) return { rows, pending, waitedMs: Date.now() - t0 };
    await sleep(3000);
  }
}

/** How many times each bot text reached the client, per the fake's conversations. */
export function receivedCounts(stack, token) {
  const { conversations: convs } = stack.fakes.control.sent(token);
  const counts = new Map();
  for (const entries of Object.values(convs)) for (const e of entries) if (e.from === 'bot') counts.set(e.text, (counts.get(e.text) ?? 0) + 1);
  return counts;
}

/** The shared verdict on a set of replies: statuses, reasons, duplicates, losses. */
export function verdict(replies, settled, counts) {
  const by = { accepted: 0, ok: 0, failed: 0, sending: 0, missing: 0, failedNoReason: 0, twice: 0, okNotReceived: 0, failedButReceived: 0 };
  const reasons = new Map();
  for (const r of replies) {
    if (r.status !== 202) continue;
    by.accepted++;
    const row = settled.rows[r.text];
    const got = counts.get(r.text) ?? 0;
    if (got > 1) by.twice++;
    if (!row) by.missing++;
    else if (row.status === 'sending') by.sending++;
    else if (TERMINAL_OK.has(row.status)) {
      by.ok++;
      if (got === 0) by.okNotReceived++;
    } else if (row.status === 'failed') {
      by.failed++;
      if (!row.error) by.failedNoReason++;
      reasons.set(row.error, (reasons.get(row.error) ?? 0) + 1);
      if (got > 0) by.failedButReceived++;
    }
  }
  return { ...by, reasons: [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, n]) => `${n}× "${k}"`).join('; ') };
}

/**
 * 1,000 replies while the fakes fail in bursts: 500s, 429 with retry_after, timeouts, 403.
 * Every reply must end sent/delivered/seen, or failed with a reason; none stuck, none sent twice.
 */
export async function outboundUnderFaults(stack, ledger, { replies = 1000, waitMs = 150_000 } = {}) {
  const perChannel = replies / 2;
  const clients = 25;
  const setups = [];
  for (const channel of ['telegram', 'viber']) setups.push(await conversations(stack, { channel, clients, label: `fault${channel[0]}` }));
  await sleep(1500); // auto-replies to the clients' first messages go out first
  const control = stack.fakes.control;
  const results = [];
  const t0 = Date.now();
  for (const { bot, chats } of setups) {
    const token = bot.integration.token;
    const channel = bot.integration.channel;
    // The script: a burst of 500s now, then 429s, hung requests and 403s as the replies flow.
    const share = (f) => Math.max(1, Math.round(perChannel * f));
    const script = { 0: { mode: '500', count: share(0.08) }, [share(0.25)]: { mode: '429', count: share(0.06), retryAfter: 1 }, [share(0.5)]: { mode: 'timeout', count: 3 }, [share(0.75)]: { mode: '403', count: share(0.01) } };
    const tag = `flt-${channel}`;
    const posted = await postReplies(stack, chats, {
      perChat: perChannel / chats.length, tag,
      during: async (k) => {
        if (script[k]) control.fail({ channel, token, ...script[k] });
      },
    });
    results.push({ channel, token, tag, posted });
  }
  console.log(`      ${replies} replies posted in ${((Date.now() - t0) / 1000).toFixed(1)} s; waiting for delivery (≤ ${waitMs / 1000} s from now)`);
  const waitStart = Date.now();
  for (const [i, { channel, token, tag, posted }] of results.entries()) {
    // One deadline for both channels: they share the outbox.
    const settled = await waitSettled(stack, setups[i].bot.admin, setups[i].chats.map((c) => c.chatId), tag, Math.max(0, waitMs - (Date.now() - waitStart)));
    const v = verdict(posted, settled, receivedCounts(stack, token));
    const refused = posted.filter((p) => p.status !== 202);
    ledger.check(`faults (${channel}): every reply accepted with 202`, refused.length === 0, `${posted.length - refused.length}/${posted.length}${refused[0] ? `; e.g. ${refused[0].status} ${refused[0].body}` : ''}`);
    ledger.check(`faults (${channel}): every reply ends sent/delivered/seen or failed with a reason, none stuck`, v.sending === 0 && v.missing === 0 && v.failedNoReason === 0,
      `${v.ok} delivered, ${v.failed} failed (${v.reasons || 'no failures'}), ${v.sending} still sending ${((Date.now() - waitStart) / 1000).toFixed(0)} s after the last was posted, ${v.missing} missing, ${v.failedNoReason} failed without a reason`);
    if (v.sending > 0) console.log(`      stuck ${channel} replies: ${JSON.stringify(stuckDetail(stack, tag))}`);
    ledger.check(`faults (${channel}): none sent twice, statuses agree with what the client got`, v.twice === 0 && v.okNotReceived === 0 && v.failedButReceived === 0,
      `${v.twice} received twice; ${v.okNotReceived} marked delivered but never received; ${v.failedButReceived} marked failed but received`);
  }
  return setups;
}

/**
 * Restarting wrangler dev in the middle of outbound delivery loses no reply: replies are held back by
 * 429s (retry_after), the dev server is stopped while they wait in the in-memory queue, started again on
 * the same state dir, and the Durable Object alarm must re-drive them.
 */
export async function restartMidDelivery(stack, ledger, setup, { replies = 100, waitMs = 180_000 } = {}) {
  const { bot, chats } = setup;
  const token = bot.integration.token;
  const channel = bot.integration.channel;
  const tag = `rst-${channel}`;
  stack.fakes.control.fail({ channel, token, mode: '429', count: Math.floor(replies * 0.6), retryAfter: 5 });
  const posted = await postReplies(stack, chats, { perChat: Math.max(1, Math.round(replies / chats.length)), tag });
  await sleep(1500);
  const chatIds = chats.map((c) => c.chatId);
  const before = (await waitSettled(stack, bot.admin, chatIds, tag, 0)).pending;
  const t0 = Date.now();
  await stack.restart();
  console.log(`      ${posted.length} replies posted; ${before} still sending when wrangler dev was stopped; restarted in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const settled = await waitSettled(stack, bot.admin, chatIds, tag, waitMs);
  const v = verdict(posted, settled, receivedCounts(stack, token));
  ledger.check('restart: replies were in flight when wrangler dev stopped', before > 0, `${before} of ${posted.length} in sending`);
  ledger.check('restart: no reply lost — every one delivered after the restart', v.ok === v.accepted && v.okNotReceived === 0,
    `${v.ok}/${v.accepted} delivered within ${(settled.waitedMs / 1000).toFixed(0)} s of the restart, ${v.sending} still sending, ${v.failed} failed (${v.reasons || '—'})`);
  ledger.check('restart: none sent twice', v.twice === 0, `${v.twice} received twice`);
}

/**
 * Why replies are still `sending` (a D1 read, after the wait): per chat with stuck replies, how many,
 * and the chat's oldest one — the head the others wait behind — with its attempts and next try.
 */
function stuckDetail(stack, tag) {
  try {
    return stack.d1(`SELECT count(*) AS n, min(m.created_at) AS first_at,
      (SELECT h.attempts FROM messages h WHERE h.chat_id = m.chat_id AND h.direction = 'o' AND h.status = 'p' ORDER BY h.created_at, h.id LIMIT 1) AS head_attempts,
      (SELECT CAST((h.next_attempt_at - CAST(strftime('%s','now') AS INTEGER) * 1000) / 1000 AS TEXT) || ' s' FROM messages h
        WHERE h.chat_id = m.chat_id AND h.direction = 'o' AND h.status = 'p' ORDER BY h.created_at, h.id LIMIT 1) AS head_next_try_in
    FROM messages m WHERE m.direction = 'o' AND m.status = 'p' AND m.text LIKE '${tag} reply %' GROUP BY m.chat_id ORDER BY n DESC LIMIT 6`)
      .map(({ first_at: _, ...r }) => r);
  } catch (err) {
    return `(not readable now: ${String(err.message).slice(0, 60)}…)`;
  }
}
