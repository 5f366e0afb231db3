/**
 * 10,000 webhooks at concurrency 50 across both messengers, 5% of them replays (the exact same bytes
 * again, some right behind the original so they race it, some later). Afterwards D1 must hold every
 * distinct update exactly once, one chat per client, no orphan contacts, and a fair queue.
 */
import { assignmentSpread, setupBotWithManagers, viberRequest } from '../bench/fairness.mjs';
import { waitQuiet } from '../bench/api.mjs';
import { runLoad, summarize } from '../bench/http-load.mjs';
import { clientTexts, firstNames, lastNames, pick, telegramHeaders, telegramTextUpdate } from '../bench/updates.mjs';
import { prng, shuffle } from './checks.mjs';

export async function webhookFlood(stack, ledger, { total = 10_000, replayShare = 0.05, concurrency = 50, clientsPerBot = 1000, managers = 5 } = {}) {
  // No auto-reply on these bots: the flood is about ingest, and 2,000 auto-replies to clients the fakes
  // never met would keep the outbox (and D1) busy long after the last webhook.
  const tg = await setupBotWithManagers(stack, { channel: 'telegram', managers, label: 'flood', autoReply: false });
  const vb = await setupBotWithManagers(stack, { channel: 'viber', managers, label: 'flood', autoReply: false });
  const ids = `'${tg.integration.id}', '${vb.integration.id}'`;
  // Connecting a Viber bot already stored its set_webhook callback: count only what the flood adds.
  const [processedBefore] = stack.d1(`SELECT count(*) AS n FROM processed_updates WHERE integration_id IN (${ids})`);
  const random = prng(20260426);
  const replays = Math.round(total * replayShare);
  const distinct = total - replays;

  // Distinct updates: alternate messengers; each client's messages carry increasing ids. Text ends
  // with a unique marker so the stored rows can be matched one to one.
  const nextMessageId = new Map();
  const originals = [];
  for (let i = 0; i < distinct; i++) {
    const telegram = i % 2 === 0;
    const client = Math.floor(random() * clientsPerBot);
    const key = `${telegram ? 't' : 'v'}${client}`;
    const messageId = (nextMessageId.get(key) ?? 0) + 1;
    nextMessageId.set(key, messageId);
    const text = `${pick(clientTexts, i)} [lt-${i}]`;
    originals.push(telegram
      ? { method: 'POST', path: `/webhooks/telegram/${tg.integration.id}`, headers: telegramHeaders(tg.integration.secret), body: telegramTextUpdate({ updateId: 400_000_000 + i, userId: 6_100_000_000 + client, messageId, text }) }
      : viberRequest(vb.integration, { token: 7_000_000_000_000_000_000n + BigInt(i) * 7919n, userNumber: client, name: `${pick(firstNames, client)} ${pick(lastNames, client >> 3)}`, text, salt: 'flood' }));
  }
  const clientsUsed = new Set([...nextMessageId.keys()]).size;
  shuffle(originals, random);
  // Replays: half right behind their original (racing it at c=50), half anywhere later.
  const stream = [...originals];
  const chosen = shuffle([...originals.keys()], random).slice(0, replays);
  for (const [k, idx] of chosen.entries()) {
    const copy = { ...originals[idx], replay: true };
    const at = stream.indexOf(originals[idx]);
    const pos = k % 2 === 0 ? at + 1 : at + 1 + Math.floor(random() * (stream.length - at));
    stream.splice(pos, 0, copy);
  }

  const t0 = Date.now();
  const run = await runLoad({ baseUrl: stack.baseUrl, concurrency, count: stream.length, keep: true, timeoutMs: 60_000, next: (i) => stream[i] });
  const s = summarize(run);
  console.log(`      ${stream.length} webhooks in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${s.rps} req/s, p50 ${s.p50} ms, p99 ${s.p99} ms, statuses ${JSON.stringify(s.statuses)}${s.errors ? `, ${s.errors} network errors` : ''}`);
  // A messenger retries what was not answered 200: so do we, a few times, with the same bytes.
  let failing = stream.map((req, i) => ({ req, res: run.results[i] })).filter((x) => x.res.status !== 200);
  const firstFailures = failing.length;
  const samples = failing.slice(0, 3).map((x) => `${x.res.status} ${x.res.body.slice(0, 120)}`);
  for (let attempt = 0; attempt < 3 && failing.length; attempt++) {
    const again = await runLoad({ baseUrl: stack.baseUrl, concurrency: 10, count: failing.length, keep: true, next: (i) => failing[i].req });
    failing = failing.map((x, i) => ({ req: x.req, res: again.results[i] })).filter((x) => x.res.status !== 200);
  }
  ledger.check('flood: every webhook answered 200 (as a messenger would see it, with up to 3 retries)', failing.length === 0,
    `${stream.length} sent (${distinct} distinct + ${replays} replays) from ${clientsUsed} clients; ${firstFailures} needed a retry${samples.length ? ` (e.g. ${samples.join(' | ')})` : ''}; ${failing.length} still failing`);

  // Read D1 only once the auto-replies to the new chats have gone out (see waitQuiet).
  await waitQuiet(stack);
  const [m] = stack.d1(`SELECT count(*) AS n, count(DISTINCT m.text) AS texts, sum(m.text LIKE '%[lt-%]') AS marked
    FROM messages m JOIN chats c ON c.id = m.chat_id WHERE c.integration_id IN (${ids}) AND m.direction = 'i'`);
  ledger.check('flood: every distinct update stored exactly once', m.n === distinct && m.texts === distinct && m.marked === distinct,
    `${m.n} inbound messages, ${m.texts} distinct texts, expected ${distinct}`);
  const [p] = stack.d1(`SELECT count(*) AS n FROM processed_updates WHERE integration_id IN (${ids})`);
  const [dupExt] = stack.d1(`SELECT count(*) AS n FROM (SELECT m.chat_id FROM messages m JOIN chats c ON c.id = m.chat_id WHERE c.integration_id IN (${ids}) AND m.direction = 'i' GROUP BY m.chat_id, m.external_id HAVING count(*) > 1)`);
  const added = p.n - processedBefore.n;
  ledger.check('flood: dedup keys match the updates, no message id stored twice', added === distinct && dupExt.n === 0, `${added} processed_updates rows added (expected ${distinct}); ${dupExt.n} duplicated (chat, external id) pairs`);

  const [c] = stack.d1(`SELECT count(*) AS chats, count(DISTINCT integration_id || ':' || external_chat_id) AS clients,
    (SELECT count(*) FROM contact_identities WHERE integration_id IN (${ids})) AS identities,
    (SELECT count(*) FROM (SELECT 1 FROM chats WHERE integration_id IN (${ids}) AND status = 'open' GROUP BY integration_id, contact_id HAVING count(*) > 1)) AS openDupes,
    (SELECT count(*) FROM contacts WHERE id NOT IN (SELECT contact_id FROM contact_identities)) AS orphans
    FROM chats WHERE integration_id IN (${ids})`);
  ledger.check('flood: one chat and one contact per client, no duplicate open chats, no orphan contacts',
    c.chats === clientsUsed && c.clients === clientsUsed && c.identities === clientsUsed && c.openDupes === 0 && c.orphans === 0,
    `${c.chats} chats / ${c.identities} identities for ${clientsUsed} clients; ${c.openDupes} contacts with two open chats; ${c.orphans} orphan contacts`);

  for (const bot of [tg, vb]) {
    const spread = assignmentSpread(stack, bot.integration.id, bot.managers.map((x) => x.id));
    ledger.check(`flood: ${bot.integration.channel} assignments fair (max − min ≤ 1)`, spread.spread <= 1 && spread.unassigned === 0,
      `${spread.values.join(', ')} over ${bot.managers.length} managers (ideal ${spread.ideal.toFixed(1)}), unassigned ${spread.unassigned}`);
  }
  return { tg, vb };
}
