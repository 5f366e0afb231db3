/**
 * The bare one-insert Worker (tools/bench/baseline-worker/) under its own `wrangler dev`: another port,
 * its own persist dir and dev registry, on the same machine and in the same run as Ponte. It is the
 * kind of Worker an outside probe compares Ponte's Telegram ingest with.
 *
 *   const bare = await startBareWorker();
 *   POST bare.baseUrl + '/'   (body stored as one row)    GET bare.baseUrl + '/'   (a constant)
 *   await bare.ensureRunning(); // starts it again (same port and state) if its wrangler dev died
 *   await bare.stop();          // also removes its persist dir
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, steady, stopAndWait } from '../lib/stack.mjs';
import { startWranglerDev, waitForHttp } from '../lib/wrangler.mjs';

export const bareWorkerDir = fileURLToPath(new URL('./baseline-worker/', import.meta.url));

export async function startBareWorker({ logLevel = 'warn', devStdio = ['ignore', 'ignore', 'inherit'], log = console.log } = {}) {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'ponte-bench-bare-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let dev = null;
  let stopping = false;
  const bare = { baseUrl, port, stateDir, restarts: 0 };

  const start = async () => {
    const child = startWranglerDev({ port, stateDir, logLevel, cwd: bareWorkerDir, stdio: devStdio, registryDir: path.join(stateDir, 'registry') });
    dev = child;
    child.once('exit', (code, signal) => {
      if (!stopping) log(`  (the bare Worker's wrangler dev exited: code ${code}, signal ${signal})`);
    });
    const exited = new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`bare worker: wrangler dev exited (${code}) before answering`))));
    exited.catch(() => {});
    await Promise.race([waitForHttp(`${baseUrl}/`, 120_000), exited]);
    await Promise.race([steady(`${baseUrl}/`), exited]);
    // The first POST creates the table; a failure here is a broken baseline, not a slow one.
    const res = await fetch(`${baseUrl}/`, { method: 'POST', body: '{"warm":true}' });
    if (res.status !== 200) throw new Error(`bare worker: POST / → ${res.status} ${await res.text()}`);
  };
  const stop = async () => {
    stopping = true;
    await stopAndWait(dev);
    rmSync(stateDir, { recursive: true, force: true });
  };
  const onSignal = () => {
    stop().catch(() => {});
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    await start();
  } catch (err) {
    await stop();
    throw err;
  }
  bare.running = () => !!dev && dev.exitCode === null && dev.signalCode === null;
  bare.ensureRunning = async () => {
    if (bare.running() || stopping) return false;
    await stopAndWait(dev);
    bare.restarts++;
    log(`  (starting the bare Worker again on ${baseUrl})`);
    await start();
    return true;
  };
  bare.stop = async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stop();
  };
  return bare;
}
