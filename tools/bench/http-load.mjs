/**
 * A small closed-loop HTTP load generator for loopback benchmarks: `concurrency` workers, each sending
 * its next request as soon as the previous answered, over keep-alive sockets (node:http, which costs
 * the client far less CPU than fetch — on 2 cores the client shares the machine with workerd).
 */
import http from 'node:http';

/**
 * Runs until `durationMs` elapsed or `count` requests were started, whichever comes first.
 * `next(i)` returns `{method, path, headers?, body?}` for the i-th request, or null to stop.
 * Resolves to {sent, ok, statuses, failures, errors, elapsedMs, rps, latencies (ms, sorted), results?}:
 * `failures` holds the first body (cut at 200 characters) of each status ≥ 400, to say where it came from.
 * With `keep: true`, `results[i]` is {status, body, ms} for each request.
 */
export async function runLoad({ baseUrl, concurrency = 10, durationMs = Infinity, count = Infinity, next, keep = false, timeoutMs = 30_000, warmup = 0 }) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const statuses = {};
  const failures = {};
  const latencies = [];
  const results = keep ? [] : undefined;
  let errors = 0;
  let started = 0;
  let ok = 0;
  const begin = performance.now();
  const deadline = begin + durationMs;
  const worker = async () => {
    for (;;) {
      if (started >= count || performance.now() >= deadline) return;
      const i = started++;
      const req = next(i);
      if (!req) return;
      const t0 = performance.now();
      try {
        const res = await send(agent, url, req, timeoutMs);
        const ms = performance.now() - t0;
        if (i >= warmup) latencies.push(ms);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status < 400) ok++;
        else failures[res.status] ??= res.body.slice(0, 200);
        if (results) results[i] = { status: res.status, body: res.body, ms };
      } catch (err) {
        errors++;
        if (results) results[i] = { status: 0, body: String(err?.message ?? err), ms: performance.now() - t0 };
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - begin;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { sent: started, ok, statuses, failures, errors, elapsedMs, rps: (latencies.length / elapsedMs) * 1000, latencies, results };
}

function send(agent, url, { method = 'GET', path, headers = {}, body }, timeoutMs) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
    const req = http.request({
      agent, host: url.hostname, port: url.port, method, path,
      headers: { ...headers, ...(payload ? { 'content-length': payload.length } : {}) },
      timeout: timeoutMs,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** The p-th percentile (0–100) of an ascending array, nearest-rank. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** "p50 3.1 ms · p99 34.0 ms" style summary numbers, rounded to 0.1 ms. */
export function summarize(run) {
  const r = (x) => Math.round(x * 10) / 10;
  return { n: run.latencies.length, rps: Math.round(run.rps), p50: r(percentile(run.latencies, 50)), p95: r(percentile(run.latencies, 95)), p99: r(percentile(run.latencies, 99)), errors: run.errors, statuses: run.statuses };
}
