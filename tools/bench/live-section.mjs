/**
 * P2 live: webhook → WebSocket frame latency with 50 sockets open, measured by runLiveBench from
 * tools/bench/live.mjs (the live-updates code owns how sockets are opened and frames matched), next to
 * the bare webhook latency (same kind of update, one at a time, no sockets) in the same run.
 */
import { existsSync } from 'node:fs';
import { percentile, runLoad } from './http-load.mjs';
import { telegramHeaders, telegramTextUpdate } from './updates.mjs';

let updateId = 90_000_000;
const clients = Array.from({ length: 50 }, (_, i) => ({ userId: 8_900_000_000 + i, messageId: 1 }));

/** One Telegram text update from one of 50 distinct clients; resolves to {status, ms}. */
function webhookSender(baseUrl, integration) {
  let turn = 0;
  return async () => {
    const client = clients[turn++ % clients.length];
    const body = telegramTextUpdate({ updateId: updateId++, userId: client.userId, messageId: client.messageId++ });
    const t0 = performance.now();
    const res = await fetch(`${baseUrl}/webhooks/telegram/${integration.id}`, { method: 'POST', headers: telegramHeaders(integration.secret), body });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - t0 };
  };
}

export async function benchLive({ stack, api, integration, samples = 200 }) {
  const send = webhookSender(stack.baseUrl, integration);
  // The clients' chats exist before measuring: every sample is a message in an open chat.
  for (let i = 0; i < clients.length; i++) await send();
  const bareRun = await runLoad({
    baseUrl: stack.baseUrl, concurrency: 1, count: samples, warmup: 10,
    next: () => {
      const client = clients[updateId % clients.length];
      return { method: 'POST', path: `/webhooks/telegram/${integration.id}`, headers: telegramHeaders(integration.secret), body: telegramTextUpdate({ updateId: updateId++, userId: client.userId, messageId: client.messageId++ }) };
    },
  });
  const r = (x) => Math.round(x * 10) / 10;
  const bare = { p50: r(percentile(bareRun.latencies, 50)), p99: r(percentile(bareRun.latencies, 99)), n: bareRun.latencies.length };
  console.log(`  bare webhook (one at a time): p50 ${bare.p50} ms  p99 ${bare.p99} ms (n=${bare.n})`);

  const liveFile = new URL('./live.mjs', import.meta.url);
  if (!existsSync(liveFile)) return { bare, skipped: 'tools/bench/live.mjs (runLiveBench, from the live-updates work) is not in this checkout yet' };
  const { runLiveBench, printLiveBench } = await import(liveFile.href);
  // 50 sockets over 6 sessions of two staff users stay under the caps (10 per session, 30 per user).
  const cookies = [];
  for (let i = 0; i < 3; i++) cookies.push(await api.login('admin@demo.ponte', 'demo-admin'), await api.login('ana@demo.ponte', 'demo-ana'));
  const live = await runLiveBench({ baseUrl: stack.baseUrl, cookies, sendWebhook: send, sockets: 50, samples });
  printLiveBench(live);
  return { bare, live };
}
