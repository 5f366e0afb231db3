#!/usr/bin/env node
/**
 * `npm run test:load`: load, fault and bad-input checks against the real stack (fakes + wrangler dev on
 * loopback, temp state, free ports, demo seed). Prints one line per check, ends with `N passed, N failed`
 * and exits non-zero when any check failed. Never asserts timings; prints them.
 *
 * Every part is bounded: each HTTP call (raw-http.mjs, the API client), each section (a section past
 * its deadline is a failed check and the run goes on), and the whole run (RUN_DEADLINE_MS).
 *
 * Environment: LOAD_QUICK=1 (small counts, for trying the harness), LOAD_ONLY=bad,flood,faults,restart,abuse
 * (e.g. LOAD_ONLY=bad runs the bad-input battery alone, in about two minutes; LOAD_ONLY=abuse the abuse
 * cases alone). The abuse section runs last: its password guessing trips the per-address login limit.
 */
import { integrationsOf } from '../bench/api.mjs';
import { demoBots } from '../demo/seed.mjs';
import { startStack } from '../lib/stack.mjs';
import { abuse } from './abuse.mjs';
import { badInput } from './bad-input.mjs';
import { createLedger } from './checks.mjs';
import { withDeadline } from './raw-http.mjs';
import { conversations, outboundUnderFaults, restartMidDelivery } from './outbound.mjs';
import { webhookFlood } from './webhook-flood.mjs';

const quick = process.env.LOAD_QUICK === '1';
const only = process.env.LOAD_ONLY ? new Set(process.env.LOAD_ONLY.split(',').map((s) => s.trim())) : null;
const want = (part) => !only || only.has(part);
const sizes = quick
  ? { flood: { total: 1000, clientsPerBot: 100 }, faults: { replies: 200, waitMs: 240_000 }, restart: { replies: 30 } }
  : { flood: { total: 10_000, clientsPerBot: 1000 }, faults: { replies: 1000, waitMs: 300_000 }, restart: { replies: 100 } };

const MINUTE = 60_000;
/** Past this the run stops where it is, prints what it has and fails (a hang somewhere not yet bounded). */
const RUN_DEADLINE_MS = 45 * MINUTE;

const ledger = createLedger();
const started = Date.now();
const step = (msg) => console.log(`\n[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${msg}`);
let stack;
const watchdog = setTimeout(async () => {
  ledger.crashed('load test run', new Error(`did not finish within ${RUN_DEADLINE_MS / MINUTE} min`));
  await stack?.stop();
  report();
}, RUN_DEADLINE_MS);
try {
  step('Starting the stack (fakes + wrangler dev --log-level warn) and seeding the demo');
  // Fast webhook retries in the fakes: a client's message is re-delivered within a second.
  stack = await startStack({ prefix: 'ponte-load-', fakes: { retryDelaysMs: [200, 800] } });
  console.log(`  ${stack.baseUrl}  state ${stack.stateDir}`);
  const ints = integrationsOf(stack);
  const telegram = ints.find((i) => i.channel === 'telegram');
  const viber = ints.find((i) => i.channel === 'viber');

  const section = async (part, title, fn, deadlineMs) => {
    if (!want(part)) return undefined;
    step(title);
    try {
      return await withDeadline(fn(), deadlineMs, title);
    } catch (err) {
      ledger.crashed(title, err);
      return undefined;
    }
  };
  await section('bad', 'Bad input: each case gets its 4xx and changes nothing', () => badInput(stack, ledger, { telegram, viber, viberToken: demoBots.viber.token }), 10 * MINUTE);
  await section('flood', `Flood: ${sizes.flood.total.toLocaleString('en')} webhooks at concurrency 50, both messengers, 5% replays`, () => webhookFlood(stack, ledger, sizes.flood), 15 * MINUTE);
  const setups = await section('faults', `Faults: ${sizes.faults.replies.toLocaleString('en')} replies while the fakes fail (500 bursts, 429 retry_after, timeouts, 403)`, () => outboundUnderFaults(stack, ledger, sizes.faults), sizes.faults.waitMs + 10 * MINUTE);
  await section('restart', 'Restart: wrangler dev stopped and started in the middle of outbound delivery', async () => {
    const setup = setups?.[0] ?? (await conversations(stack, { channel: 'telegram', clients: 10, label: 'restart' }));
    return restartMidDelivery(stack, ledger, setup, sizes.restart);
  }, 10 * MINUTE);
  await section('abuse', 'Abuse: password guessing, live-socket floods, poison webhooks, arrays past 100 parameters, security headers', () => abuse(stack, ledger, { telegram, viber, viberToken: demoBots.viber.token }), 10 * MINUTE);
} catch (err) {
  ledger.crashed('load test harness', err);
} finally {
  await stack?.stop();
}
clearTimeout(watchdog);
report();

function report() {
  const { passed, failed } = ledger.summary();
  console.log(`\nLoad tests finished in ${((Date.now() - started) / 1000).toFixed(0)} s${quick ? ' (LOAD_QUICK: small counts)' : ''}.`);
  for (const e of ledger.entries) console.log(`  ${e.ok ? 'PASS' : 'FAIL'}  ${e.name}`);
  console.log(`${passed} passed, ${failed} failed`);
  // Exit explicitly: a socket or timer left by a section that ran out of time must not keep the process.
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}
