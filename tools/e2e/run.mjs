#!/usr/bin/env node
/**
 * Browser tests: starts the whole local stack exactly as `npm start` does (fakes, migrations, web
 * build, wrangler dev, demo seed) on free ports with a throw-away state dir, then runs
 * test/e2e/*.test.mjs with node's test runner against it. BASE_URL and FAKES_URL tell the tests where.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { startStack } from '../lib/stack.mjs';

let stack;
let code = 1;
try {
  // A minute of `reassignAfterMinutes` lasts 3 s here, so the no-reply test (test/e2e/routing.test.mjs)
  // sets the real 1-minute setting and waits seconds; nothing else in the browser tests uses the timer.
  stack = await startStack({ build: true, seed: true, quick: true, prefix: 'ponte-e2e-', vars: { ROUTING_MINUTE_MS: '3000' } });
  // `npm run test:e2e -- test/e2e/x.test.mjs` runs just those files; no arguments, every browser test.
  const named = process.argv.slice(2);
  const files = named.length ? named : readdirSync('test/e2e').filter((f) => f.endsWith('.test.mjs')).map((f) => path.join('test/e2e', f));
  const run = spawn(process.execPath, ['--test', '--test-concurrency=1', ...files], {
    stdio: 'inherit',
    env: { ...process.env, BASE_URL: stack.baseUrl, FAKES_URL: stack.fakes.url },
  });
  code = await new Promise((resolve) => run.on('exit', (c) => resolve(c ?? 1)));
} catch (err) {
  console.error(err);
} finally {
  await stack?.stop();
}
process.exit(code);
