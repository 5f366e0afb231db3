/**
 * Every statement a Telegram webhook sends to D1 — the lookup, the writes, the live frames' reads —
 * reaches the tables that grow with the inbox (messages, chats, contacts, per-user state…) through an
 * index. SQLite's plan of a statement does not show what its triggers run inside it (the report
 * rollups); those are keyed upserts, checked by the reports' own tests. A scan there costs nothing on a test database and milliseconds per message at 100k
 * chats; the bench's small P1/P2 databases would not show it either. Found this way: the readers of a
 * chat were read by scanning chat_user_state (fixed in migration 0036).
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import { chats, chatUserState } from '../../worker/data/schema';
import { encryptToken } from '../../worker/domain/integrations';
import { db, makeIntegration, makeUser } from '../support/factory';
import { BASE } from '../support/http';
import { messengerFake, TELEGRAM_TOKEN } from '../support/messenger-fake';
import { recordingD1, type Recorded } from '../support/recording-d1';
import { TG_SECRET } from '../support/webhook-calls';

/** Tables of a handful of rows (configuration), or scratch structures of one statement. */
const BOUNDED = new Set(['integrations', 'users', 'report_buckets', 'funnels', 'funnel_stages', 'integration_managers', 'queue_members']);

function update(updateId: number, userId: number, text: string) {
  return JSON.stringify({
    update_id: updateId,
    message: { message_id: updateId, from: { id: userId, is_bot: false, first_name: 'Ana' }, chat: { id: userId, first_name: 'Ana', type: 'private' }, date: 1754042461, text },
  });
}

async function recordedWebhook(integrationId: string, body: string): Promise<Recorded[]> {
  const log: Recorded[] = [];
  const ctx = createExecutionContext();
  const req = new Request(`${BASE}/webhooks/telegram/${integrationId}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET }, body });
  const res = await worker.fetch(req, { ...env, DB: recordingD1(env.DB, log) }, ctx);
  await waitOnExecutionContext(ctx);
  expect(res.status).toBe(200);
  return log;
}

/** The tables a statement scans (whole, not searched), from SQLite's own plan. */
async function scannedTables(statements: Recorded[]): Promise<string[]> {
  const scanned: string[] = [];
  for (const s of statements) {
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).bind(...s.params).all<{ detail: string }>();
    for (const { detail } of plan.results) {
      const table = /^SCAN (\w+)/.exec(detail)?.[1];
      if (detail.startsWith('SCAN CONSTANT ROW')) continue;
      if (table && !BOUNDED.has(table)) scanned.push(`${table}: ${s.sql.slice(0, 160)}`);
    }
  }
  return scanned;
}

describe('the webhook path reaches growing tables by index', () => {
  let integrationId: string;

  beforeAll(async () => {
    messengerFake().install();
    const integration = await makeIntegration({
      channel: 'telegram', tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, TELEGRAM_TOKEN), webhookSecret: TG_SECRET, autoReplyText: 'Já respondemos!',
    });
    integrationId = integration.id;
  });

  it('a new client, then the same client again (the one-round-trip path), with a reader on the chat', async () => {
    const first = await recordedWebhook(integrationId, update(900001, 777001, 'Olá, quero um orçamento'));
    const chat = (await db().select({ id: chats.id }).from(chats).where(and(eq(chats.integrationId, integrationId), eq(chats.externalChatId, '777001'))).get())!;
    const manager = await makeUser('employee');
    await db().insert(chatUserState).values({ chatId: chat.id, userId: manager.id, lastReadAt: 1 });
    const again = await recordedWebhook(integrationId, update(900002, 777001, 'Alguém aí?'));
    const third = await recordedWebhook(integrationId, update(900003, 777001, 'Olá?'));

    expect(first.length).toBeGreaterThan(1);
    // The known client's messages took the one-round-trip path: one batch, its statements recorded.
    expect(again.some((s) => /INSERT INTO messages/i.test(s.sql))).toBe(true);
    expect(await scannedTables([...first, ...again, ...third])).toEqual([]);
  });
});
