/**
 * Migration 0042 (issue 19): chat_events becomes WITHOUT ROWID, keyed (chat_id, created_at, id), and
 * loses its timeline index and id autoindex. On a database holding events in the former layout it keeps
 * every row and the report trigger on the table (the copy feeding no report twice), every timeline
 * answers as before, and the reads of a chat's events walk the key: no index of their own, no sort.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { database } from '../../../worker/data/db';
import { readLiveRows } from '../../../worker/data/live-reads';
import type { SessionUser } from '../../../worker/domain/access';
import { addComment, readTimeline } from '../../../worker/domain/chats';
import { clientText, db, ingest, makeIntegration, makeUser, uniq } from '../../support/factory';
import { recordingD1, type Recorded } from '../../support/recording-d1';

type Row = Record<string, unknown>;
const all = async (sql: string) => (await env.DB.prepare(sql).all<Row>()).results;
const schemaOf = async () => all(`SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'chat_events' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY type, name`);
const REPORT_TABLES = ['report_chat_state', 'report_rollups', 'report_open_now'];
const snapshot = async () => ({
  events: await all(`SELECT * FROM chat_events ORDER BY id`),
  reports: await Promise.all(REPORT_TABLES.map((t) => all(`SELECT * FROM ${t} ORDER BY 1, 2, 3`))),
});

/** chat_events as migrations up to 0041 left it: a rowid table keyed by id, its timeline index, same rows and trigger. */
async function restoreFormerLayout() {
  const triggers = (await schemaOf()).filter((s) => s.type === 'trigger').map((s) => String(s.sql));
  await env.DB.batch([
    'CREATE TABLE chat_events_former AS SELECT * FROM chat_events',
    'DROP TABLE chat_events',
    `CREATE TABLE chat_events (id text PRIMARY KEY NOT NULL, chat_id text NOT NULL, type text NOT NULL, actor_id text, data text DEFAULT '{}' NOT NULL, created_at integer NOT NULL,
      FOREIGN KEY (chat_id) REFERENCES chats(id) ON UPDATE no action ON DELETE cascade, FOREIGN KEY (actor_id) REFERENCES users(id) ON UPDATE no action ON DELETE no action)`,
    'INSERT INTO chat_events SELECT * FROM chat_events_former',
    'DROP TABLE chat_events_former',
    'CREATE INDEX chat_events_timeline ON chat_events (chat_id, created_at)',
    ...triggers,
  ].map((s) => env.DB.prepare(s)));
}

/** The query plans of every statement `run` sends that reads chat_events. */
async function eventPlans(run: (d: ReturnType<typeof database>) => Promise<unknown>): Promise<string[]> {
  const log: Recorded[] = [];
  await run(database(recordingD1(env.DB, log)));
  const reads = log.filter((r) => /from "chat_events"/i.test(r.sql));
  expect(reads.length).toBeGreaterThan(0);
  return Promise.all(reads.map(async (r) => (await env.DB.prepare(`EXPLAIN QUERY PLAN ${r.sql}`).bind(...r.params).all<{ detail: string }>()).results.map((x) => x.detail).join('\n')));
}

describe('migration 0042 on a populated database', () => {
  let admin: SessionUser;
  let chatIds: string[] = [];

  const timelineOf = async (chatId: string) => {
    const ids: string[] = [];
    let before: string | undefined;
    do {
      const page = await readTimeline({ db: db() }, admin, chatId, before, 3);
      ids.unshift(...page.items.map((i) => `${i.kind}:${i.id}`));
      before = page.nextBefore ?? undefined;
    } while (before);
    return ids;
  };

  beforeAll(async () => {
    admin = await makeUser('admin');
    const integration = await makeIntegration({ greetingText: 'Olá!', autoReplyText: 'Já respondemos!' });
    for (let c = 0; c < 4; c++) {
      const client = uniq();
      for (let i = 0; i < 3; i++) await ingest(integration, clientText(client, `mensagem ${c}.${i}`));
    }
    chatIds = (await all(`SELECT id FROM chats WHERE integration_id = '${integration.id}' ORDER BY id`)).map((r) => String(r.id));
    const t = Date.now();
    // Several events of one chat in one millisecond: their order comes from the id alone.
    for (const chatId of chatIds) for (let i = 0; i < 3; i++) await addComment({ db: db(), now: () => t }, admin, chatId, `nota ${i}`);
  });

  it('keeps every row, the report trigger and every timeline; the copy counts nothing twice', async () => {
    const current = await schemaOf();
    await restoreFormerLayout();
    expect((await schemaOf()).map((s) => s.name)).toContain('chat_events_timeline');
    const before = await snapshot();
    const timelines = await Promise.all(chatIds.map(timelineOf));
    // Something to compare: each chat has its opening and its three comments' events.
    expect(before.events.length).toBeGreaterThanOrEqual(chatIds.length * 4);
    for (const t of timelines) expect(t.filter((id) => id.startsWith('event:')).length).toBeGreaterThanOrEqual(4);
    for (const rows of before.reports) expect(rows.length).toBeGreaterThan(0);

    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0042_'));
    expect(migration?.name).toBe('0042_chat_events_without_rowid.sql');
    await env.DB.batch(migration!.queries.map((q) => env.DB.prepare(q)));

    expect(await snapshot()).toEqual(before);
    expect(await Promise.all(chatIds.map(timelineOf))).toEqual(timelines);
    expect(await schemaOf()).toEqual(current);
    expect(String(current.find((s) => s.type === 'table')?.sql)).toMatch(/WITHOUT ROWID$/);
    expect(current.filter((s) => s.type === 'index')).toEqual([]);
    expect(current.filter((s) => s.type === 'trigger').map((s) => s.name)).toEqual(['report_event_insert']);
    expect(await all(`SELECT name FROM sqlite_master WHERE name LIKE '%_rebuild'`)).toEqual([]);
  });

  it('the rebuilt table still feeds the reports: a new chat opens its report state', async () => {
    const integration = await makeIntegration();
    await ingest(integration, clientText(uniq(), 'oi'));
    const [chat] = await all(`SELECT id FROM chats WHERE integration_id = '${integration.id}'`);
    const [state] = await all(`SELECT opened_at FROM report_chat_state WHERE chat_id = '${chat.id}'`);
    expect(state?.opened_at).toEqual(expect.any(Number));
  });

  it("a chat's timeline and its live event reads walk the key, with no sort of their own", async () => {
    for (const plan of await eventPlans((d) => readTimeline({ db: d }, admin, chatIds[0], undefined, 3))) {
      expect(plan).toMatch(/SEARCH chat_events USING PRIMARY KEY \(chat_id=\?/);
      expect(plan).not.toMatch(/TEMP B-TREE|SCAN chat_events/);
    }
    const [event] = await all(`SELECT id FROM chat_events WHERE chat_id = '${chatIds[1]}' LIMIT 1`);
    let rows: Awaited<ReturnType<typeof readLiveRows>> | undefined;
    const plans = await eventPlans(async (d) => {
      rows = await readLiveRows(d, { summaries: [], observers: [], readers: [], messages: [], events: [{ chatId: chatIds[1], id: String(event.id) }] });
    });
    expect([...rows!.events.keys()]).toEqual([event.id]);
    for (const plan of plans) expect(plan).toMatch(/SEARCH chat_events USING PRIMARY KEY \(chat_id=\?\)/);
  });
});
