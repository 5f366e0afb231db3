/**
 * The load tests' ledger: each check is a named assertion with the figures behind it; the run prints
 * one line per check and ends with `N passed, N failed`.
 */
import { waitQuiet } from '../bench/api.mjs';

export function createLedger() {
  const entries = [];
  return {
    entries,
    /** Records a check; `ok` true/false, `detail` the figures that justify it. */
    check(name, ok, detail = '') {
      entries.push({ name, ok: Boolean(ok), detail });
      console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}${detail ? ` — ${detail}` : ''}`);
      return Boolean(ok);
    },
    /** A check whose body threw: recorded as failed with the error. */
    crashed(name, err) {
      entries.push({ name, ok: false, detail: String(err?.stack ?? err) });
      console.log(`FAIL  ${name} — crashed: ${err?.stack ?? err}`);
    },
    summary() {
      const passed = entries.filter((e) => e.ok).length;
      return { passed, failed: entries.length - passed };
    },
  };
}

/** Seeded PRNG (mulberry32): the same run shuffles the same way, so a failure can be replayed. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** In-place Fisher–Yates with `random`. */
export function shuffle(items, random) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Row counts of the tables a request could touch: compare before/after to prove nothing changed. */
export const COUNTED_TABLES = ['users', 'integrations', 'integration_queue', 'contacts', 'contact_identities', 'chats', 'messages', 'chat_events', 'processed_updates', 'comments', 'chat_tags', 'tags', 'chat_observers', 'opportunities', 'tasks', 'projects', 'funnels'];

export function tableCounts(stack) {
  const [row] = stack.d1(`SELECT ${COUNTED_TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`);
  return row;
}

/** "messages 10→12, chats 3→4", or '' when equal. */
export function diffCounts(before, after) {
  return Object.keys(before).filter((k) => before[k] !== after[k]).map((k) => `${k} ${before[k]}→${after[k]}`).join(', ');
}

/**
 * Waits until nothing moves in the background (outbox deliveries, Viber receipts): the fakes see no
 * new call for 3 s, then two readings of every count 2 s apart agree. Bounded by `timeoutMs`.
 */
export async function quiesce(stack, timeoutMs = 60_000) {
  const t0 = Date.now();
  await waitQuiet(stack, { timeoutMs });
  let last = tableCounts(stack);
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000));
    const now = tableCounts(stack);
    if (!diffCounts(last, now)) return true;
    if (Date.now() - t0 > timeoutMs) return false;
    last = now;
  }
}
