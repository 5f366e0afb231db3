/**
 * LIMITs go into the SQL text (worker/data/inline-limits.ts): SQLite re-plans a statement on every run
 * whose LIMIT is bound, or whose bound value meets a partial index's condition (messages.direction, hence
 * isIncoming / isOutgoing). Checked on the SQL drizzle renders and on what the busiest paths send D1.
 */
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { database } from '../../../worker/data/db';
import { limitLiteral } from '../../../worker/data/inline-limits';
import { chats } from '../../../worker/data/schema';
import { receiveWebhook } from '../../../worker/domain/ingest';
import { listArchive, listInbox, readTimeline } from '../../../worker/domain/chats';
import { IngestReader } from '../../../worker/domain/ingest/reader';
import { deliverMessage, postAgentMessage } from '../../../worker/domain/outbound';
import { makeChat, setupAdmin } from '../../support/chat-world';
import { makeIntegration, makeUser } from '../../support/factory';
import { messengerFake } from '../../support/messenger-fake';
import { recordingD1, type Recorded } from '../../support/recording-d1';
import { TG_SECRET } from '../../support/webhook-calls';

const BOUND_LIMIT = /\blimit\s+\?/i;
// A bound value compared to a column a partial index's WHERE names (messages.direction) is re-planned too.
const BOUND_DIRECTION = /"?direction"?\s*=\s*\?/i;

describe('LIMITs as literals', () => {
  it('renders .limit(n) as text and keeps placeholders and negative limits as drizzle has them', () => {
    const db = database(env.DB);
    const q = db.select({ id: chats.id }).from(chats).where(sql`${chats.status} = ${'open'}`).limit(51).toSQL();
    expect(q.sql).toMatch(/ limit 51$/);
    expect(q.params).toEqual(['open']);
    expect(db.select({ id: chats.id }).from(chats).limit(sql.placeholder('n') as never).toSQL().sql).toMatch(/ limit \?$/);
    expect(db.select({ id: chats.id }).from(chats).limit(-1).toSQL().sql).not.toMatch(/limit/);
    expect(db.update(chats).set({ lastMessagePreview: 'x' }).limit(3).toSQL().sql).toMatch(/ limit 3$/);
  });

  it('takes only a non-negative safe integer into the text', async () => {
    expect(await database(env.DB).all(sql`SELECT 1 AS x LIMIT ${limitLiteral(0)}`)).toEqual([]);
    for (const bad of [1.5, -1, Number.NaN, 2 ** 60]) expect(() => limitLiteral(bad)).toThrow(RangeError);
  });

  it('leaves nothing re-planned per run in a webhook, an inbox page, an archive search, a timeline page, a delivery or a receipt', async () => {
    const integration = await makeIntegration({ webhookSecret: TG_SECRET });
    const employee = await makeUser('employee');
    const log: Recorded[] = [];
    const db = database(recordingD1(env.DB, log));
    const hook = (clientId: number, text: string) => receiveWebhook(
      { db, pickManager: async () => employee.id, encryptionKey: env.ENCRYPTION_KEY },
      { channel: 'telegram', integrationId: integration.id, rawBody: tgText(clientId, text), headers: new Headers({ 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET }) },
    );
    await hook(61, 'a new client');
    await hook(61, 'the same client again');
    await hook(61, 'and once more');
    const admin = await setupAdmin();
    const { chatId } = await makeChat({ texts: ['pedido um', 'pedido dois'] });
    await listInbox(db, admin, 'unassigned', undefined, 50);
    await listArchive(db, admin, { q: 'pedido' }, undefined, 50);
    await readTimeline({ db }, admin, chatId, undefined, 50);
    // A reply's delivery, and the receipts that move it on.
    const { message } = await postAgentMessage({ db }, { chatId, authorId: admin.id, text: 'Já enviamos.' });
    const messengers = { apiBase: (ch: string) => `http://${ch}.test`, encryptionKey: env.ENCRYPTION_KEY, fetch: messengerFake().fetch };
    expect(await deliverMessage({ db, messengers, mediaUrl: async (k) => k }, message.id)).toMatchObject({ kind: 'done' });
    const reader = new IngestReader(db, integration.id, 'a receipt');
    await reader.outgoingMessage('61', '1');
    await reader.outgoingToAdvance({ id: message.id, chatId, createdAt: Date.now() }, ['sent'], true);

    expect(log.length).toBeGreaterThan(10);
    expect(log.filter((r) => /\blimit\b/i.test(r.sql)).length).toBeGreaterThan(3);
    expect(log.filter((r) => BOUND_LIMIT.test(r.sql) || BOUND_DIRECTION.test(r.sql)).map((r) => r.sql.replace(/\s+/g, ' ').slice(0, 160))).toEqual([]);
  });
});

let updateId = 610_000;
function tgText(clientId: number, text: string) {
  const id = ++updateId;
  const from = { id: clientId, is_bot: false, first_name: 'Ana' };
  return JSON.stringify({ update_id: id, message: { message_id: id, from, chat: { ...from, type: 'private' }, date: 1754042461, text } });
}
