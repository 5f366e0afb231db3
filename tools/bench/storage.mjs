/**
 * Bench section S: bytes on disk per message, all-in and per table with its indexes, of the local D1
 * file the bench generated, and how many months a stated workload takes to fill one D1 database.
 * Measured with SQLite's dbstat by tools/bench/dbstat.py (python's sqlite3: workerd's has no dbstat),
 * so it must run while wrangler dev is stopped.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** One D1 database's size limit. Cloudflare says "10 GB"; decimal gigabytes here (10 × 1000³ bytes). */
export const D1_LIMIT_BYTES = 10 * 1000 ** 3;

/** The stated workload the months-to-full figure is for (README quotes these). */
export const WORKLOAD = { managers: 50, conversationsPerDay: 2000, messagesPerConversation: 20, daysPerMonth: 30.4 };
export const MESSAGES_PER_DAY = WORKLOAD.conversationsPerDay * WORKLOAD.messagesPerConversation;
export const MESSAGES_PER_MONTH = MESSAGES_PER_DAY * WORKLOAD.daysPerMonth;

/** monthsToFull = D1_LIMIT_BYTES ÷ (bytesPerMessage × MESSAGES_PER_MONTH). */
export const monthsToFull = (bytesPerMessage) => D1_LIMIT_BYTES / (bytesPerMessage * MESSAGES_PER_MONTH);

/** The local D1 database file miniflare keeps under a `--persist-to` state dir (metadata.sqlite is its own bookkeeping). */
export function d1File(stateDir) {
  const dir = path.join(stateDir, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const files = readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  if (files.length !== 1) throw new Error(`expected one D1 database file in ${dir}, found ${files.length}: ${files.join(', ')}`);
  return path.join(dir, files[0]);
}

/**
 * Measures the D1 file under `stateDir` (wrangler dev stopped). `messages` defaults to the file's own
 * count. Tables come with their indexes, and an FTS5 table with its shadow tables (where its bytes
 * are), largest first.
 */
export function measureStorage(stateDir, { messages } = {}) {
  const script = new URL('./dbstat.py', import.meta.url).pathname;
  const res = spawnSync('python3', [script, d1File(stateDir)], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`dbstat.py failed (${res.status ?? res.error?.message})\n${res.stderr}`);
  const stat = JSON.parse(res.stdout);
  const count = messages ?? stat.messages;
  // FTS5 shadow tables (x_data, x_idx, x_content, x_docsize, x_config) belong to the virtual table x.
  const ftsOf = (name) => stat.virtualTables.filter((v) => name.startsWith(`${v}_`)).sort((a, b) => b.length - a.length)[0];
  const tables = new Map();
  const table = (name) => tables.get(name) ?? tables.set(name, { name, bytes: 0, totalBytes: 0, indexes: [] }).get(name);
  for (const o of stat.objects) {
    const fts = o.type === 'table' ? ftsOf(o.name) : undefined;
    if (fts) {
      table(fts).indexes.push({ name: o.name, kind: 'fts', bytes: o.bytes });
    } else if (o.type === 'index') {
      table(o.tbl).indexes.push({ name: o.name, kind: 'index', bytes: o.bytes });
    } else {
      table(o.name).bytes += o.bytes;
    }
  }
  const list = [...tables.values()];
  for (const t of list) {
    t.indexes.sort((a, b) => b.bytes - a.bytes);
    t.totalBytes = t.bytes + t.indexes.reduce((sum, i) => sum + i.bytes, 0);
  }
  list.sort((a, b) => b.totalBytes - a.totalBytes);
  const bytesPerMessage = count ? stat.fileBytes / count : null;
  return {
    fileBytes: stat.fileBytes,
    freeBytes: stat.freeBytes,
    pageSize: stat.pageSize,
    messages: count,
    bytesPerMessage,
    tables: list,
    limitBytes: D1_LIMIT_BYTES,
    workload: { ...WORKLOAD, messagesPerDay: MESSAGES_PER_DAY, messagesPerMonth: MESSAGES_PER_MONTH },
    monthsToFull: bytesPerMessage ? monthsToFull(bytesPerMessage) : null,
    note: stat.note,
  };
}

export const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;

/** The console lines of section S. */
export function printStorage(s, top = 12) {
  const per = (n) => (s.messages ? `${(n / s.messages).toFixed(1)} B/msg` : '');
  console.log(`  file ${mb(s.fileBytes)} (free pages ${mb(s.freeBytes)}) for ${s.messages?.toLocaleString('en')} messages → ${s.bytesPerMessage?.toFixed(1)} bytes per message all-in`);
  console.log(`  10 GB (10×1000³ B) ÷ (${s.bytesPerMessage?.toFixed(1)} B × ${s.workload.messagesPerMonth.toLocaleString('en')} messages/month) = ${s.monthsToFull?.toFixed(1)} months to full`);
  if (s.note) console.log(`  ${s.note}`);
  for (const t of s.tables.slice(0, top)) {
    console.log(`  ${t.name.padEnd(32)} ${mb(t.totalBytes).padStart(10)} ${per(t.totalBytes).padStart(14)}  (${[...(t.bytes ? [`table ${mb(t.bytes)}`] : []), ...t.indexes.slice(0, 3).map((i) => `${i.name} ${mb(i.bytes)}`)].join(', ')}${t.indexes.length > 3 ? ', …' : ''})`);
  }
}
