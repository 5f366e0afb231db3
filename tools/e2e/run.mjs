#!/usr/bin/env node
/**
 * Browser tests: starts the whole local stack exactly as `npm start` does (fakes, migrations, web
 * build, wrangler dev, demo seed) on free ports with a throw-away state dir, then runs
 * test/e2e/*.test.mjs with node's test runner against it. BASE_URL and FAKES_URL tell the tests where.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { seedDemoIfEmpty } from '../demo/seed.mjs';
import { startWranglerDev, stopGroup, waitForHttp, wrangler } from '../lib/wrangler.mjs';

const freePort = () => new Promise((resolve) => {
  const srv = createServer();
  srv.listen(0, '127.0.0.1', () => {
    const { port } = srv.address();
    srv.close(() => resolve(port));
  });
});

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'ponte-e2e-'));
const port = await freePort();
const baseUrl = `http://127.0.0.1:${port}`;
let dev;
let fakes;
let code = 1;
try {
  const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('web build failed');
  wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', stateDir], { capture: true });
  const { startFakes } = await import('../fakes/server.mjs');
  fakes = await startFakes({ port: await freePort(), ponteUrl: baseUrl });
  dev = startWranglerDev({ port, stateDir, vars: { PUBLIC_URL: baseUrl, TELEGRAM_API_BASE: fakes.telegramBase, VIBER_API_BASE: fakes.viberBase }, stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForHttp(`${baseUrl}/api/me`, 120_000);
  await seedDemoIfEmpty({ baseUrl, stateDir, fakes, quick: true });

  const files = readdirSync('test/e2e').filter((f) => f.endsWith('.test.mjs')).map((f) => path.join('test/e2e', f));
  const run = spawn(process.execPath, ['--test', '--test-concurrency=1', ...files], {
    stdio: 'inherit',
    env: { ...process.env, BASE_URL: baseUrl, FAKES_URL: fakes.url },
  });
  code = await new Promise((resolve) => run.on('exit', (c) => resolve(c ?? 1)));
} catch (err) {
  console.error(err);
} finally {
  stopGroup(dev);
  await fakes?.close?.();
  rmSync(stateDir, { recursive: true, force: true });
}
process.exit(code);
