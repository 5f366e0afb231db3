/**
 * P1 ingest: Telegram text updates POSTed straight to /webhooks/telegram/:id (secret header, real
 * Update bytes) from many distinct clients, against baselines measured in the same run:
 *
 *   insert   `POST /bench/baseline-insert` — one raw D1 insert of the same bytes, in Ponte's own Worker
 *   constant `GET /bench/constant` — no storage, in Ponte's own Worker
 *   worker   a separate bare one-insert Worker (tools/bench/baseline-worker/) under its own wrangler dev
 *
 * Rounds alternate baseline and measured (insert, known, constant, fresh, worker, mix) and every round
 * starts with a quiet check (quiet.mjs): no outbox row pending, and the constant route and the bare
 * Worker answering at their quiet latency. A round that found the Worker busy is still run and the
 * failed check is reported.
 *
 * Each measured round is reported two ways. HTTP: the webhook's own req/s, p50, p99 while the load runs.
 * Sustained: webhooks per second over the load *and* the drain after it — until every outbox row it set
 * off is settled (auto-replies delivered to the fakes) and the constant route is back at its quiet
 * latency (live publishing and the rest of the waitUntil work done) — so deferred work cannot hide
 * behind the response. A baseline owes nothing after its response: its sustained rate is its req/s.
 *
 * Kinds: known (a client writing in its open chat), fresh (a new client's first message: contact, chat,
 * queue turn, opportunity, auto-reply), mix (80% known, 20% new).
 */
import { runLoad, summarize } from './http-load.mjs';
import { pendingOf, probe } from './quiet.mjs';
import { sleep } from './api.mjs';
import { telegramHeaders, telegramTextUpdate } from './updates.mjs';

export const MEASURED = ['known', 'fresh', 'mix'];
export const BASELINES = ['insert', 'worker', 'constant'];
export const SCHEDULE = ['insert', 'known', 'constant', 'fresh', 'worker', 'mix'];

/** The targets, each against both insert baselines. */
export const TARGETS = {
  known: { rps: 0.8, p99: 2, of: 'http' },
  fresh: { rps: 0.6, of: 'http' },
  mix: { rps: 0.5, of: 'sustained' },
};

/**
 * Resolves to {runs: {kind: [round…]}, merged: {kind: summary}, ratios, clients}. `quiet` is a
 * quietChecker (quiet.mjs) over Ponte and the bare Worker, already calibrated.
 */
export async function benchIngest({ baseUrl, bareUrl, ensureBare = async () => {}, integration, fakes, quiet, concurrency = 10, seconds = 10, rounds = 3, constantSeconds, drainTimeoutMs = 90_000, log = console.log }) {
  const path = `/webhooks/telegram/${integration.id}`;
  const headers = telegramHeaders(integration.secret);
  let updateId = 1_000_000;
  let nextClient = 8_100_000_000;
  const known = []; // [{userId, messageId}] clients whose chat exists
  let knownTurn = 0;
  const update = (client) => telegramTextUpdate({ updateId: updateId++, userId: client.userId, messageId: client.messageId++ });
  const baselineBody = () => telegramTextUpdate({ updateId: updateId++, userId: 8_000_000_000 + (updateId % 5000) });
  const freshReq = () => {
    const client = { userId: nextClient++, messageId: 1 };
    // A real client the bot can answer: its auto-reply is delivered, as in production, not refused as "chat not found".
    fakes.control.telegramMeet({ token: integration.token, user: { id: client.userId } });
    known.push(client);
    return { method: 'POST', path, headers, body: update(client), fresh: true };
  };
  // Walk the known clients round-robin: many distinct chats, none hammered by concurrent writers.
  const knownReq = () => ({ method: 'POST', path, headers, body: update(known[knownTurn++ % known.length]) });
  const kinds = {
    constant: { url: baseUrl, next: () => ({ method: 'GET', path: '/bench/constant' }) },
    insert: { url: baseUrl, next: () => ({ method: 'POST', path: '/bench/baseline-insert', headers: { 'content-type': 'application/json' }, body: baselineBody() }) },
    worker: { url: bareUrl, next: () => ({ method: 'POST', path: '/', headers: { 'content-type': 'application/json' }, body: baselineBody() }) },
    known: { url: baseUrl, next: knownReq },
    fresh: { url: baseUrl, next: freshReq },
    mix: { url: baseUrl, next: (i) => (i % 5 === 4 ? freshReq() : knownReq()) },
  };
  // Replies the fake Telegram accepted: a refused one ("chat not found") is not a delivered reply.
  const repliesAtFakes = () => fakes.control.sent().calls.filter((c) => /^sendmessage$/i.test(c.method) && c.result?.ok === true).length;

  /** One load run of `kind`; for measured kinds, also the drain after it. */
  async function round(kind, ms, label) {
    const k = kinds[kind];
    let freshSent = 0;
    const next = (i) => {
      const req = k.next(i);
      if (req.fresh) freshSent++;
      return req;
    };
    const repliesBefore = MEASURED.includes(kind) ? repliesAtFakes() : 0;
    const t0 = performance.now();
    const run = await runLoad({ baseUrl: k.url, concurrency, durationMs: ms, next });
    // Only answers < 400 count as served: a round of 401s must not pass for a fast one.
    const http = { ...summarize(run), rps: Math.round((run.ok / run.elapsedMs) * 1000) };
    const res = { kind, label, http, ok: run.ok, loadMs: run.elapsedMs, latencies: run.latencies, statuses: run.statuses, failures: run.failures, errors: run.errors };
    if (!MEASURED.includes(kind)) {
      res.sustained = { rps: http.rps, drainMs: 0, drained: true };
      return res;
    }
    const drain = await drainAfter({ baseUrl, quiet, timeoutMs: drainTimeoutMs });
    const totalMs = drain.endAt - t0;
    const replies = repliesAtFakes() - repliesBefore;
    res.sustained = { rps: Math.round((run.ok / totalMs) * 1000), totalMs, drainMs: Math.max(0, drain.endAt - (t0 + run.elapsedMs)), drained: drain.ok, pendingPeak: drain.pendingPeak, newClients: freshSent, replies };
    return res;
  }

  // Warm-up (JIT, connections, SQLite pages) of every route; also gives `known` a pool of chats.
  log('  warm-up: every route, then new clients until 300 chats exist');
  await ensureBare();
  for (const kind of ['constant', 'insert', 'worker', 'fresh', 'known']) await round(kind, 1500);
  for (let i = 0; i < 20 && known.length < 300; i++) await round('fresh', 1000);
  log('  quiet latency again, after the warm-up (the lower reference is kept)');
  await quiet.calibrate({ keepLower: true });

  const runs = Object.fromEntries(SCHEDULE.map((k) => [k, []]));
  let seq = 0;
  for (let r = 1; r <= rounds; r++) {
    for (const kind of SCHEDULE) {
      const label = `round ${r} ${kind}`;
      await ensureBare();
      const check = await quiet.check(label);
      const res = await round(kind, kind === 'constant' && constantSeconds ? constantSeconds * 1000 : seconds * 1000, label);
      res.quiet = { ok: check.ok, text: check.text };
      res.seq = seq++;
      runs[kind].push(res);
      log(`  ${label.padEnd(16)} ${describe(res)}`);
    }
  }

  const merged = Object.fromEntries(Object.entries(runs).map(([k, list]) => [k, mergeRounds(list)]));
  return { runs: stripLatencies(runs), merged, ratios: ratiosOf(merged), clients: known.length, concurrency, seconds, rounds };
}

/**
 * Polls until the outbox is drained and the constant route is back at its quiet latency (bounded by
 * `timeoutMs`). `endAt` (performance.now() time) is when the passing probe began: the work was done by then.
 */
async function drainAfter({ baseUrl, quiet, timeoutMs }) {
  const start = performance.now();
  let pendingPeak = 0;
  const ponte = quiet.targets.find((t) => t.pending);
  for (;;) {
    const at = performance.now();
    const { pending } = await pendingOf(baseUrl);
    if (Number.isFinite(pending)) pendingPeak = Math.max(pendingPeak, pending);
    if (pending === 0) {
      const p = await probe({ baseUrl, path: ponte.path, concurrency: quiet.concurrency });
      if (p.errors === 0 && p.p50 <= quiet.quiet[ponte.name] * quiet.factor) return { ok: true, endAt: at, pendingPeak };
    }
    if (at - start > timeoutMs) return { ok: false, endAt: at, pendingPeak };
    await sleep(100);
  }
}

/** One summary over several rounds: all latencies, total requests over total time; sustained likewise. */
function mergeRounds(list) {
  const latencies = list.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const loadMs = list.reduce((n, r) => n + r.loadMs, 0);
  const ok = list.reduce((n, r) => n + r.ok, 0);
  const statuses = {};
  for (const r of list) for (const [s, n] of Object.entries(r.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
  const http = summarize({ latencies, rps: (ok / loadMs) * 1000, errors: list.reduce((n, r) => n + r.errors, 0), statuses });
  http.failed = http.errors + Object.entries(statuses).filter(([st]) => Number(st) >= 400).reduce((n, [, c]) => n + c, 0);
  http.failures = Object.assign({}, ...list.map((r) => r.failures ?? {}).reverse());
  const measured = list.some((r) => r.sustained.totalMs !== undefined);
  const totalMs = measured ? list.reduce((n, r) => n + r.sustained.totalMs, 0) : loadMs;
  const sustained = {
    rps: Math.round((ok / totalMs) * 1000),
    drainMs: Math.round(list.reduce((n, r) => n + r.sustained.drainMs, 0) / list.length),
    drained: list.every((r) => r.sustained.drained),
    ...(measured ? { newClients: list.reduce((n, r) => n + r.sustained.newClients, 0), replies: list.reduce((n, r) => n + r.sustained.replies, 0) } : {}),
  };
  return { http, sustained, rounds: list.length, quietOk: list.every((r) => r.quiet?.ok !== false) };
}

/** Every measured figure against each insert baseline (req/s, and p99 where a target asks for it). */
function ratiosOf(m) {
  const out = {};
  for (const kind of MEASURED) {
    out[kind] = {};
    for (const base of ['worker', 'insert']) {
      const b = m[base].http;
      if (!(b.rps > 0) || !(m[kind].http.n > 0)) {
        out[kind][base] = { rps: null, sustained: null, p99: null, p50: null, met: false };
        continue;
      }
      const rps = m[kind].http.rps / b.rps;
      const sustained = m[kind].sustained.rps / b.rps;
      const p99 = m[kind].http.p99 / b.p99;
      const t = TARGETS[kind];
      const figure = t.of === 'sustained' ? sustained : rps;
      // A target is met only by rounds where every request (and every baseline request) was answered < 400.
      const met = figure >= t.rps && (t.p99 === undefined || p99 <= t.p99) && m[kind].http.failed === 0 && b.failed === 0;
      out[kind][base] = { rps: round2(rps), sustained: round2(sustained), p99: round2(p99), p50: round2(m[kind].http.p50 / b.p50), met };
    }
  }
  const w = m.worker.http.rps > 0;
  out.insertVsWorker = { rps: w ? round2(m.insert.http.rps / m.worker.http.rps) : null, p99: w ? round2(m.insert.http.p99 / m.worker.http.p99) : null };
  out.constantVsWorker = { rps: w ? round2(m.constant.http.rps / m.worker.http.rps) : null };
  return out;
}

const round2 = (x) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : null);

function stripLatencies(runs) {
  return Object.fromEntries(Object.entries(runs).map(([k, list]) => [k, list.map(({ latencies, ...rest }) => rest)]));
}

function describe(res) {
  const s = res.sustained;
  const tail = s.totalMs === undefined ? '' : `   sustained ${String(s.rps).padStart(4)}/s (drain ${(s.drainMs / 1000).toFixed(1)} s${s.drained ? '' : ' **not drained**'}; peak pending ${s.pendingPeak}; new clients ${s.newClients}, replies at the fakes ${s.replies})`;
  return `${fmt(res.http)}${tail}`;
}

export const fmt = (s) => `${String(s.rps).padStart(5)} req/s  p50 ${String(s.p50).padStart(6)} ms  p99 ${String(s.p99).padStart(6)} ms  (n=${s.n}${s.errors ? `, errors ${s.errors}` : ''}${nonOk(s.statuses)})`;
const nonOk = (statuses) => {
  const bad = Object.entries(statuses ?? {}).filter(([s]) => Number(s) >= 400);
  return bad.length ? `, ${bad.map(([s, n]) => `${n}×${s}`).join(' ')}` : '';
};

/** The P1 lines printed at the end of the section: every figure with its ratios and targets. */
export function printIngest(p1, log = console.log) {
  const m = p1.merged;
  const r = p1.ratios;
  const base = (k, name) => log(`  ${name.padEnd(34)} ${fmt(m[k].http)}`);
  base('worker', 'baseline: bare one-insert Worker');
  base('insert', 'baseline: POST /bench/baseline-insert');
  log(`  ${''.padEnd(34)} = ${r.insertVsWorker.rps}× the bare Worker's req/s, p99 ${r.insertVsWorker.p99}×`);
  base('constant', 'baseline: GET /bench/constant');
  for (const kind of MEASURED) {
    const t = TARGETS[kind];
    log(`  ${LABELS[kind].padEnd(34)} ${fmt(m[kind].http)}`);
    log(`  ${''.padEnd(34)} sustained ${m[kind].sustained.rps}/s incl. drain (avg drain ${(m[kind].sustained.drainMs / 1000).toFixed(1)} s${m[kind].sustained.drained ? '' : ', NOT ALWAYS DRAINED'})`);
    for (const b of ['worker', 'insert']) {
      const x = r[kind][b];
      if (x.rps === null) {
        log(`  ${''.padEnd(34)} vs ${b === 'worker' ? 'bare Worker' : 'in-process insert'}: no figure (the baseline or the round answered nothing)`);
        continue;
      }
      log(`  ${''.padEnd(34)} vs ${b === 'worker' ? 'bare Worker' : 'in-process insert'}: req/s ${x.rps}×, sustained ${x.sustained}×, p50 ${x.p50}×, p99 ${x.p99}×  — target ${targetText(t)}: ${x.met ? 'met' : 'NOT MET'}`);
    }
  }
}

export const LABELS = {
  known: 'webhook, known client text',
  fresh: 'webhook, new client',
  mix: 'webhook, mix 80% known / 20% new',
  insert: '`POST /bench/baseline-insert` (Ponte, one raw D1 insert)',
  worker: 'bare one-insert Worker (own wrangler dev)',
  constant: '`GET /bench/constant` (Ponte, no storage)',
};

export const targetText = (t) => `${t.of === 'sustained' ? 'sustained' : 'req/s'} ≥ ${t.rps}×${t.p99 ? `, p99 ≤ ${t.p99}×` : ''}`;
