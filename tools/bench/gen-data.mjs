/**
 * Generates a large inbox straight into a local D1 state dir, shaped like what ingest writes: contacts
 * with identities, chats spread over the integrations, responsibles and statuses, ten messages per chat
 * (pt-BR / English texts, so FTS has real words), chat_events, observers, tags and read markers.
 * Pure SQL (recursive CTEs), run with `wrangler d1 execute --local --file` while wrangler dev is stopped.
 *
 * Ids are time-ordered base36 like worker/shared/ids.ts makes them (newId: 8 chars of ms + 7 chars;
 * newConversationId for chats, contacts and opportunities: 6 chars of seconds + 3), so keyset tie-breaks
 * and FTS's chat_id tokens behave as with real ids, and weigh what real ids weigh.
 *
 * Rows go in the order they would arrive (`order: 'arrival'`, the default): chats and contacts by start,
 * messages and events by their time across all chats. A B-tree's page fill depends on insertion order,
 * and an index on a time-ordered key filled newest first (`order: 'newest-first'`, what this generator
 * did until 2026-12, BENCH_GEN_ORDER=newest-first) splits every page in half: the storage figure
 * measured a layout production cannot produce. What arrival order still does not reproduce: chats rows
 * written once with their final values, where production moves each chat in its activity indexes on
 * every message.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backfillWithWrangler } from '../lib/reports-backfill.mjs';
import { wrangler } from '../lib/wrangler.mjs';
import { agentTexts, clientTexts, firstNames, lastNames } from './updates.mjs';

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
const q = (s) => `'${String(s).replaceAll("'", "''")}'`;
const jsonArray = (xs) => q(JSON.stringify(xs));

/** SQL expression: `expr` (a non-negative integer) as `width` base36 digits. */
function b36(expr, width) {
  const parts = [];
  for (let k = width - 1; k >= 0; k--) parts.push(`substr('${DIGITS}', ((${expr}) / ${36 ** k}) % 36 + 1, 1)`);
  return parts.join(' || ');
}
/** A newId()-shaped id: time part from `timeExpr`, the rest from a unique integer `nExpr`. */
const idExpr = (timeExpr, nExpr) => `(${b36(timeExpr, 8)} || ${b36(nExpr, 7)})`;
/**
 * A newConversationId()-shaped id (a chat, its contact, its opportunity): 6 base36 digits of seconds, then
 * 3 from a unique integer. The seconds count from `originMs`, not from 2026 as production's do: the
 * generated history starts a year back, before 2026, and an earlier origin also keeps every generated
 * id's time part apart from those of the real ids the bench's webhooks made today.
 */
const conversationIdExpr = (timeExpr, nExpr, originMs) => `(${b36(`((${timeExpr}) - ${originMs}) / 1000`, 6)} || ${b36(nExpr, 3)})`;

/**
 * The SQL for `chats` chats with `perChat` messages each. `employees` are user ids the chats are
 * spread over (open: mine/others; closed: last responsible), `observerId` observes 2% of chats,
 * `integrations` is [{id, channel}]. `pausedTriggers` ([{name, sql}]) are dropped before the inserts and
 * created again after them. `order`: 'arrival' or 'newest-first' (see the top of this file).
 */
export function generateSql({ chats: C, perChat: M = 10, employees, observerId, integrations, now = Date.now(), offset = 1e9, pausedTriggers = [], order = 'arrival' }) {
  if (order !== 'arrival' && order !== 'newest-first') throw new Error(`order: 'arrival' or 'newest-first', not ${order}`);
  // `n` 0 is the newest chat, so arrival order is n descending.
  const byChat = order === 'arrival' ? ' ORDER BY n DESC' : '';
  const by = (time) => (order === 'arrival' ? ` ORDER BY ${time}` : '');
  const DAY = 86_400_000;
  const span = 365 * DAY;
  const gap = 7 * 60_000; // between two messages of a chat
  const E = employees.length;
  const I = integrations.length;
  // Per chat n (0 = newest): last activity, start, status bucket.
  const last = `(${now} - 60000 - (n * ${Math.floor(span / C)}) - (n * 7919 % 60000))`;
  const started = `(${last} - ${(M - 1) * gap})`;
  const bucket = '(n % 100)'; // < 15 open assigned, 15..17 open unassigned, else closed
  const status = `CASE WHEN ${bucket} < 18 THEN 'open' ELSE 'closed' END`;
  const responsible = `CASE WHEN ${bucket} BETWEEN 15 AND 17 THEN NULL ELSE json_extract(${jsonArray(employees)}, '$[' || (n % ${E}) || ']') END`;
  const integration = `json_extract(${jsonArray(integrations.map((i) => i.id))}, '$[' || (n % ${I}) || ']')`;
  const channel = `json_extract(${jsonArray(integrations.map((i) => i.channel))}, '$[' || (n % ${I}) || ']')`;
  const name = `json_extract(${jsonArray(firstNames)}, '$[' || (n % ${firstNames.length}) || ']') || ' ' || json_extract(${jsonArray(lastNames)}, '$[' || (n / 7 % ${lastNames.length}) || ']')`;
  // At most a few chats start in one second here, so n's last three base36 digits keep the ids unique.
  const origin = Date.UTC(2026, 0, 1) - 2 * span; // see conversationIdExpr
  const chatId = conversationIdExpr(started, 'n', origin);
  const contactId = conversationIdExpr(started, 'n', origin);
  const seq = `WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < ${C - 1})`;
  const agentText = (j) => `json_extract(${jsonArray(agentTexts)}, '$[' || ((n * 3 + ${j}) % ${agentTexts.length}) || ']')`;

  const out = [];
  for (const t of pausedTriggers) out.push(`DROP TRIGGER ${t.name};`);
  // The per-chat columns once, in a scratch table, so later inserts join instead of recomputing.
  out.push(`DROP TABLE IF EXISTS bench_gen;`);
  out.push(`CREATE TABLE bench_gen (n INTEGER PRIMARY KEY, chat_id TEXT, contact_id TEXT, integration_id TEXT, channel TEXT, external_id TEXT, name TEXT, status TEXT, responsible_id TEXT, started_at INTEGER, last_at INTEGER);`);
  out.push(`INSERT INTO bench_gen ${seq} SELECT n, ${chatId}, ${contactId}, ${integration}, ${channel}, NULL, ${name}, ${status}, ${responsible}, ${started}, ${last} FROM seq;`);
  // Telegram chat ids are numbers; Viber user ids look like base64.
  out.push(`UPDATE bench_gen SET external_id = CASE WHEN channel = 'viber' THEN 'gen' || printf('%010d', n) || 'Vb0AAA==' ELSE CAST(${offset} + n AS TEXT) END;`);
  // Half the contacts have a phone: the contacts_directory_insert trigger (migrations 0012, 0044) fills the
  // directory's FTS rows from this insert, exactly as for a contact made by ingest or the CRM.
  out.push(`INSERT INTO contacts (id, name, username, phone, created_at, updated_at) SELECT contact_id, name, CASE WHEN n % 3 = 0 THEN 'user' || n ELSE NULL END,
    CASE WHEN n % 2 = 0 THEN '+55 11 9' || printf('%04d', n / 10000 % 10000) || '-' || printf('%04d', n % 10000) ELSE NULL END, started_at, started_at FROM bench_gen${byChat};`);
  out.push(`INSERT INTO contact_identities (contact_id, integration_id, channel, external_id, reachable, created_at) SELECT contact_id, integration_id, channel, external_id, 1, started_at FROM bench_gen${byChat};`);
  out.push(`INSERT INTO chats (id, integration_id, channel, contact_id, external_chat_id, status, responsible_id, last_responsible_id, started_at, last_message_at, last_message_preview, last_inbound_at, closed_at, awaiting_first_text)
    SELECT chat_id, integration_id, channel, contact_id, external_id, status, CASE WHEN status = 'open' THEN responsible_id ELSE NULL END, responsible_id, started_at, last_at,
      substr(${agentText(M - 1)}, 1, 120), last_at - ${gap}, CASE WHEN status = 'closed' THEN last_at + 60000 ELSE NULL END, 0 FROM bench_gen${byChat};`);
  // Messages: j even = client (in, received, external id), j odd = manager (out, seen). Ten per chat.
  // Stored as the app stores them (worker/data/schema/message-codes.ts): one letter per direction, origin
  // and status, '' for no attachments.
  const msgSeq = `WITH RECURSIVE js(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM js WHERE j < ${M - 1})`;
  const msgText = `CASE WHEN j % 2 = 0 THEN json_extract(${jsonArray(clientTexts)}, '$[' || ((n * 7 + j) % ${clientTexts.length}) || ']') ELSE json_extract(${jsonArray(agentTexts)}, '$[' || ((n * 3 + j) % ${agentTexts.length}) || ']') END`;
  out.push(`INSERT INTO messages (id, chat_id, direction, origin, author_id, text, attachments, external_id, status, attempts, sent_parts, created_at)
    ${msgSeq} SELECT ${idExpr(`started_at + j * ${gap}`, `(n * ${M} + j) * 3 + ${offset}`)}, chat_id,
      CASE WHEN j % 2 = 0 THEN 'i' ELSE 'o' END, CASE WHEN j % 2 = 0 THEN 'c' ELSE 'a' END,
      CASE WHEN j % 2 = 0 THEN NULL ELSE responsible_id END, ${msgText}, '',
      CASE WHEN j % 2 = 0 THEN CAST(j / 2 + 1 AS TEXT) ELSE CAST(${offset} + n * ${M} + j AS TEXT) END,
      CASE WHEN j % 2 = 0 THEN 'r' ELSE 'v' END, CASE WHEN j % 2 = 0 THEN 0 ELSE 1 END, CASE WHEN j % 2 = 0 THEN 0 ELSE 1 END,
      started_at + j * ${gap}
    FROM bench_gen, js${by(`started_at + j * ${gap}, n DESC`)};`);
  // Events: opened + assigned/unassigned at the start, closed at the end for closed chats.
  const events = [
    `SELECT ${idExpr('started_at', `n * 4 + 3 + ${offset}`)} AS id, chat_id, 'opened' AS type, NULL AS actor_id, '{}' AS data, started_at AS at, n, 0 AS k FROM bench_gen`,
    `SELECT ${idExpr('started_at + 1', `n * 4 + 3 + ${offset}`)}, chat_id, CASE WHEN responsible_id IS NULL THEN 'unassigned' ELSE 'assigned' END, NULL,
      json_object('responsibleId', responsible_id, 'byQueue', json('true')), started_at + 1, n, 1 FROM bench_gen`,
    `SELECT ${idExpr('last_at + 60000', `n * 4 + 3 + ${offset}`)}, chat_id, 'closed', responsible_id, '{}', last_at + 60000, n, 2 FROM bench_gen WHERE status = 'closed'`,
  ];
  out.push(`INSERT INTO chat_events (id, chat_id, type, actor_id, data, created_at)
    SELECT id, chat_id, type, actor_id, data, at FROM (${events.join(' UNION ALL ')}) ORDER BY ${order === 'arrival' ? 'at, n DESC' : 'k, n'};`);
  // Read markers: the responsible has read half of their chats up to the last message.
  out.push(`INSERT OR IGNORE INTO chat_user_state (chat_id, user_id, muted, last_read_at) SELECT chat_id, responsible_id, 0, last_at FROM bench_gen WHERE responsible_id IS NOT NULL AND n % 2 = 0${byChat};`);
  if (observerId) out.push(`INSERT OR IGNORE INTO chat_observers (chat_id, user_id) SELECT chat_id, ${q(observerId)} FROM bench_gen WHERE n % 50 = 7${byChat};`);
  // Tags: 10% of chats carry one of four tags.
  const tagNames = ['VIP', 'Atacado', 'Reclamação', 'Entrega'];
  for (const [i, t] of tagNames.entries()) {
    out.push(`INSERT OR IGNORE INTO tags (id, name, key) VALUES (${q(`benchtag${i}`)}, ${q(t)}, ${q(t.toLowerCase())});`);
    out.push(`INSERT OR IGNORE INTO chat_tags (chat_id, tag_id) SELECT chat_id, (SELECT id FROM tags WHERE key = ${q(t.toLowerCase())}) FROM bench_gen WHERE n % 40 = ${i * 10 + 3}${byChat};`);
  }
  // CRM: one funnel of five stages holding an open opportunity for every tenth contact (10k at 100k
  // chats), spread over the stages and responsibles, plus some won/lost ones the board leaves out.
  out.push(`INSERT OR IGNORE INTO funnels (id, name, created_at) VALUES ('benchfunnel', 'Bench funnel', ${now - span});`);
  for (const [i, stage] of ['Novo', 'Qualificado', 'Proposta', 'Negociação', 'Fechamento'].entries()) {
    out.push(`INSERT OR IGNORE INTO funnel_stages (id, funnel_id, name, position) VALUES ('benchstage${i}', 'benchfunnel', ${q(stage)}, ${i});`);
  }
  out.push(`INSERT INTO opportunities (id, title, contact_id, funnel_id, stage_id, amount, responsible_id, chat_id, created_at, updated_at, outcome, closed_at, stage_changed_at)
    SELECT ${conversationIdExpr('started_at', 'n', origin)}, 'Pedido ' || n, contact_id, 'benchfunnel', 'benchstage' || (n / 10 % 5), (n % 97) * 100.0,
      responsible_id, chat_id, started_at, last_at, CASE WHEN n % 10 = 0 THEN NULL WHEN n % 20 = 5 THEN 'won' ELSE 'lost' END,
      CASE WHEN n % 10 = 0 THEN NULL ELSE last_at END, started_at
    FROM bench_gen WHERE n % 10 = 0 OR n % 20 = 5 OR n % 40 = 15${byChat};`);
  // No ANALYZE: a production database grown by ingest has no statistics either, so plans stay honest.
  out.push(`DROP TABLE bench_gen;`);
  for (const t of pausedTriggers) out.push(`${t.sql};`);
  return out.join('\n');
}

/**
 * The live report triggers on the tables the generator fills (not the report_feed view's, which
 * the backfill feeds): row by row they cost most of the generation time, and the backfill after the
 * inserts replaces their figures anyway.
 */
const REPORT_TRIGGERS_SQL = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND substr(name, 1, 7) = 'report_' AND tbl_name <> 'report_feed' ORDER BY rowid";

/**
 * Writes the SQL to a temp file and runs it against `stateDir` (wrangler dev must be stopped), with the
 * live report triggers dropped during the inserts and created again after, then rebuilds the report
 * rollups from what it wrote (the backfill replays every stored row in time order, the way the live
 * triggers would have counted them). Returns how long each step took.
 */
export async function generateInto(stateDir, options) {
  const where = ['--local', '--persist-to', stateDir];
  const pausedTriggers = JSON.parse(wrangler(['d1', 'execute', 'DB', ...where, '--json', '--command', REPORT_TRIGGERS_SQL], { capture: true })).at(-1)?.results ?? [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ponte-gen-'));
  const file = path.join(dir, 'gen.sql');
  const t0 = Date.now();
  try {
    writeFileSync(file, generateSql({ ...options, pausedTriggers }));
    wrangler(['d1', 'execute', 'DB', ...where, '--file', file, '--yes'], { capture: true, timeoutMs: 30 * 60_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const t1 = Date.now();
  await backfillWithWrangler(where);
  return { insertMs: t1 - t0, backfillMs: Date.now() - t1, pausedTriggers: pausedTriggers.map((t) => t.name) };
}
