#!/usr/bin/env node
/**
 * `node tools/bench/cpu-cost.mjs [rounds]`: CPU time per request of every workerd process (wrangler
 * dev's proxy and the Worker's own), for the bare one-insert Worker, Ponte's insert route, a known
 * client's webhook and a new client's (its drain included: the auto-reply's delivery, the live frames).
 * On a machine with few cores the load generator and both stacks share them, so what a request costs
 * in CPU, not only what it waits for, sets how many fit in a second. A tool for finding work to cut,
 * not a figure: the bench (npm run bench) gives the figures. Reads /proc (Linux only).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { startStack } from '../lib/stack.mjs';
import { startBareWorker } from './bare-worker.mjs';
import { runLoad } from './http-load.mjs';
import { webhookClients } from './webhook-clients.mjs';

const rounds = Number(process.argv[2] ?? 2);
const TICKS_PER_SECOND = 100;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds so far of each workerd process, by pid, named by the port it serves (0 = behind the proxy). */
function workerdCpu() {
  const out = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!args[0].endsWith('/workerd')) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      const entry = args.find((a) => a.startsWith('--socket-addr=entry=')) ?? '';
      out.set(pid, { cpu: (Number(stat[11]) + Number(stat[12])) / TICKS_PER_SECOND, role: entry.endsWith(':0') ? 'worker' : 'proxy' });
    } catch {
      // The process ended while being read.
    }
  }
  return out;
}

function spent(before, after) {
  const by = { proxy: 0, worker: 0 };
  for (const [pid, { cpu, role }] of after) by[role] += cpu - (before.get(pid)?.cpu ?? 0);
  return by;
}

const stack = await startStack({ build: false, seed: true, quick: true, vars: { PONTE_BENCH: '1' }, prefix: 'ponte-cpu-' });
const bare = await startBareWorker();
try {
  const clients = webhookClients(stack);
  const kinds = {
    bare: { url: bare.baseUrl, count: 1500, next: () => ({ method: 'POST', path: '/', body: clients.body() }) },
    insert: { url: stack.baseUrl, count: 1500, next: () => ({ method: 'POST', path: '/bench/baseline-insert', body: clients.body() }) },
    known: { url: stack.baseUrl, count: 1500, next: clients.known },
    fresh: { url: stack.baseUrl, count: 400, drainMs: 12_000, next: clients.fresh },
  };
  // Warm-up: clients to write as known ones, and every isolate and object awake.
  await runLoad({ baseUrl: stack.baseUrl, concurrency: 10, count: 300, next: kinds.fresh.next });
  await runLoad({ baseUrl: stack.baseUrl, concurrency: 10, count: 500, next: kinds.known.next });
  await runLoad({ baseUrl: bare.baseUrl, concurrency: 10, count: 500, next: kinds.bare.next });
  await sleep(8000);
  // What both stacks' workerd processes burn with no request at all (per second of wall time).
  const idleFrom = workerdCpu();
  await sleep(10_000);
  const idle = spent(idleFrom, workerdCpu());
  console.log(`idle: worker ${(idle.worker * 100).toFixed(0)} ms/s, proxy ${(idle.proxy * 100).toFixed(0)} ms/s (both stacks)`);
  for (let round = 1; round <= rounds; round++) {
    for (const [name, kind] of Object.entries(kinds)) {
      const before = workerdCpu();
      const started = Date.now();
      const run = await runLoad({ baseUrl: kind.url, concurrency: 10, count: kind.count, next: kind.next });
      const elapsed = Date.now() - started;
      // Deferred work (publishes, replies) is part of the cost: let it finish before reading the clocks.
      await sleep(kind.drainMs ?? 4000);
      const by = spent(before, workerdCpu());
      const perRequest = (s) => (run.ok > 0 ? ((s * 1000) / run.ok).toFixed(2) : 'n/a');
      console.log(`round ${round} ${name.padEnd(6)} ${String(Math.round((run.ok / elapsed) * 1000)).padStart(4)} req/s (${run.ok}/${kind.count} ok)  CPU per request: worker ${perRequest(by.worker)} ms + proxy ${perRequest(by.proxy)} ms = ${perRequest(by.worker + by.proxy)} ms`);
    }
  }
} finally {
  await bare.stop();
  await stack.stop();
}
