#!/usr/bin/env node
/**
 * `npm run bench`: Ponte's performance figures, each next to a baseline measured in the same run.
 * Starts its own stack (fakes + `wrangler dev --log-level warn --var PONTE_BENCH:1`, temp state, free
 * ports), seeds the demo, runs P1 ingest, P2 live, P5 fairness, P6 routing backlog, P4 UI size, then generates a
 * 100k-chat / 1M-message inbox for S storage (bytes per message on disk and months until 10 GB, storage.mjs;
 * measured with wrangler dev stopped; after sections that wrote to the database, on the same inbox generated
 * again over a fresh demo, so S always measures the same data), P3 queries and P7 reports, prints every
 * figure and writes bench/results.md.
 *
 * P1 also starts a bare one-insert Worker (tools/bench/baseline-worker/) under its own wrangler dev, and
 * every measured round starts with a quiet check (quiet.mjs), printed and recorded in the results.
 *
 * Environment: BENCH_QUICK=1 (small sizes, for trying the harness), BENCH_ONLY=P1,P3 (some sections),
 * BENCH_ONLY=P7 (reports) or BENCH_ONLY=S (storage) generates the same data as P3. BENCH_CHATS or BENCH_P3_CHATS
 * (P3 / P7 / S chat count, default 100000; ten messages each), BENCH_P6_CHATS (P6 backlog size, default 1000),
 * BENCH_P1_SECONDS / BENCH_P1_ROUNDS
 * (P1 round length, default 10 s, and repetitions of the schedule, default 3), BENCH_QUIET_FACTOR (a
 * quiet p50 is within this × the calibrated one, default 1.5), BENCH_QUIET_TIMEOUT_S (how long a quiet
 * check waits before it is recorded as failed, default 60), BENCH_NOTE (a line for the results, e.g. how busy
 * the machine was), BENCH_REPORT_TRIGGERS=off (drops the report rollups' triggers after the seed: their cost on
 * P1; the report sections are then meaningless, so combine it with BENCH_ONLY=P1), BENCH_GEN_ORDER=newest-first (the
 * generated rows in the order this bench used before 2026-12, newest chat first, instead of arrival order; gen-data.mjs),
 * BENCH_SAVE_DB=/path/file.sqlite (with S: a copy of the measured D1 file, to try index layouts on in SQLite).
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { buildWeb, startStack } from '../lib/stack.mjs';
import { apiClient, integrationsOf, waitQuiet } from './api.mjs';
import { benchFairness } from './fairness.mjs';
import { generateInto } from './gen-data.mjs';
import { reportCases } from './reports.mjs';
import { startBareWorker } from './bare-worker.mjs';
import { benchIngest, fmt, printIngest, SCHEDULE } from './ingest.mjs';
import { benchLive } from './live-section.mjs';
import { quietChecker } from './quiet.mjs';
import { benchQueries, queryCases } from './queries.mjs';
import { renderResults } from './report.mjs';
import { benchRouting } from './routing.mjs';
import { d1File, measureStorage, printStorage } from './storage.mjs';

const quick = process.env.BENCH_QUICK === '1';
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim().toUpperCase())) : null;
const want = (section) => !only || only.has(section);
const genOrder = process.env.BENCH_GEN_ORDER ?? 'arrival';
const reportTriggersOff = process.env.BENCH_REPORT_TRIGGERS === 'off';
const sizes = {
  p1: {
    seconds: Number(process.env.BENCH_P1_SECONDS ?? (quick ? 3 : 10)),
    rounds: Number(process.env.BENCH_P1_ROUNDS ?? (quick ? 1 : 3)),
    drainTimeoutMs: quick ? 45_000 : 90_000,
  },
  quiet: { factor: Number(process.env.BENCH_QUIET_FACTOR ?? 1.5), timeoutMs: Number(process.env.BENCH_QUIET_TIMEOUT_S ?? (quick ? 30 : 60)) * 1000 },
  p3: { chats: Number(process.env.BENCH_P3_CHATS ?? process.env.BENCH_CHATS ?? (quick ? 10_000 : 100_000)), perChat: 10, n: quick ? 30 : 100 },
  p5: { chats: quick ? 200 : 1000 },
  p6: { chats: Number(process.env.BENCH_P6_CHATS ?? (quick ? 150 : 1000)), managers: 5 },
};

const results = { date: new Date().toISOString(), cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? '?', node: process.version, quick, note: process.env.BENCH_NOTE, sections: {} };
const started = Date.now();
const step = (msg) => console.log(`\n[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${msg}`);

/** Whether sections that write to the stack's database (new managers, bots, chats) run before the generation. */
const sectionsWroteBefore = ['P1', 'P2', 'P5', 'P6'].some(want);

/**
 * Generates the P3 / P7 / S inbox into `target`'s database (wrangler dev stopped after the outbox drained;
 * it stays stopped), spread over the employees and bots it has.
 */
async function generateInbox(target) {
  const { chats, perChat } = sizes.p3;
  await waitQuiet(target);
  const users = target.d1(`SELECT id, email, role FROM users`);
  const employees = users.filter((u) => u.role === 'employee').map((u) => u.id);
  const ints = integrationsOf(target);
  await target.stopDev();
  const t0 = Date.now();
  const gen = await generateInto(target.stateDir, { chats, perChat, employees, observerId: users.find((u) => u.role === 'observer')?.id, integrations: ints, order: genOrder });
  const genMs = Date.now() - t0;
  const [counts] = target.d1(`SELECT (SELECT count(*) FROM chats) AS chats, (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM chat_events) AS events, (SELECT count(*) FROM contacts) AS contacts`);
  console.log(`  generated (rows in ${genOrder} order, ${employees.length} employees, ${ints.length} bots) in ${(genMs / 1000).toFixed(1)} s (inserts ${(gen.insertMs / 1000).toFixed(1)} s with ${gen.pausedTriggers.length} report triggers paused, rollup backfill ${(gen.backfillMs / 1000).toFixed(1)} s) → ${JSON.stringify(counts)}`);
  return { users, counts, genMs, employees: employees.length, bots: ints.length };
}

/** Section S's result for `target`'s database (measured now unless `storage` is given). */
function storageResult(target, { counts, genMs, employees, bots }, storage = measureStorage(target.stateDir, { messages: counts.messages })) {
  // For storage work: a copy of the measured file to try layouts on without generating it again.
  if (process.env.BENCH_SAVE_DB) copyFileSync(d1File(target.stateDir), process.env.BENCH_SAVE_DB);
  return { counts, genMs, order: genOrder, employees, bots, ...storage };
}

/** The headline of a storage measurement, for the line beside the main one. */
function summary(storage) {
  const reportBytes = storage.tables.filter((t) => t.name.startsWith('report_')).reduce((sum, t) => sum + t.totalBytes, 0);
  return { fileBytes: storage.fileBytes, messages: storage.messages, bytesPerMessage: storage.bytesPerMessage, reportBytes };
}

let stack;
let bare;
let quiet;
let code = 0;
try {
  if (want('P4')) {
    step('P4 UI: building web/dist');
    buildWeb();
    const { initialSize, BUDGET_KB } = await import('../../web/scripts/size.mjs');
    const size = initialSize('web/dist');
    results.sections.p4 = { jsGzip: size.jsGzip, cssGzip: size.cssGzip, files: size.js, budgetKb: BUDGET_KB };
    console.log(`  inbox route initial JS ${(size.jsGzip / 1024).toFixed(1)} KB gzipped (${size.js.length} files; budget ${BUDGET_KB} KB), CSS ${(size.cssGzip / 1024).toFixed(1)} KB`);
  }

  step('Starting the stack (fakes + wrangler dev --log-level warn, PONTE_BENCH=1) and seeding the demo');
  stack = await startStack({ vars: { PONTE_BENCH: '1' }, prefix: 'ponte-bench-' });
  console.log(`  ${stack.baseUrl}  state ${stack.stateDir}`);
  const api = apiClient(stack.baseUrl);
  await waitQuiet(stack);
  if (reportTriggersOff) {
    // What the report rollups cost the webhook: the same run without the triggers that keep them.
    // Dropped with wrangler dev stopped (a write beside the running Worker can swap its database file).
    await stack.stopDev();
    const triggers = stack.d1(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'report%'`).map((t) => t.name);
    stack.d1(triggers.map((name) => `DROP TRIGGER ${name};`).join('\n'));
    await stack.startDev();
    console.log(`  report rollups OFF for this run: dropped ${triggers.length} triggers (${triggers.join(', ')})`);
    results.reportTriggersOff = triggers;
  }
  const telegram = integrationsOf(stack).find((i) => i.channel === 'telegram');

  const targets = [{ name: 'ponte', baseUrl: stack.baseUrl, path: '/bench/constant', pending: true }];
  if (want('P1')) {
    step('Starting the bare one-insert Worker (tools/bench/baseline-worker, its own wrangler dev)');
    bare = await startBareWorker();
    console.log(`  ${bare.baseUrl}  state ${bare.stateDir}`);
    targets.push({ name: 'bare', baseUrl: bare.baseUrl, path: '/' });
  }
  quiet = quietChecker({ targets, concurrency: 10, ...sizes.quiet });
  step(`Quiet latency (the reference for every quiet check: p50 within ${quiet.factor}× of it, outbox drained)`);
  await quiet.calibrate();

  if (want('P1')) {
    step(`P1 ingest: Telegram webhooks vs one D1 insert, concurrency 10, ${sizes.p1.rounds} × (${SCHEDULE.join(', ')}), ${sizes.p1.seconds} s each`);
    const p1 = await benchIngest({ baseUrl: stack.baseUrl, bareUrl: bare.baseUrl, ensureBare: () => bare.ensureRunning(), integration: telegram, fakes: stack.fakes, quiet, concurrency: 10, ...sizes.p1 });
    p1.bareRestarts = bare.restarts;
    results.sections.p1 = p1;
    console.log('');
    printIngest(p1);
  }

  if (want('P2')) {
    step('P2 live: webhook → WebSocket frame latency with 50 sockets open');
    await quiet.check('P2 live');
    const p2 = await benchLive({ stack, api, integration: telegram });
    results.sections.p2 = p2;
    if (p2.skipped) console.log(`  skipped: ${p2.skipped}`);
  }

  if (want('P5')) {
    step(`P5 fairness: ${sizes.p5.chats} new chats at concurrency 50 over 7 new managers`);
    await quiet.check('P5 fairness');
    const p5 = await benchFairness(stack, { chats: sizes.p5.chats, concurrency: 50, managers: 7 });
    results.sections.p5 = p5;
    console.log(`  chats per manager: ${p5.values.join(', ')} (ideal ${p5.ideal.toFixed(1)}; spread max−min ${p5.spread}; unassigned ${p5.unassigned})`);
    console.log(`  webhooks at c=50: ${fmt(p5.load)}`);
  }

  if (want('P6')) {
    step(`P6 routing: ${sizes.p6.chats} unassigned chats over 3 bots, then ${sizes.p6.managers} managers available at once (vs ${sizes.p6.chats} plain assignments)`);
    await quiet.check('P6 routing');
    results.sections.p6 = await benchRouting(stack, sizes.p6);
  }

  if (want('P3') || want('P7') || want('S')) {
    const { chats, perChat, n } = sizes.p3;
    step(`Generating ${chats.toLocaleString('en')} chats × ${perChat} messages into the local D1 for P3 / P7 / S (wrangler dev stopped)`);
    // Replies still pending when wrangler dev stops lose their queue messages and come back with the
    // sweeper in the middle of the measurements: let the outbox drain first.
    await quiet.check('P3 data generation (outbox drained before wrangler dev stops)');
    const generated = await generateInbox(stack);
    const { users, counts, genMs } = generated;
    const ana = users.find((u) => u.email === 'ana@demo.ponte');
    if (want('S')) {
      // dbstat needs the file to itself (it checkpoints the WAL first): before wrangler dev starts again.
      step('S storage: bytes on disk per message and per table / index (SQLite dbstat after a WAL checkpoint)');
      const here = measureStorage(stack.stateDir, { messages: counts.messages });
      if (sectionsWroteBefore) {
        // The sections before left their own managers, bots and chats in this database, and the generated
        // chats are spread over those managers and bots too, which multiplies the report tables' keys:
        // S measures the inbox the issue names (the demo and the generated chats) in a state of its own,
        // the same data a BENCH_ONLY=S run measures, and keeps this database's figure beside it.
        console.log(`  this run's database, after the earlier sections: ${here.bytesPerMessage.toFixed(1)} B/msg (${counts.messages.toLocaleString('en')} messages); now the same inbox on a fresh demo`);
        const own = await startStack({ build: false, vars: { PONTE_BENCH: '1' }, prefix: 'ponte-bench-s-' });
        try {
          const fresh = await generateInbox(own);
          results.sections.s = { ...storageResult(own, fresh), afterEarlierSections: { counts, employees: generated.employees, bots: generated.bots, ...summary(here) } };
        } finally {
          await own.stop();
        }
      } else {
        results.sections.s = storageResult(stack, generated, here);
      }
      printStorage(results.sections.s);
    }
    if (want('P3') || want('P7')) {
      await stack.startDev();
      await quiet.check('P3 queries');
      const cookies = { admin: await api.login('admin@demo.ponte', 'demo-admin'), employee: await api.login('ana@demo.ponte', 'demo-ana'), observer: await api.login('olga@demo.ponte', 'demo-olga') };
      if (want('P3')) {
        const { cases } = await queryCases({ baseUrl: stack.baseUrl, stack, cookies, ids: { employee: ana.id, integration: telegram.id, funnel: 'benchfunnel' } });
        const rows = await benchQueries({ baseUrl: stack.baseUrl, cases, n });
        const [crm] = stack.d1(`SELECT (SELECT count(*) FROM opportunities WHERE funnel_id = 'benchfunnel' AND outcome IS NULL) AS openOpportunities, (SELECT count(*) FROM contacts WHERE merged_into_id IS NULL) AS directoryContacts`);
        console.log(`  CRM: ${JSON.stringify(crm)}`);
        results.sections.p3 = { counts: { ...counts, ...crm }, genMs, rows };
      }
      if (want('P7')) {
        step('P7 reports: the overview over the rollups of the same generated inbox (90 days), next to the same baselines');
        await quiet.check('P7 reports');
        const [rollups] = stack.d1(`SELECT (SELECT count(*) FROM report_rollups) AS rollupRows, (SELECT count(*) FROM report_histograms) AS histogramRows, (SELECT count(*) FROM report_rollup_days) AS rollupDayRows, (SELECT count(*) FROM report_histogram_days) AS histogramDayRows, (SELECT count(*) FROM report_histogram_blocks) AS histogramBlockRows, (SELECT count(*) FROM report_rollup_user_hours) AS rollupUserHourRows, (SELECT count(*) FROM report_rollup_user_days) AS rollupUserDayRows, (SELECT count(*) FROM report_histogram_user_days) AS histogramUserDayRows`);
        console.log(`  rollups: ${JSON.stringify(rollups)}`);
        const rows = await benchQueries({ baseUrl: stack.baseUrl, cases: reportCases({ cookies, ids: { employee: ana.id, integration: telegram.id } }), n });
        results.sections.p7 = { counts: { ...counts, ...rollups }, rows };
      }
    }
  }
} catch (err) {
  console.error(err);
  code = 1;
} finally {
  await bare?.stop().catch(() => {});
  await stack?.stop();
}

results.elapsedS = Math.round((Date.now() - started) / 1000);
if (quiet) results.quiet = { ...quiet.summary(), factor: quiet.factor, latency: quiet.quiet, checks: quiet.history.map((h) => h.text) };
const md = renderResults(results);
mkdirSync('bench', { recursive: true });
if (!only && code === 0) writeFileSync('bench/results.md', md);
else writeFileSync(`${os.tmpdir()}/ponte-bench-results.md`, md);
console.log(`\n${md}`);
console.log(!only && code === 0 ? 'Wrote bench/results.md' : `Partial run: wrote ${os.tmpdir()}/ponte-bench-results.md (bench/results.md untouched)`);
process.exit(code);
