/**
 * Migration 0038 (issue 19): the timeline indexes drop their trailing id, and the message search index
 * is rebuilt without per-row token counts (columnsize=0). On a database in the former layout, every
 * timeline page and every search answers exactly as before, and the rebuilt search index keeps
 * following inserts, edits and deletes through the unchanged triggers.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../worker/domain/access';
import { listArchive, readTimeline, searchHistory } from '../../../worker/domain/chats';
import { addComment } from '../../../worker/domain/chats';
import { expectSearchFollowsWrites } from '../../support/search-follows-writes';
import { clientText, db, ingest, ingestDeps, makeIntegration, makeUser, uniq } from '../../support/factory';

type Row = Record<string, unknown>;
const all = async (sql: string) => (await env.DB.prepare(sql).all<Row>()).results;

const FORMER = [
  'DROP INDEX messages_timeline',
  'CREATE INDEX messages_timeline ON messages (chat_id, created_at, id)',
  // chat_events has no timeline index since 0042 (its key is the timeline): 0038 drops and makes one.
  'CREATE INDEX chat_events_timeline ON chat_events (chat_id, created_at, id)',
  'DROP TABLE messages_fts',
  "CREATE VIRTUAL TABLE messages_fts USING fts5(text, chat_id, content='messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')",
  "INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')",
];

const indexColumns = async (name: string) => (await all(`PRAGMA index_info(${name})`)).map((c) => c.name);
const ftsSql = async () => String((await all(`SELECT sql FROM sqlite_master WHERE name = 'messages_fts'`))[0].sql);

describe('migration 0038 on a populated database', () => {
  let admin: SessionUser;
  let chatIds: string[] = [];

  async function timelineOf(chatId: string) {
    const ids: string[] = [];
    let before: string | undefined;
    do {
      const page = await readTimeline({ db: db() }, admin, chatId, before, 4);
      ids.unshift(...page.items.map((i) => i.id));
      before = page.nextBefore ?? undefined;
    } while (before);
    return ids;
  }

  async function answers() {
    const timelines = await Promise.all(chatIds.map(timelineOf));
    const searches = [];
    for (const chatId of chatIds) {
      for (const q of ['sofa', 'sof', 'entrega amanha', 'SOFÁ']) searches.push((await searchHistory(db(), admin, chatId, q, undefined, 20)));
    }
    const archive = await listArchive(db(), admin, { q: 'sofa' }, undefined, 20);
    return { timelines, searches, archive };
  }

  beforeAll(async () => {
    admin = await makeUser('admin');
    const integration = await makeIntegration({ autoReplyText: 'Já respondemos!' });
    const t = Date.parse('2026-11-20T12:00:00Z');
    for (let c = 0; c < 3; c++) {
      const client = uniq();
      // Several messages in one millisecond: the order inside it comes from the id alone.
      for (let i = 0; i < 6; i++) await ingest(integration, clientText(client, i % 2 ? `o sofá ${c}.${i} chega?` : `entrega amanhã ${c}.${i}`), { ...ingestDeps(), now: () => t + c * 1000 + (i < 4 ? 0 : i) });
    }
    chatIds = (await all(`SELECT id FROM chats WHERE integration_id = '${integration.id}' ORDER BY id`)).map((r) => String(r.id));
    for (const chatId of chatIds) await addComment({ db: db(), now: () => t + 5000 }, admin, chatId, 'sofá conferido');
    await env.DB.batch(FORMER.map((s) => env.DB.prepare(s)));
  });

  it('answers every timeline page and search as the former layout did', async () => {
    expect(await indexColumns('messages_timeline')).toEqual(['chat_id', 'created_at', 'id']);
    expect(await ftsSql()).not.toMatch(/columnsize/);
    const before = await answers();
    // Something to compare: every chat has its messages, events and comment; the searches find rows.
    for (const ids of before.timelines) expect(ids.length).toBeGreaterThanOrEqual(8);
    expect(before.searches.filter((s) => s.items.length > 0).length).toBe(before.searches.length);
    expect(before.archive.items.length).toBeGreaterThan(0);

    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0038_'));
    expect(migration?.name).toBe('0038_timelines_fts_compact.sql');
    await env.DB.batch(migration!.queries.map((q) => env.DB.prepare(q)));

    expect(await indexColumns('messages_timeline')).toEqual(['chat_id', 'created_at']);
    expect(await indexColumns('chat_events_timeline')).toEqual(['chat_id', 'created_at']);
    expect(await ftsSql()).toMatch(/columnsize=0/);
    expect(await answers()).toEqual(before);
    await env.DB.prepare(`INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')`).run();
  });

  it('the rebuilt search index follows inserts, edits and deletes', () => expectSearchFollowsWrites(admin, chatIds[0]));
});
