/**
 * The whole local stack for a script: messenger fakes and `wrangler dev` on free loopback ports, a
 * throw-away state dir with the migrations applied, and optionally the web build and the demo seed.
 * Used by the browser tests (tools/e2e), the benchmarks (tools/bench) and the load tests (tools/load).
 *
 *   const stack = await startStack({ vars: { PONTE_BENCH: '1' }, seed: true });
 *   await fetch(stack.baseUrl + '/api/me');
 *   stack.d1('SELECT count(*) AS n FROM chats');   // rows, via wrangler d1 execute --local
 *   await stack.restart();                          // same port, same state dir
 *   await stack.stop();                             // also removes the state dir
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { seedDemoContent, seedDemoUsersIfEmpty } from '../demo/seed.mjs';
import { spreadDemoOverDays } from '../demo/spread.mjs';
import { startWranglerDev, stopGroup, waitForHttp, wrangler } from './wrangler.mjs';

/** A free TCP port on 127.0.0.1. */
export const freePort = () => new Promise((resolve, reject) => {
  const srv = createServer();
  srv.once('error', reject);
  srv.listen(0, '127.0.0.1', () => {
    const { port } = srv.address();
    srv.close(() => resolve(port));
  });
});

/** Builds web/dist (vite, quiet). Throws when the build fails. */
export function buildWeb() {
  const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('web build failed');
}

/** The stacks this process started and has not stopped yet. */
const liveStacks = new Set();
let signalsHooked = false;

/**
 * Ctrl-C or a kill of the script must not leave any stack's wrangler dev (its own process group) running:
 * one handler stops every live stack (a bench runs two at once), then exits.
 */
function stopStacksOnSignal() {
  if (signalsHooked) return;
  signalsHooked = true;
  const onSignal = (signal) => {
    Promise.allSettled([...liveStacks].map((stack) => stack.stop())).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

/**
 * Starts fakes + wrangler dev. Options: `build` (web build first; by default only when web/dist is
 * missing, as on a fresh clone — wrangler refuses to start without its assets dir), `seed` (demo seed, quick),
 * `vars` (extra --var), `logLevel` ('warn'), `fakes` (options for startFakes, e.g. retryDelaysMs),
 * `devStdio` (wrangler's stdio; stderr is shown by default), `prefix` for the temp dir name.
 */
export async function startStack({ build = !existsSync('web/dist/index.html'), seed = true, quick = true, vars = {}, logLevel = 'warn', fakes: fakesOptions = {}, devStdio = ['ignore', 'ignore', 'inherit'], prefix = 'ponte-stack-' } = {}) {
  if (build) buildWeb();
  const stateDir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const port = await freePort();
  // wrangler dev's inspector defaults to 9229: a second stack on the machine (bench, e2e) would refuse to start.
  const inspectorPort = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const stack = { baseUrl, port, inspectorPort, stateDir, fakes: null, dev: null };
  try {
    wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', stateDir], { capture: true });
    const { startFakes } = await import('../fakes/server.mjs');
    stack.fakes = await startFakes({ port: await freePort(), ponteUrl: baseUrl, ...fakesOptions });
    const allVars = { PUBLIC_URL: baseUrl, TELEGRAM_API_BASE: stack.fakes.telegramBase, VIBER_API_BASE: stack.fakes.viberBase, ...vars };

    /** Starts wrangler dev on the stack's port and state dir and waits until it answers. */
    stack.startDev = async () => {
      const dev = startWranglerDev({ port, inspectorPort, stateDir, vars: allVars, logLevel, stdio: devStdio, registryDir: path.join(stateDir, 'registry') });
      stack.dev = dev;
      // Fail fast when wrangler gives up (bad config, port taken) instead of polling for two minutes.
      const exited = new Promise((_, reject) => dev.once('exit', (code) => reject(new Error(`wrangler dev exited (${code}) before answering`))));
      exited.catch(() => {});
      await Promise.race([waitForHttp(`${baseUrl}/api/me`, 120_000), exited]);
      // Right after its first answer wrangler dev may still swap the worker in once (the next request
      // then dies with "other side closed"): wait until it has answered steadily for a second.
      await Promise.race([steady(`${baseUrl}/api/me`), exited]);
    };
    /** Stops wrangler dev (the whole process group) and waits until it is gone and the port is free. */
    stack.stopDev = async () => {
      const dev = stack.dev;
      stack.dev = null;
      await stopAndWait(dev);
    };
    stack.restart = async () => {
      await stack.stopDev();
      await stack.startDev();
    };
    /** Runs SQL against the stack's local D1 (works while dev runs); returns the last statement's rows. */
    stack.d1 = (sql) => d1Rows(stateDir, sql);
    stack.stop = async () => {
      liveStacks.delete(stack);
      await stopAndWait(stack.dev);
      await stack.fakes?.close?.();
      rmSync(stateDir, { recursive: true, force: true });
    };
    liveStacks.add(stack);
    stopStacksOnSignal();
    // The users go in before wrangler dev starts, as `npm start` does: written next to a running Worker
    // they could swap its database file under the next request ("other side closed").
    if (seed) await seedDemoUsersIfEmpty(stateDir);
    await stack.startDev();
    if (seed) await seedWithRetry(stack, quick);
    return stack;
  } catch (err) {
    liveStacks.delete(stack);
    await stopAndWait(stack.dev);
    await stack.fakes?.close?.();
    rmSync(stateDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * The demo's content through the running Worker, then its spread over past days. Should a request still
 * die on the way ("fetch failed"): fresh state, fresh fakes, again.
 */
async function seedWithRetry(stack, quick) {
  for (let attempt = 1; ; attempt++) {
    try {
      await seedDemoContent({ baseUrl: stack.baseUrl, fakes: stack.fakes, quick });
      // The spread writes the database from another process, so not beside the running Worker (either
      // side would meet SQLITE_BUSY, and the Worker a file changed under it): once the seeded replies
      // are delivered, wrangler dev stops for it, as it does for the users.
      await waitForDrainedOutbox(stack.stateDir);
      await stack.stopDev();
      await spreadDemoOverDays(stack.stateDir);
      await stack.startDev();
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      console.error(`  (demo seed failed: ${err?.message ?? err}; starting over on a fresh state dir)`);
      await stack.stopDev();
      rmSync(stack.stateDir, { recursive: true, force: true });
      mkdirSync(stack.stateDir, { recursive: true });
      wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', stack.stateDir], { capture: true });
      await seedDemoUsersIfEmpty(stack.stateDir);
      stack.fakes.control.reset();
      await stack.startDev();
    }
  }
}

/** Resolves once `url` answered `answers` times in a row, `gapMs` apart. */
export async function steady(url, { answers = 4, gapMs = 300, timeoutMs = 30_000 } = {}) {
  const t0 = Date.now();
  let streak = 0;
  while (streak < answers) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${url} did not answer steadily within ${timeoutMs} ms`);
    try {
      await (await fetch(url)).arrayBuffer();
      streak++;
    } catch {
      streak = 0;
    }
    await new Promise((r) => setTimeout(r, gapMs));
  }
}

/**
 * Rows of the last statement of `sql`, run with `wrangler d1 execute --local --json`. This opens the
 * same SQLite file as the running Worker: while the Worker writes, either side may get SQLITE_BUSY, so
 * query when the stack is quiet (see waitQuiet in tools/bench/api.mjs); a busy read is retried here.
 */
export function d1Rows(stateDir, sql) {
  for (let attempt = 1; ; attempt++) {
    try {
      const out = wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', stateDir, '--json', '--command', sql], { capture: true });
      return JSON.parse(out).at(-1)?.results ?? [];
    } catch (err) {
      // Outbox retries come in waves (backoff 5, 15, 60 s): a busy moment passes within seconds.
      if (attempt >= 6 || !/SQLITE_BUSY|database is locked/i.test(String(err?.message))) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 700 * attempt);
    }
  }
}

/** Resolves once no message has a delivery attempt pending (the replies reached the messenger), or after `timeoutMs`. */
export async function waitForDrainedOutbox(stateDir, timeoutMs = 60_000) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    const [row] = d1Rows(stateDir, 'SELECT count(*) AS n FROM messages WHERE next_attempt_at IS NOT NULL');
    if (!row?.n) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** SIGTERM to the process group, then SIGKILL after 5 s; resolves once the child has exited. */
export async function stopAndWait(child, graceMs = 5000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  stopGroup(child);
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, graceMs);
  await exited;
  clearTimeout(timer);
  // workerd children of the group may outlive wrangler by a moment.
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}
