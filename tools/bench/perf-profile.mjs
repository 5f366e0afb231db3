#!/usr/bin/env node
/**
 * `node tools/bench/perf-profile.mjs [known|fresh] [count]`: where the Worker's workerd process spends its
 * CPU, native frames included. A V8 profile (profile.mjs) sees only JavaScript, but the local D1's SQLite,
 * its WAL writes and fsyncs, and workerd's own request and RPC work run in the same process; the workerd
 * binary keeps its symbols, so Linux `perf` names them. Starts the stack (bench vars), makes `known`
 * clients, records `perf record -g` on the Worker's process through `count` webhooks of the kind (and the
 * deferred work they set off), then prints each part's share of the samples and the share under a few
 * frames worth watching. Needs `perf` (Debian: linux-perf) and Linux. A tool for finding work to cut,
 * not a figure: the bench (npm run bench) gives the figures.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { startStack } from '../lib/stack.mjs';
import { runLoad } from './http-load.mjs';
import { webhookClients } from './webhook-clients.mjs';

const kind = process.argv[2] ?? 'known';
const count = Number(process.argv[3] ?? (kind === 'fresh' ? 600 : 3000));
if (!['known', 'fresh'].includes(kind)) throw new Error('usage: perf-profile.mjs [known|fresh] [count]');
if (spawnSync('perf', ['--version']).status !== 0) throw new Error('perf is not installed (Debian: apt-get install linux-perf)');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const DATA = `/tmp/ponte-perf-${kind}.data`;

/** Frames whose inclusive share says the most about a webhook's cost (a sample counts once per frame). */
const WATCHED = {
  'SQLite statements (sqlite3_step)': 'sqlite3_step',
  '  of which commits (vdbeCommit)': 'vdbeCommit',
  '  of which statement journal writes': 'subjournalPageIfRequired',
  'SQL parsed again (sqlite3Reprepare)': 'sqlite3Reprepare',
  'SQL parsed (sqlite3Prepare)': 'sqlite3Prepare',
  'fsync': '__x64_sys_fsync',
  'pwrite': '__x64_sys_pwrite64',
  'open / close (a spilled journal)': /^__x64_sys_(openat|close)$/,
};

const stack = await startStack({ build: false, seed: true, quick: true, vars: { PONTE_BENCH: '1' }, prefix: 'ponte-perf-' });
try {
  const clients = webhookClients(stack);
  await runLoad({ baseUrl: stack.baseUrl, concurrency: 10, count: 300, next: clients.fresh });
  await runLoad({ baseUrl: stack.baseUrl, concurrency: 10, count: 1000, next: clients.known });
  await sleep(4000);
  const pid = workerPid(stack.dev.pid);
  const perf = spawn('perf', ['record', '-F', '1999', '-g', '-p', pid, '-o', DATA], { stdio: 'ignore' });
  await sleep(500);
  await runLoad({ baseUrl: stack.baseUrl, concurrency: 10, count, next: clients[kind] });
  await sleep(kind === 'fresh' ? 8000 : 3000);
  perf.kill('SIGINT');
  await new Promise((r) => perf.once('exit', r));
} finally {
  await stack.stop();
}
report(samplesOf(DATA));
rmSync(DATA, { force: true });

/** The Worker's workerd (the one behind wrangler dev's proxy: its entry socket is on port 0) under `root`. */
function workerPid(root) {
  const parent = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      parent.set(pid, readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
    } catch {
      // The process ended while being read.
    }
  }
  const under = (pid) => {
    for (let p = pid; p && p !== '0' && p !== '1'; p = parent.get(p)) if (p === String(root)) return true;
    return false;
  };
  for (const pid of parent.keys()) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args[0].endsWith('/workerd') && args.some((a) => a.startsWith('--socket-addr=entry=') && a.endsWith(':0')) && under(pid)) return pid;
    } catch {
      // As above.
    }
  }
  throw new Error("the Worker's workerd process was not found");
}

/** Each sample's frames, leaf first, from `perf script`. */
function samplesOf(file) {
  const out = spawnSync('perf', ['script', '-i', file, '-F', 'ip,sym'], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout;
  const samples = [];
  let frames = [];
  for (const line of out.split('\n')) {
    const text = line.trim();
    if (!text) {
      if (frames.length) samples.push(frames);
      frames = [];
    } else {
      frames.push(text.replace(/^[0-9a-f]+\s+/, ''));
    }
  }
  if (frames.length) samples.push(frames);
  return samples;
}

/** The part of the process a leaf frame belongs to. */
function partOf(leaf, frames) {
  if (frames.some((f) => f.startsWith('entry_SYSCALL') || f.startsWith('asm_')) || /^(__x64_sys|do_syscall|finish_task_switch|_raw_spin)/.test(leaf)) return 'kernel';
  if (/^(v8::|Builtins_)/.test(leaf)) return 'V8';
  if (/tcmalloc|^TCMalloc/.test(leaf)) return 'malloc';
  if (frames.slice(0, 8).some((f) => /^(sqlite3|vdbe|fts5|pager|wal|btree|pcache)/i.test(f))) return 'SQLite';
  if (/^(workerd::|kj::|capnp::)/.test(leaf)) return 'workerd, kj, capnp';
  return 'other';
}

function report(samples) {
  const n = samples.length;
  const pct = (k) => `${((k / n) * 100).toFixed(1).padStart(5)}%`;
  const parts = new Map();
  for (const s of samples) {
    const part = partOf(s[0], s);
    parts.set(part, (parts.get(part) ?? 0) + 1);
  }
  console.log(`\n${n} samples of the Worker's workerd over ${count} ${kind} webhooks, by the leaf frame's part:`);
  for (const [part, k] of [...parts].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(k)}  ${part}`);
  console.log('\nInclusive (a sample under the frame, anywhere in its stack):');
  for (const [label, frame] of Object.entries(WATCHED)) {
    const hit = (f) => (frame instanceof RegExp ? frame.test(f) : f.startsWith(frame));
    console.log(`  ${pct(samples.filter((s) => s.some(hit)).length)}  ${label}`);
  }
}
