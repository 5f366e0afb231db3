/**
 * Migration 0040 (issue 19): the message search index is rebuilt without token positions (detail=column).
 * On a database in the former layout, every search — in a chat, across the archive, with snippets —
 * answers exactly as before, and the rebuilt index keeps following inserts, edits and deletes.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../worker/domain/access';
import { listArchive, searchHistory } from '../../../worker/domain/chats';
import { expectSearchFollowsWrites } from '../../support/search-follows-writes';
import { clientText, db, ingest, ingestDeps, makeIntegration, makeUser, uniq } from '../../support/factory';

type Row = Record<string, unknown>;
const all = async (sql: string) => (await env.DB.prepare(sql).all<Row>()).results;
const ftsSql = async () => String((await all(`SELECT sql FROM sqlite_master WHERE name = 'messages_fts'`))[0].sql);

const FORMER = [
  'DROP TABLE messages_fts',
  "CREATE VIRTUAL TABLE messages_fts USING fts5(text, chat_id, content='messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', columnsize=0)",
  "INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')",
];
const QUERIES = ['sofa', 'sof', 'entrega amanha', 'SOFÁ', 'cinza sof', 'chega', 'nada disso'];

describe('migration 0040 on a populated database', () => {
  let admin: SessionUser;
  let chatIds: string[] = [];

  async function answers() {
    const searches = [];
    for (const chatId of chatIds) {
      for (const q of QUERIES) searches.push(await searchHistory(db(), admin, chatId, q, undefined, 20));
    }
    const archive = [];
    for (const q of QUERIES) archive.push(await listArchive(db(), admin, { q }, undefined, 20));
    return { searches, archive };
  }

  beforeAll(async () => {
    admin = await makeUser('admin');
    const integration = await makeIntegration();
    const t = Date.parse('2026-11-20T12:00:00Z');
    for (let c = 0; c < 3; c++) {
      const client = uniq();
      for (let i = 0; i < 5; i++) {
        const text = i % 2 ? `o sofá cinza ${c}.${i} chega amanhã? sofá, sofá` : `entrega amanhã ${c}.${i}, obrigado`;
        await ingest(integration, clientText(client, text), { ...ingestDeps(), now: () => t + c * 1000 + i });
      }
    }
    chatIds = (await all(`SELECT id FROM chats WHERE integration_id = '${integration.id}' ORDER BY id`)).map((r) => String(r.id));
    await env.DB.batch(FORMER.map((s) => env.DB.prepare(s)));
  });

  it('answers every search, snippets included, as the index with positions did', async () => {
    expect(await ftsSql()).not.toMatch(/detail/);
    const before = await answers();
    // Something to compare: most searches find rows, and their snippets mark the words.
    expect(before.searches.filter((s) => s.items.length > 0).length).toBeGreaterThan(before.searches.length / 2);
    expect(before.searches.flatMap((s) => s.items).some((i) => i.snippet.includes('<mark>'))).toBe(true);
    expect(before.archive.filter((a) => a.items.length > 0).length).toBeGreaterThan(0);

    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0040_'));
    expect(migration?.name).toBe('0040_fts_without_positions.sql');
    await env.DB.batch(migration!.queries.map((q) => env.DB.prepare(q)));

    expect(await ftsSql()).toMatch(/detail=column/);
    expect(await answers()).toEqual(before);
    await env.DB.prepare(`INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')`).run();
  });

  it('the rebuilt index follows inserts, edits and deletes', () => expectSearchFollowsWrites(admin, chatIds[0]));
});
