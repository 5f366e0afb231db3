/**
 * Migration 0028 (partial message indexes) on a database that already holds messages: rebuilt from the
 * former full indexes with rows of every kind in place, it keeps every row and leaves each index holding
 * only the rows its condition names. The rows are in the words of their time (before migration 0043).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { clientText, ingest, makeIntegration, uniq } from '../../support/factory';
import { toFormerMessageLayout } from '../../support/former-message-words';

const FORMER_INDEXES = [
  'DROP INDEX messages_external', 'DROP INDEX IF EXISTS messages_receipts', 'DROP INDEX messages_pending',
  'CREATE UNIQUE INDEX messages_external ON messages (chat_id, direction, external_id)',
  'CREATE INDEX messages_receipts ON messages (external_id)',
  'CREATE INDEX messages_pending ON messages (next_attempt_at)',
];

const count = async (sql: string) => (await env.DB.prepare(sql).first<{ n: number }>())!.n;

describe('migration 0028 on a populated database', () => {
  it('keeps every message and narrows the three indexes', async () => {
    const integration = await makeIntegration({ greetingText: 'Olá!' });
    for (let i = 0; i < 20; i++) await ingest(integration, clientText(uniq(), `mensagem ${i}`, { start: i % 2 === 0 }));
    await toFormerMessageLayout();
    await env.DB.batch(FORMER_INDEXES.map((s) => env.DB.prepare(s)));
    const before = await env.DB.prepare('SELECT * FROM messages ORDER BY id').all();
    expect(await count(`SELECT count(*) AS n FROM messages WHERE direction = 'in'`)).toBe(20);
    expect(await count(`SELECT count(*) AS n FROM messages WHERE direction = 'out'`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM messages INDEXED BY messages_pending WHERE next_attempt_at IS NULL`)).toBeGreaterThan(0);

    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0028_'));
    expect(migration?.name).toBe('0028_partial_message_indexes.sql');
    await env.DB.batch(migration!.queries.map((q) => env.DB.prepare(q)));

    expect((await env.DB.prepare('SELECT * FROM messages ORDER BY id').all()).results).toEqual(before.results);
    const defs = await env.DB.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN ('messages_external', 'messages_receipts', 'messages_pending') ORDER BY name`).all<{ name: string; sql: string }>();
    expect(defs.results.map((d) => [d.name, d.sql.replace(/.*WHERE /, '')])).toEqual([
      ['messages_external', `"direction" = 'in'`],
      ['messages_pending', `"next_attempt_at" IS NOT NULL`],
      ['messages_receipts', `"direction" = 'out'`],
    ]);
    expect(await count(`SELECT count(*) AS n FROM messages INDEXED BY messages_external WHERE direction = 'in' AND chat_id > ''`)).toBe(20);
    expect(await count(`SELECT count(*) AS n FROM messages INDEXED BY messages_receipts WHERE direction = 'out' AND external_id IS NOT NULL`))
      .toBe(await count(`SELECT count(*) AS n FROM messages WHERE direction = 'out' AND external_id IS NOT NULL`));
  });
});
