/**
 * Migration 0043 (issue 19): a message's direction, origin and status are stored as one letter each and
 * "no attachments" as ''. On a database holding messages of every origin and status in the former words
 * it rewrites every row to exactly what the app writes now, and the index and triggers that name a
 * direction or origin keep working: a client message is still stored once, an archived one is not stored
 * again, and the reports still count what comes in and what a manager replies.
 */
import { env } from 'cloudflare:workers';
import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  chats, directionCodes, messageOrigins, messages, messageStatuses, originCodes, reportRollups, statusCodes,
} from '../../../worker/data/schema';
import { newId } from '../../../worker/shared/ids';
import { clientText, db, ingest, makeIntegration, uniq } from '../../support/factory';
import { toFormerMessageLayout } from '../../support/former-message-words';

type Row = Record<string, unknown>;
const raw = async (chatId: string) => (await env.DB.prepare('SELECT * FROM messages WHERE chat_id = ? ORDER BY id').bind(chatId).all<Row>()).results;
const mapped = (chatId: string) => db().select().from(messages).where(eq(messages.chatId, chatId)).orderBy(asc(messages.id)).all();
const applyMigration = async () => {
  const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0043_'));
  expect(migration?.name).toBe('0043_message_codes.sql');
  await env.DB.batch(migration!.queries.map((q) => env.DB.prepare(q)));
};
const repliesOf = async (integrationId: string) =>
  (await db().select({ in: reportRollups.messagesIn, replies: reportRollups.replies }).from(reportRollups).where(eq(reportRollups.integrationId, integrationId)).all())
    .reduce((sum, r) => ({ in: sum.in + r.in, replies: sum.replies + r.replies }), { in: 0, replies: 0 });

describe('migration 0043 on a populated database', () => {
  it('rewrites every message in letters, and its index and triggers go on working', async () => {
    const integration = await makeIntegration({ greetingText: 'Olá!' });
    const client = uniq();
    await ingest(integration, clientText(client, '/start', { start: true }));
    const { id: chatId } = (await db().select({ id: chats.id }).from(chats).where(eq(chats.externalChatId, client)).get())!;
    const t = Date.now();
    // One more row per origin and per status, with and without attachments, written through drizzle.
    const extra = [
      ...messageOrigins.map((origin, i) => ({ origin, status: messageStatuses[(i + 2) % messageStatuses.length] })),
      ...messageStatuses.map((status, i) => ({ origin: messageOrigins[(i + 1) % messageOrigins.length], status })),
    ].map(({ origin, status }, i) => ({
      id: newId(t + i), chatId, direction: origin === 'client' ? ('in' as const) : ('out' as const), origin, status, text: `m${i}`,
      attachments: i % 3 === 0 ? [{ kind: 'document', fileName: `f${i}.txt`, mimeType: 'text/plain', size: i }] : [],
      externalId: origin === 'client' ? `x${i}` : null, createdAt: t + i,
    }));
    // One statement each: all of them in one INSERT would bind more than D1's 100 values.
    await env.DB.batch(extra.map((m) => {
      const q = db().insert(messages).values(m).toSQL();
      return env.DB.prepare(q.sql).bind(...q.params);
    }));

    const now = await raw(chatId);
    const words = await mapped(chatId);
    expect(now.length).toBe(extra.length + 2);
    // What the app writes: the letters of message-codes.ts, '' for no attachments.
    expect(new Set(now.map((r) => r.direction))).toEqual(new Set(Object.values(directionCodes)));
    expect(new Set(now.map((r) => r.origin))).toEqual(new Set(Object.values(originCodes)));
    expect(new Set(now.map((r) => r.status))).toEqual(new Set(Object.values(statusCodes)));
    expect(now.filter((r) => r.attachments === '').length).toBe(now.length - extra.filter((m) => m.attachments.length > 0).length);

    await toFormerMessageLayout();
    const former = await raw(chatId);
    // The former words are the words the app reads back, one for one.
    expect(former.map((r) => [r.direction, r.origin, r.status])).toEqual(words.map((m) => [m.direction, m.origin, m.status]));
    expect(former.filter((r) => r.attachments === '[]').length).toBe(now.filter((r) => r.attachments === '').length);

    await applyMigration();
    expect(await raw(chatId)).toEqual(now);
    expect(await mapped(chatId)).toEqual(words);
    const index = await env.DB.prepare(`SELECT sql FROM sqlite_master WHERE name = 'messages_external'`).first<{ sql: string }>();
    expect(index?.sql).toMatch(/WHERE "direction" = 'i'$/);

    // The unique partial index: the same client message under a new update id is stored once.
    const before = await repliesOf(integration.id);
    await ingest(integration, clientText(client, 'de novo', { messageId: 'again' }));
    await ingest(integration, { ...clientText(client, 'de novo', { messageId: 'again' }), dedupKey: `u:again:${uniq()}` });
    const again = (await raw(chatId)).filter((r) => r.external_id === 'again');
    expect(again.map((r) => [r.direction, r.origin, r.status])).toEqual([['i', 'c', 'r']]);
    // The report trigger counts it as a client message (not as an outgoing one).
    expect(await repliesOf(integration.id)).toEqual({ in: before.in + 1, replies: before.replies });

    // The archived-dedup trigger: a client message whose id went to cold history is not stored again.
    await env.DB.prepare('INSERT INTO archived_message_keys (chat_id, external_id) VALUES (?, ?)').bind(chatId, 'archived-1').run();
    await ingest(integration, clientText(client, 'velha', { messageId: 'archived-1' }));
    expect((await raw(chatId)).some((r) => r.external_id === 'archived-1')).toBe(false);
  });
});
