/**
 * P2 live: webhook → WebSocket frame latency with many inbox sockets open, next to the webhook's own
 * HTTP latency in the same run. Plain Node ESM against a running Worker (`wrangler dev`).
 *
 *   runLiveBench({ baseUrl, cookie, sendWebhook, sockets = 50, samples = 200, warmup = 10 })
 *
 * `cookie` is a logged-in session (an admin or employee: they see every chat). `sendWebhook(i)` must
 * deliver one client text message to an existing or new chat and resolve once the HTTP response is in.
 * Samples run one at a time, so the first new client-message frame after a send belongs to that send.
 * Per sample: webhook = send → HTTP response; first = send → the first socket has the frame; all =
 * send → every socket has it. Nothing here asserts timings; it prints and returns them.
 *
 * CLI: BASE_URL (default http://127.0.0.1:8787), PONTE_BENCH_TG_INTEGRATION and PONTE_BENCH_TG_SECRET
 * (a Telegram integration and its webhook secret), optional PONTE_BENCH_SAMPLES / PONTE_BENCH_SOCKETS;
 * logs in as the demo admin.
 */
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';

const FRAME_TIMEOUT_MS = 5_000;

export async function runLiveBench({ baseUrl, cookie, cookies = [cookie], sendWebhook, sockets = 50, samples = 200, warmup = 10 }) {
  // Live objects cap sockets per session (10) and per user (30): spread the sockets over several sessions.
  const clients = await Promise.all(Array.from({ length: sockets }, (_, i) => openFeed(baseUrl, cookies[i % cookies.length])));
  const arrivals = new Map(); // seq → { first, last, count }
  let waiter = null;
  for (const c of clients) {
    c.onFrame = (frame, at) => {
      if (frame.type !== 'chat' || frame.message?.origin !== 'client' || !frame.changes?.includes('message')) return;
      const a = arrivals.get(frame.seq) ?? { first: at, last: at, count: 0 };
      a.count++;
      a.last = at;
      arrivals.set(frame.seq, a);
      waiter?.();
    };
  }

  const rows = [];
  let missed = 0;
  let failed = 0;
  try {
    for (let i = 0; i < warmup + samples; i++) {
      const known = new Set(arrivals.keys());
      const t0 = performance.now();
      const res = await sendWebhook(i);
      const webhook = performance.now() - t0;
      if (res && typeof res.status === 'number' && res.status !== 200) failed++;
      // The sample's frame: the first client-message seq that was not there before the send.
      const done = await waitFor(() => {
        const seq = [...arrivals.keys()].find((s) => !known.has(s));
        return seq !== undefined && arrivals.get(seq).count >= clients.length ? arrivals.get(seq) : null;
      }, (wake) => (waiter = wake), FRAME_TIMEOUT_MS);
      waiter = null;
      if (!done) {
        missed++;
        continue;
      }
      if (i >= warmup) rows.push({ webhook, first: done.first - t0, all: done.last - t0 });
    }
  } finally {
    for (const c of clients) c.ws.terminate();
  }

  const col = (k) => rows.map((r) => r[k]);
  const stat = (xs) => ({ p50: round(percentile(xs, 50)), p99: round(percentile(xs, 99)) });
  const webhook = stat(col('webhook'));
  const first = stat(col('first'));
  const all = stat(col('all'));
  const afterResponse = stat(rows.map((r) => r.first - r.webhook));
  return {
    sockets: clients.length, samples: rows.length, missed, failedWebhooks: failed,
    webhook, firstFrame: first, allSockets: all, afterResponse,
    ratio: { firstP50: round(first.p50 / webhook.p50, 2), firstP99: round(first.p99 / webhook.p99, 2), allP50: round(all.p50 / webhook.p50, 2), allP99: round(all.p99 / webhook.p99, 2) },
  };
}

/** Prints the figures as a small table. */
export function printLiveBench(r) {
  const line = (label, s, ratio) => console.log(`  ${label.padEnd(34)} p50 ${String(s.p50).padStart(7)} ms   p99 ${String(s.p99).padStart(7)} ms${ratio ? `   ${ratio}` : ''}`);
  console.log(`P2 live: ${r.samples} webhooks one at a time, ${r.sockets} inbox sockets open (missed frames: ${r.missed}, non-200 webhooks: ${r.failedWebhooks})`);
  line('webhook HTTP response (bare)', r.webhook);
  line('webhook → first socket has frame', r.firstFrame, `×${r.ratio.firstP50} / ×${r.ratio.firstP99} of the webhook`);
  line(`webhook → all ${r.sockets} sockets have it`, r.allSockets, `×${r.ratio.allP50} / ×${r.ratio.allP99} of the webhook`);
  line('frame after the response', r.afterResponse);
}

function openFeed(baseUrl, cookie) {
  const url = baseUrl.replace(/^http/, 'ws') + '/api/live';
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { cookie, origin: new URL(baseUrl).origin } });
    const client = { ws, onFrame: null };
    const timer = setTimeout(() => reject(new Error('live socket: no ready frame within 10 s')), 10_000);
    ws.on('unexpected-response', (_req, res) => reject(new Error(`live socket refused: ${res.statusCode}`)));
    ws.on('error', reject);
    ws.on('message', (data) => {
      const at = performance.now();
      const frame = JSON.parse(String(data));
      if (frame.type === 'ready') {
        clearTimeout(timer);
        resolve(client);
      }
      client.onFrame?.(frame, at);
    });
  });
}

/** Resolves with check()'s value once truthy (re-checked whenever `arm`'s callback fires), or null at the deadline. */
function waitFor(check, arm, ms) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(check() ?? null), ms);
    const tryNow = () => {
      const v = check();
      if (v) {
        clearTimeout(timer);
        resolve(v);
      }
    };
    arm(tryNow);
    tryNow();
  });
}

function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

async function main() {
  const baseUrl = process.env.BASE_URL ?? 'http://127.0.0.1:8787';
  const integrationId = process.env.PONTE_BENCH_TG_INTEGRATION;
  const secret = process.env.PONTE_BENCH_TG_SECRET;
  if (!integrationId || !secret) {
    console.error('Set PONTE_BENCH_TG_INTEGRATION and PONTE_BENCH_TG_SECRET (a Telegram integration id and its webhook secret).');
    process.exit(2);
  }
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@demo.ponte', password: 'demo-admin' }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  // Twenty clients keep writing into their own open chats; update ids are unique per run.
  const base = Date.now() % 1_000_000_000;
  const sendWebhook = async (i) => {
    const userId = 7_700_000_000 + (i % 20);
    const body = JSON.stringify({
      update_id: base + i,
      message: {
        message_id: base + i, date: Math.floor(Date.now() / 1000), text: `live bench message ${i}`,
        from: { id: userId, is_bot: false, first_name: 'Bench', last_name: `Client ${i % 20}` },
        chat: { id: userId, type: 'private', first_name: 'Bench', last_name: `Client ${i % 20}` },
      },
    });
    const res = await fetch(`${baseUrl}/webhooks/telegram/${integrationId}`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body,
    });
    await res.arrayBuffer();
    return { status: res.status };
  };
  const result = await runLiveBench({
    baseUrl, cookie, sendWebhook,
    sockets: Number(process.env.PONTE_BENCH_SOCKETS ?? 50), samples: Number(process.env.PONTE_BENCH_SAMPLES ?? 200),
  });
  printLiveBench(result);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
