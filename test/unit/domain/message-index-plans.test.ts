/**
 * The partial indexes on messages (issue 19: at a million messages the full ones weighed ~60 MB
 * for rows no query looks for). Each test fails on the former full indexes: either a plan that no longer
 * finds its index, or an index that still answers for rows it should not hold.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { database } from '../../../worker/data/db';
import { chats, messages } from '../../../worker/data/schema';
import { IngestReader, RECEIPT_WINDOW } from '../../../worker/domain/ingest/reader';
import { earliestPending, findDueMessages } from '../../../worker/domain/outbound/outbox';
import { newId } from '../../../worker/shared/ids';
import { clientText, db, ingest, makeIntegration, uniq } from '../../support/factory';
import { recordingD1, type Recorded } from '../../support/recording-d1';

async function plansOf(run: (d: ReturnType<typeof database>) => Promise<unknown>): Promise<string> {
  const log: Recorded[] = [];
  await run(database(recordingD1(env.DB, log)));
  expect(log.length).toBeGreaterThan(0);
  const lines: string[] = [];
  for (const r of log) {
    const res = await env.DB.prepare(`EXPLAIN QUERY PLAN ${r.sql}`).bind(...r.params).all<{ detail: string }>();
    lines.push(...res.results.map((x) => x.detail));
  }
  return lines.join('\n');
}

/** Whether SQLite can answer `where` from `index` alone, as INDEXED BY demands (an error otherwise). */
async function indexServes(index: string, where: string): Promise<boolean> {
  try {
    await env.DB.prepare(`SELECT id FROM messages INDEXED BY ${index} WHERE ${where}`).all();
    return true;
  } catch (err) {
    expect(String(err)).toMatch(/no query solution/);
    return false;
  }
}

describe('partial indexes on messages', () => {
  let integrationId: string;
  let chatId: string;
  let clientMessageId: string;
  let clientId: string;

  beforeAll(async () => {
    const integration = await makeIntegration();
    integrationId = integration.id;
    const client = uniq();
    clientId = client;
    clientMessageId = `m-${uniq()}`;
    await ingest(integration, clientText(client, 'Olá, quero um orçamento', { messageId: clientMessageId }));
    chatId = (await db().select({ id: chats.id }).from(chats).where(eq(chats.integrationId, integrationId)).get())!.id;
    const t = Date.now();
    await db().insert(messages).values([
      { id: newId(t), chatId, direction: 'out', origin: 'agent', text: 'Claro!', externalId: `r-${uniq()}`, status: 'sent', createdAt: t },
      { id: newId(t), chatId, direction: 'out', origin: 'agent', text: 'Já envio', status: 'sending', nextAttemptAt: t + 60_000, createdAt: t + 1 },
    ]);
  });

  it("a receipt finds our reply through its chat's timeline, among the chat's newest messages only", async () => {
    const plan = await plansOf((d) => new IngestReader(d, integrationId, 'k').outgoingMessage(clientId, 'r-1'));
    expect(plan).toMatch(/messages USING INDEX messages_timeline \(chat_id=\?\)/);
    expect(plan).not.toMatch(/SCAN messages(?! USING)/);
    expect(await db().select({ n: sql<number>`count(*)` }).from(sql`sqlite_master`).where(sql`name = 'messages_receipts'`).get()).toEqual({ n: 0 });

    // The reply the receipt names, then RECEIPT_WINDOW newer messages of the chat: it falls out of reach.
    const t = Date.now() + 10_000;
    const token = `r-${uniq()}`;
    const reader = new IngestReader(db(), integrationId, 'k');
    const [reply] = await db().insert(messages).values({ id: newId(t), chatId, direction: 'out', origin: 'agent', text: 'Segue o orçamento', externalId: token, status: 'sent', createdAt: t }).returning();
    expect(await reader.outgoingMessage(clientId, token)).toEqual({ id: reply.id, chatId, status: 'sent', createdAt: t });
    expect(await reader.outgoingMessage(`other-${clientId}`, token)).toBeUndefined();
    const newer = Array.from({ length: RECEIPT_WINDOW - 1 }, (_, i) => ({ id: newId(t + 1 + i), chatId, direction: 'in' as const, origin: 'client' as const, text: `${i}`, status: 'received' as const, createdAt: t + 1 + i }));
    for (let i = 0; i < newer.length; i += 10) await db().insert(messages).values(newer.slice(i, i + 10));
    expect((await reader.outgoingMessage(clientId, token))?.id).toBe(reply.id);
    await db().insert(messages).values({ id: newId(t + RECEIPT_WINDOW), chatId, direction: 'in', origin: 'client', text: 'mais uma', status: 'received', createdAt: t + RECEIPT_WINDOW });
    expect(await reader.outgoingMessage(clientId, token)).toBeUndefined();
  });

  it("a client's message is found by chat and messenger id through messages_external, incoming rows only", async () => {
    const plan = await plansOf((d) => new IngestReader(d, integrationId, 'k').incomingMessage(chatId, clientMessageId));
    expect(plan).toMatch(/messages USING INDEX messages_external/);
    const found = await new IngestReader(db(), integrationId, 'k').incomingMessage(chatId, clientMessageId);
    expect(found?.text).toBe('Olá, quero um orçamento');
    expect(await indexServes('messages_external', `chat_id = 'x' AND external_id = 'y'`)).toBe(false);
  });

  it('the outbox reads messages_pending, which holds pending rows only', async () => {
    const due = await plansOf((d) => findDueMessages(d, Date.now() + 120_000, 10));
    expect(due).toMatch(/messages USING INDEX messages_pending/);
    const earliest = await plansOf((d) => earliestPending(d));
    expect(earliest).toMatch(/messages USING (COVERING )?INDEX messages_pending/);
    expect(await earliestPending(db())).not.toBeNull();
    expect(await indexServes('messages_pending', `next_attempt_at IS NULL`)).toBe(false);
  });

  it('a client message stays unique per chat and messenger id; our replies may share one', async () => {
    const t = Date.now();
    const again = db().insert(messages).values({ id: newId(t), chatId, direction: 'in', origin: 'client', externalId: clientMessageId, status: 'received', createdAt: t });
    const refused = await again.run().then(() => null, (err: Error) => String(err.cause ?? err));
    expect(refused).toMatch(/UNIQUE constraint failed: messages\.chat_id, messages\.external_id/);
    const shared = `r-${uniq()}`;
    await db().insert(messages).values([
      { id: newId(t), chatId, direction: 'out', origin: 'agent', text: 'parte 1', externalId: shared, status: 'sent', createdAt: t },
      { id: newId(t), chatId, direction: 'out', origin: 'agent', text: 'parte 2', externalId: shared, status: 'sent', createdAt: t },
    ]);
    const rows = await db().select({ id: messages.id }).from(messages).where(eq(messages.externalId, shared)).all();
    expect(rows).toHaveLength(2);
  });

  it('the same client message under a new update id is stored once', async () => {
    const integration = await makeIntegration();
    const client = uniq();
    const messageId = `m-${uniq()}`;
    await ingest(integration, clientText(client, 'primeira', { messageId }));
    const resent = { ...clientText(client, 'primeira', { messageId }), dedupKey: `u:other-${uniq()}` };
    await ingest(integration, resent);
    const chat = (await db().select({ id: chats.id }).from(chats).where(eq(chats.integrationId, integration.id)).get())!;
    const rows = await db().select({ id: messages.id }).from(messages).where(eq(messages.chatId, chat.id)).all();
    expect(rows).toHaveLength(1);
  });
});
