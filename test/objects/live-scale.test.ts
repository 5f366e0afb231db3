/**
 * The one inbox feed at the README's "Scale" size: 500 sockets of 500 users (the worst case, since a
 * frame is rendered once per user) on the real InboxFeed. Each publish reaches every socket exactly once
 * and in order; the time per publish is printed (`LIVE SCALE`) for the README's figures, not asserted,
 * since it depends on the machine.
 */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { chats } from '../../worker/data/schema';
import { toMessageItem } from '../../worker/data/message-item';
import { buildLive, planLive } from '../../worker/domain/live';
import { inboxFeed } from '../../worker/objects/inbox-feed';
import { VIEWER_HEADER } from '../../worker/objects/live-sockets';
import { clientText, db, ingest, makeIntegration } from '../support/factory';
import { LiveClient } from './live-support';

const SOCKETS = 500;
const PUBLISHES = 10;

it(`fans every publish out to ${SOCKETS} sockets of ${SOCKETS} users exactly once, in order`, async () => {
  const bot = await makeIntegration();
  await ingest(bot, clientText('9401', 'olá'));
  const chatId = (await db().select({ id: chats.id }).from(chats).where(and(eq(chats.integrationId, bot.id), eq(chats.externalChatId, '9401'))).get())!.id;
  const envelopes = (await buildLive(db(), planLive([{ kind: 'chat_updated', chatId, reason: 'message' }]), toMessageItem)).inbox;
  const feed = inboxFeed(env);
  // Straight to the object with the viewer the Worker would hand over: 500 logins would only time the login.
  const clients: LiveClient[] = [];
  for (let i = 0; i < SOCKETS; i++) {
    const viewer = { id: `scale-user-${i}`, name: `Agent ${i}`, email: `agent${i}@ponte.test`, role: 'employee', session: `scale-session-${i}` };
    const res = await feed.fetch('http://inbox/live', { headers: { upgrade: 'websocket', [VIEWER_HEADER]: JSON.stringify(viewer) } });
    res.webSocket!.accept();
    clients.push(new LiveClient(res.webSocket!));
  }
  await Promise.all(clients.map((c) => c.take((f) => f.type === 'ready')));

  const started = Date.now();
  for (let i = 0; i < PUBLISHES; i++) await feed.publish(envelopes);
  const published = Date.now();
  await Promise.all(clients.map(async (c) => { for (let i = 0; i < PUBLISHES; i++) await c.take((f) => f.type === 'chat', 30_000); }));
  console.log(`LIVE SCALE ${SOCKETS} sockets: ${((published - started) / PUBLISHES).toFixed(1)} ms per publish in the object, all delivered after ${((Date.now() - started) / PUBLISHES).toFixed(1)} ms per publish`);

  for (const c of clients) {
    const seqs = c.frames.filter((f) => f.type === 'chat').map((f) => f.seq);
    expect(seqs).toHaveLength(PUBLISHES);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(PUBLISHES);
  }
  clients.forEach((c) => c.close());
}, 120_000);
