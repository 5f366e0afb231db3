/**
 * A Viber `seen` receipt moves every earlier message of ours in the chat to seen: after a long run of
 * unread replies that is more ids than D1 binds in one statement (issue 13, item 1).
 */
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { messages } from '../../../worker/data/schema';
import { encryptToken } from '../../../worker/domain/integrations';
import { deliverMessage, postAgentMessage } from '../../../worker/domain/outbound';
import { clientText, db, ingest, makeIntegration, makeUser, uniq } from '../../support/factory';
import { messengerFake, VIBER_TOKEN } from '../../support/messenger-fake';

it('a seen receipt after 120 unread replies marks them all seen', async () => {
  const fake = messengerFake();
  const messengers = { apiBase: (channel: string) => `http://${channel}.test`, encryptionKey: env.ENCRYPTION_KEY, fetch: fake.fetch };
  const integration = await makeIntegration({ channel: 'viber', tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, VIBER_TOKEN) });
  const client = `${uniq()}==`;
  await ingest(integration, clientText(client, 'Olá'));
  const { chatId } = (await db().select({ chatId: messages.chatId }).from(messages).where(eq(messages.text, 'Olá')).orderBy(messages.createdAt).all()).at(-1)!;
  const manager = await makeUser('employee');
  let clock = Date.now();
  const deps = { db: db(), now: () => clock, messengers, mediaUrl: async (key: string) => `http://ponte.test/media/${key}` };
  for (let i = 0; i < 120; i++) {
    clock += 1;
    const { message } = await postAgentMessage(deps, { chatId, authorId: manager.id, text: `resposta ${i}` });
    expect(await deliverMessage(deps, message.id)).toMatchObject({ kind: 'done' });
  }
  const ours = () => db().select({ status: messages.status, externalId: messages.externalId }).from(messages)
    .where(eq(messages.chatId, chatId)).all().then((rows) => rows.filter((r) => r.externalId && r.status !== 'received'));
  const sent = await ours();
  expect(sent.filter((m) => m.status === 'sent').length).toBeGreaterThanOrEqual(120);
  const newest = sent.map((m) => m.externalId!).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)).at(-1)!;

  await ingest(integration, { dedupKey: `seen:${newest}`, events: [{ type: 'receipt', status: 'seen', externalMessageId: newest, externalUserId: client, sentAt: clock }] });
  expect((await ours()).filter((m) => m.status !== 'seen')).toEqual([]);
});
