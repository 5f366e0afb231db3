/**
 * The demo's conversations are played through the simulators in a few seconds, so they all happen
 * "now". For the Reports page to show something alive, each chat's rows are moved back in time by its
 * own offset (the newest stays today, the oldest about 29 days back, at varied hours), then the report
 * rollups are rebuilt from the moved rows. Runs on the local D1 once the demo is seeded and quiet.
 */
import { backfillWithWrangler } from '../lib/reports-backfill.mjs';
import { wrangler } from '../lib/wrangler.mjs';

const DAY = 86_400_000;

export async function spreadDemoOverDays(stateDir, { days = 29 } = {}) {
  const where = ['--local', '--persist-to', stateDir];
  const shift = (table, columns, key = 'chat_id') =>
    `UPDATE ${table} SET ${columns.map((c) => `${c} = ${c} - (SELECT ms FROM demo_shift WHERE demo_shift.id = ${table}.${key})`).join(', ')} WHERE ${key} IN (SELECT id FROM demo_shift);`;
  const sql = [
    'DROP TABLE IF EXISTS demo_shift;',
    // Chat r (0 = newest) goes back r/(n−1) of the span, plus 0–9 hours so the days do not all look alike.
    `CREATE TABLE demo_shift AS SELECT id, CAST((r * ${days * DAY}) / max(1, n - 1) AS INTEGER) + (r * 7 % 10) * 3600000 * (r > 0) AS ms
       FROM (SELECT id, row_number() OVER (ORDER BY started_at DESC, id) - 1 AS r, count(*) OVER () AS n FROM chats);`,
    shift('chats', ['started_at', 'last_message_at', 'last_inbound_at', 'closed_at'], 'id'),
    shift('messages', ['created_at']),
    shift('chat_events', ['created_at']),
    shift('comments', ['created_at']),
    shift('chat_user_state', ['last_read_at']),
    shift('opportunities', ['created_at', 'updated_at', 'stage_changed_at']),
    'DROP TABLE demo_shift;',
  ].join('\n');
  wrangler(['d1', 'execute', 'DB', ...where, '--command', sql], { capture: true });
  await backfillWithWrangler(where);
}
