/**
 * P1 ingest: Telegram text updates POSTed straight to /webhooks/telegram/:id (secret header, real
 * Update bytes) from many distinct clients, next to POST /bench/baseline-insert (one D1 insert) with
 * the same bytes — same process, same concurrency, same duration, interleaved in rounds so drift
 * hits both alike. Two kinds of webhook: a known client writing in its open chat (the steady state)
 * and a new client's first message (contact + chat + queue turn + opportunity + auto-reply).
 */
import { runLoad, summarize } from './http-load.mjs';
import { telegramHeaders, telegramTextUpdate } from './updates.mjs';

/** Resolves to {baseline, existing, fresh, constant} summaries and the ratios. */
export async function benchIngest({ baseUrl, integration, concurrency = 10, seconds = 4, rounds = 2, log = console.log }) {
  const path = `/webhooks/telegram/${integration.id}`;
  const headers = telegramHeaders(integration.secret);
  let updateId = 1_000_000;
  let nextClient = 8_100_000_000;
  const known = []; // [{userId, messageId}] clients whose chat exists
  const baselineBody = () => telegramTextUpdate({ updateId: updateId++, userId: 8_000_000_000 + (updateId % 5000) });
  const kinds = {
    constant: () => ({ method: 'GET', path: '/bench/constant' }),
    baseline: () => ({ method: 'POST', path: '/bench/baseline-insert', headers: { 'content-type': 'application/json' }, body: baselineBody() }),
    fresh: () => {
      const client = { userId: nextClient++, messageId: 1 };
      known.push(client);
      return { method: 'POST', path, headers, body: telegramTextUpdate({ updateId: updateId++, userId: client.userId, messageId: client.messageId++ }) };
    },
    existing: (i) => {
      // Walk the known clients round-robin: many distinct chats, none hammered by concurrent writers.
      const client = known[i % known.length];
      return { method: 'POST', path, headers, body: telegramTextUpdate({ updateId: updateId++, userId: client.userId, messageId: client.messageId++ }) };
    },
  };

  const run = (kind, ms) => runLoad({ baseUrl, concurrency, durationMs: ms, next: kinds[kind] });
  // Warm-up (JIT, connections, SQLite pages); also gives `existing` a pool of chats.
  for (const kind of ['constant', 'baseline', 'fresh']) await run(kind, 1500);
  while (known.length < 300) await run('fresh', 1000);

  const acc = { constant: [], baseline: [], fresh: [], existing: [] };
  for (let r = 0; r < rounds; r++) {
    for (const kind of ['baseline', 'existing', 'fresh', 'constant']) {
      const res = await run(kind, kind === 'constant' ? 1500 : seconds * 1000);
      acc[kind].push(res);
      log(`  round ${r + 1} ${kind.padEnd(8)} ${fmt(summarize(res))}`);
    }
  }
  const merged = Object.fromEntries(Object.entries(acc).map(([k, runs]) => [k, summarize(merge(runs))]));
  return {
    ...merged,
    clients: known.length,
    ratioExisting: merged.existing.rps / merged.baseline.rps,
    ratioFresh: merged.fresh.rps / merged.baseline.rps,
  };
}

/** One summary over several runs: all latencies, total requests over total time. */
function merge(runs) {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const elapsedMs = runs.reduce((n, r) => n + r.elapsedMs, 0);
  const statuses = {};
  for (const r of runs) for (const [s, n] of Object.entries(r.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
  return { latencies, elapsedMs, rps: (latencies.length / elapsedMs) * 1000, errors: runs.reduce((n, r) => n + r.errors, 0), statuses };
}

export const fmt = (s) => `${String(s.rps).padStart(5)} req/s  p50 ${String(s.p50).padStart(6)} ms  p99 ${String(s.p99).padStart(6)} ms  (n=${s.n}${s.errors ? `, errors ${s.errors}` : ''}${nonOk(s.statuses)})`;
const nonOk = (statuses) => {
  const bad = Object.entries(statuses ?? {}).filter(([s]) => Number(s) >= 400);
  return bad.length ? `, ${bad.map(([s, n]) => `${n}×${s}`).join(' ')}` : '';
};
