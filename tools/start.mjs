#!/usr/bin/env node
/**
 * `npm start`: Ponte locally, offline, with the demo. Applies local migrations, builds the web UI,
 * starts the messenger fakes and `wrangler dev`, seeds the demo when the database is empty, and
 * prints the URL and the demo logins. Environment: PORT, PUBLIC_URL, TELEGRAM_API_BASE,
 * VIBER_API_BASE, PONTE_STATE_DIR, PONTE_FAKES=0, FAKES_PORT (see ../README.md).
 */
import { spawnSync } from 'node:child_process';
import { demoLogins, seedDemoContent, seedDemoUsersIfEmpty } from './demo/seed.mjs';
import { spreadDemoOverDays } from './demo/spread.mjs';
import { steady, stopAndWait, waitForDrainedOutbox } from './lib/stack.mjs';
import { startWranglerDev, stopGroup, waitForHttp, wrangler } from './lib/wrangler.mjs';

const port = Number(process.env.PORT ?? 8787);
const stateDir = process.env.PONTE_STATE_DIR ?? '.wrangler/state';
const useFakes = process.env.PONTE_FAKES !== '0';
const fakesPort = Number(process.env.FAKES_PORT ?? 8790);
const baseUrl = `http://127.0.0.1:${port}`;

const children = [];
let fakes = null;
const shutdown = async (code = 0) => {
  for (const child of children) stopGroup(child);
  await fakes?.close?.();
  process.exit(code);
};
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

try {
  console.log('• Building the web UI…');
  const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('web build failed');

  console.log('• Applying database migrations…');
  wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', stateDir], { capture: true });

  if (useFakes) {
    const { startFakes } = await import('./fakes/server.mjs');
    fakes = await startFakes({ port: fakesPort, ponteUrl: process.env.PUBLIC_URL ?? baseUrl });
    console.log(`• Messenger simulators at ${fakes.url}`);
  }

  const vars = {
    PUBLIC_URL: process.env.PUBLIC_URL ?? baseUrl,
    TELEGRAM_API_BASE: process.env.TELEGRAM_API_BASE ?? fakes?.telegramBase,
    VIBER_API_BASE: process.env.VIBER_API_BASE ?? fakes?.viberBase,
  };
  const freshDatabase = await seedDemoUsersIfEmpty(stateDir);
  let dev = null;
  const startDev = async () => {
    const child = startWranglerDev({ port, stateDir, vars, logLevel: process.env.PONTE_LOG_LEVEL ?? 'warn' });
    dev = child;
    children.push(child);
    child.on('exit', (code) => {
      if (dev !== child) return; // stopped on purpose (stopDev)
      console.error(`wrangler dev stopped (${code})`);
      shutdown(code ?? 1);
    });
    await waitForHttp(`${baseUrl}/api/me`, 120_000);
    // wrangler dev may swap the Worker in once more right after its first answer.
    await steady(`${baseUrl}/api/me`);
  };
  const stopDev = async () => {
    const child = dev;
    dev = null;
    await stopAndWait(child);
    children.splice(children.indexOf(child), 1);
  };
  await startDev();

  if (freshDatabase) {
    await seedDemoContent({ baseUrl, fakes, log: console.log });
    // The seeded conversations spread over the past 30 days, so the Reports page has a month to show.
    // The spread writes the database from another process: not beside the running Worker (either side
    // would meet SQLITE_BUSY, and the Worker a file changed under it), so wrangler dev stops for it once
    // the seeded replies are delivered.
    await waitForDrainedOutbox(stateDir);
    await stopDev();
    await spreadDemoOverDays(stateDir);
    await startDev();
  }
  console.log(freshDatabase ? '• Demo data seeded.' : '• Existing data kept (no seed).');
  console.log(`\nPonte is running at ${baseUrl}`);
  if (fakes) console.log(`Play a Telegram or Viber client at ${fakes.url}`);
  console.log('Demo logins:');
  for (const l of demoLogins) console.log(`  ${l.role.padEnd(9)} ${l.email} / ${l.password}`);
} catch (err) {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err, err?.cause ?? "");
  await shutdown(1);
}
