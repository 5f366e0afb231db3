/**
 * Migration 0036: the report tables and chat_user_state become WITHOUT ROWID (issue 19), and
 * chat_user_state is keyed chat first. On a database holding rows of every kind in the former layout it
 * keeps every row, keeps the triggers that feed the day tables (without counting the copy twice), and
 * the live frames' read of a chat's readers stops scanning the whole table (that test fails on the
 * former key).
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { database } from '../../../worker/data/db';
import { readerQuery } from '../../../worker/data/live-reads';
import { chats, chatUserState, messages } from '../../../worker/data/schema';
import { newId } from '../../../worker/shared/ids';
import { clientText, db, ingest, makeIntegration, makeUser, uniq } from '../../support/factory';
import { recordingD1, type Recorded } from '../../support/recording-d1';

const REBUILT = ['report_rollups', 'report_histograms', 'report_chat_state', 'report_business_pending', 'report_open_now', 'chat_user_state'];
/** Tables the rebuilt ones' triggers keep: the copy must not add to them. */
const KEPT_BY_TRIGGERS = ['report_rollup_days', 'report_rollup_user_hours', 'report_rollup_user_days', 'report_histogram_days', 'report_histogram_user_days', 'report_histogram_blocks'];

type Row = Record<string, unknown>;
const all = async (sql: string) => (await env.DB.prepare(sql).all<Row>()).results;
const snapshot = async (tables: string[]) => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await all(`SELECT * FROM ${t} ORDER BY 1, 2, 3`)])));
const schemaOf = async (type: string, names: string[]) =>
  all(`SELECT name, sql FROM sqlite_master WHERE type = '${type}' AND ${type === 'trigger' ? 'tbl_name' : 'name'} IN (${names.map((n) => `'${n}'`).join(', ')}) ORDER BY name`);

/** Puts each table back the way migrations up to 0035 left it: a rowid table (chat_user_state keyed user first), same rows, same triggers. */
async function restoreFormerLayout() {
  const statements: string[] = [];
  for (const t of REBUILT) {
    const [{ sql }] = await schemaOf('table', [t]);
    const former = String(sql).replace(/\s*WITHOUT ROWID\s*$/, '').replace('PRIMARY KEY(`chat_id`, `user_id`)', 'PRIMARY KEY(`user_id`, `chat_id`)');
    const triggers = await schemaOf('trigger', [t]);
    statements.push(`CREATE TABLE ${t}_former AS SELECT * FROM ${t}`, `DROP TABLE ${t}`, former, `INSERT INTO ${t} SELECT * FROM ${t}_former`, `DROP TABLE ${t}_former`);
    statements.push(...triggers.map((tr) => String(tr.sql)));
  }
  await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
}

async function readerPlan(chatId: string): Promise<string> {
  const log: Recorded[] = [];
  await readerQuery(database(recordingD1(env.DB, log)), [chatId]);
  const [r] = log;
  const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${r.sql}`).bind(...r.params).all<{ detail: string }>();
  return plan.results.map((x) => x.detail).join('\n');
}

describe('migration 0036 on a populated database', () => {
  let chatIds: string[] = [];

  beforeAll(async () => {
    const manager = await makeUser('employee');
    const integration = await makeIntegration({ autoReplyText: 'Já respondemos!' });
    for (let i = 0; i < 6; i++) await ingest(integration, clientText(uniq(), `olá ${i}`));
    chatIds = (await db().select({ id: chats.id }).from(chats).where(eq(chats.integrationId, integration.id)).all()).map((c) => c.id);
    await db().update(chats).set({ responsibleId: manager.id }).where(eq(chats.integrationId, integration.id));
    const t = Date.now();
    // Replies (first-response figures and histograms) and read markers on every chat.
    await db().insert(messages).values(chatIds.map((chatId, i) => ({ id: newId(t + i), chatId, direction: 'out' as const, origin: 'agent' as const, authorId: manager.id, text: 'Claro!', status: 'sent' as const, createdAt: t + 60_000 + i })));
    await db().insert(chatUserState).values(chatIds.map((chatId, i) => ({ chatId, userId: manager.id, lastReadAt: t + i, muted: i % 2 === 0 })));
  });

  it('keeps every row and every trigger, and the copy counts nothing twice', async () => {
    const tablesBefore = await schemaOf('table', REBUILT);
    const triggersBefore = await schemaOf('trigger', REBUILT);
    await restoreFormerLayout();
    for (const t of await schemaOf('table', REBUILT)) expect(String(t.sql)).not.toMatch(/WITHOUT ROWID/);
    const before = await snapshot([...REBUILT, ...KEPT_BY_TRIGGERS]);
    // Every table the copy could get wrong holds rows (report_business_pending only fills for bots with business hours).
    for (const t of [...REBUILT.filter((r) => r !== 'report_business_pending'), ...KEPT_BY_TRIGGERS]) {
      expect(before[t].length, t).toBeGreaterThan(0);
    }

    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0036_'));
    expect(migration?.name).toBe('0036_tables_without_rowid.sql');
    await env.DB.batch(migration!.queries.map((q) => env.DB.prepare(q)));

    expect(await snapshot([...REBUILT, ...KEPT_BY_TRIGGERS])).toEqual(before);
    expect(await schemaOf('table', REBUILT)).toEqual(tablesBefore);
    for (const t of tablesBefore) expect(String(t.sql)).toMatch(/WITHOUT ROWID$/);
    expect(await schemaOf('trigger', REBUILT)).toEqual(triggersBefore);
    expect(triggersBefore.length).toBe(12);
    expect(await all(`SELECT name FROM sqlite_master WHERE name LIKE '%_rebuild'`)).toEqual([]);
  });

  it('the rebuilt tables still feed the day tables: one more client message is counted once in each grain', async () => {
    const sum = async (table: string) => Number((await all(`SELECT coalesce(sum(messages_in), 0) AS n FROM ${table}`))[0].n);
    const grains = ['report_rollups', 'report_rollup_days', 'report_rollup_user_hours', 'report_rollup_user_days'];
    const before = await Promise.all(grains.map(sum));
    await ingest(await makeIntegration(), clientText(uniq(), 'mais uma'));
    expect(await Promise.all(grains.map(sum))).toEqual(before.map((n) => n + 1));
  });

  it("a chat's readers are read by the key, not by scanning chat_user_state", async () => {
    const plan = await readerPlan(chatIds[0]);
    expect(plan).toMatch(/SEARCH chat_user_state USING PRIMARY KEY \(chat_id=\?\)/);
    expect(plan).not.toMatch(/SCAN chat_user_state/);
    const readers = await readerQuery(db(), [chatIds[0]]);
    expect(readers).toHaveLength(1);
  });
});
