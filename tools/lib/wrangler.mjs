/** Runs wrangler offline and quietly (no login, no telemetry, no Request.cf fetch). */
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
export const wranglerBin = path.join(path.dirname(require.resolve('wrangler/package.json')), 'bin', 'wrangler.js');

export const quietEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  CI: 'true',
  NO_COLOR: '1',
};

/**
 * Runs a wrangler command to completion; throws with its output on failure, or when it runs past
 * `timeoutMs` (a blocking call: no timer of the caller could end a hang).
 */
export function wrangler(args, { cwd = process.cwd(), capture = false, timeoutMs = 10 * 60_000 } = {}) {
  const res = spawnSync(process.execPath, [wranglerBin, ...args], { cwd, env: quietEnv, encoding: 'utf8', stdio: capture ? 'pipe' : ['ignore', 'inherit', 'inherit'], timeout: timeoutMs, killSignal: 'SIGKILL' });
  if (res.error?.code === 'ETIMEDOUT') throw new Error(`wrangler ${args.join(' ')} did not finish within ${timeoutMs / 1000} s`);
  if (res.status !== 0) throw new Error(`wrangler ${args.join(' ')} failed (${res.status})\n${res.stdout ?? ''}${res.stderr ?? ''}`);
  return res.stdout ?? '';
}

/**
 * Starts `wrangler dev` in its own process group (it spawns workerd children that must die with it).
 * Returns the child; stop it with stopGroup(child).
 *
 * `registryDir`: a dev registry of its own. Every wrangler dev (and vitest-pool-workers) on the machine
 * shares ~/.wrangler/registry, and a registry change makes the others swap their worker, which answers
 * in-flight POSTs with "Your worker restarted mid-request" — noise a load test must not count.
 */
export function startWranglerDev({ port, inspectorPort, stateDir, vars = {}, logLevel = 'warn', cwd = process.cwd(), stdio = 'inherit', registryDir }) {
  const args = [wranglerBin, 'dev', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', stateDir, '--log-level', logLevel, '--show-interactive-dev-session=false'];
  if (inspectorPort) args.push('--inspector-port', String(inspectorPort));
  for (const [k, v] of Object.entries(vars)) if (v) args.push('--var', `${k}:${v}`);
  const env = registryDir ? { ...quietEnv, WRANGLER_REGISTRY_PATH: registryDir } : quietEnv;
  return spawn(process.execPath, args, { cwd, env, detached: true, stdio });
}

export function stopGroup(child) {
  if (!child || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
}

/** Polls a URL until it answers at all (any HTTP status), or throws after `timeoutMs`. */
export async function waitForHttp(url, timeoutMs = 60_000) {
  const start = Date.now();
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch {
      if (Date.now() - start > timeoutMs) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
