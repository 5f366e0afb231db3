#!/usr/bin/env node
/**
 * `node tools/bench/profile.mjs [known|fresh] [count]`: where a webhook's CPU goes. Starts the stack
 * (bench vars), makes `known` clients, then records a V8 CPU profile of the Worker through wrangler dev's
 * inspector while `count` webhooks of the kind run at concurrency 10, and prints the functions with the
 * most self time (and writes the .cpuprofile to /tmp for Chrome DevTools). A tool for finding work to
 * cut, not a figure: the bench (npm run bench) gives the figures.
 */
import { writeFileSync } from 'node:fs';
import WebSocket from 'ws';
import { startStack } from '../lib/stack.mjs';
import { runLoad, summarize } from './http-load.mjs';
import { webhookClients } from './webhook-clients.mjs';

const kind = process.argv[2] ?? 'known';
const count = Number(process.argv[3] ?? 3000);
const stack = await startStack({ build: false, seed: true, quick: true, vars: { PONTE_BENCH: '1' }, prefix: 'ponte-profile-' });
try {
  const { fresh, known } = webhookClients(stack);
  await runLoad({ baseUrl: stack.baseUrl, concurrency: 10, count: 300, next: fresh });
  await runLoad({ baseUrl: stack.baseUrl, concurrency: 10, count: 1000, next: known }); // warm-up
  await new Promise((r) => setTimeout(r, 3000));

  const targets = await (await fetch(`http://127.0.0.1:${stack.inspectorPort}/json`)).json();
  const target = targets.find((t) => !/internal|proxy/i.test(t.title ?? '')) ?? targets[0];
  console.log('inspector targets:', targets.map((t) => t.title).join(', '), '→', target.title);
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
  let seq = 0;
  const pending = new Map();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); }
  });
  const send = (method, params = {}) => new Promise((r) => { const id = ++seq; pending.set(id, r); ws.send(JSON.stringify({ id, method, params })); });
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 100 });
  await send('Profiler.start');
  const run = await runLoad({ baseUrl: stack.baseUrl, concurrency: 10, count, next: kind === 'fresh' ? fresh : known });
  await new Promise((r) => setTimeout(r, 2000));
  const { result } = await send('Profiler.stop');
  ws.close();
  console.log(kind, summarize(run), 'ok', run.ok, 'of', count, `${Math.round((run.ok / run.elapsedMs) * 1000)} req/s`);
  const profile = result.profile;
  writeFileSync(`/tmp/ponte-${kind}.cpuprofile`, JSON.stringify(profile));
  const self = new Map();
  const dt = new Map();
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let total = 0;
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anon)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    const t = dt.get(node.id) ?? 0;
    total += t;
    self.set(key, (self.get(key) ?? 0) + t);
  }
  const idle = [...self].filter(([k]) => /^\((idle|program|garbage collector)\)/.test(k)).reduce((a, [, t]) => a + t, 0);
  console.log(`total ${(total / 1000).toFixed(0)} ms, busy ${((total - idle) / 1000).toFixed(0)} ms = ${((total - idle) / 1000 / run.ok).toFixed(3)} ms per webhook`);
  for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${(t / 1000).toFixed(1).padStart(8)} ms  ${k}`);
} finally {
  await stack.stop();
}
