/** Webhook calls through the Worker's real fetch handler, as the messengers make them. */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { count, eq } from 'drizzle-orm';
import worker from '../../worker/index';
import { chats, messages, processedUpdates } from '../../worker/data/schema';
import { db } from './factory';
import { BASE } from './http';

/** The secret the Telegram test integrations are registered with. */
export const TG_SECRET = 'tg_wh_5f3a9c2e8b1d4f70a6c3e9b2d8f1a4c7';

/** Calls the Worker's fetch handler and waits for its waitUntil work (publish, enqueue, media). */
export async function hook(path: string, body: BodyInit, headers: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(BASE + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export const tg = (id: string, raw: string, secret = TG_SECRET) => hook(`/webhooks/telegram/${id}`, raw, { 'x-telegram-bot-api-secret-token': secret });
export const vb = (id: string, raw: string, signature: string) => hook(`/webhooks/viber/${id}`, raw, { 'x-viber-content-signature': signature });

/** Messages and dedup keys stored for one integration. */
export async function stored(integrationId: string) {
  const [m] = await db().select({ n: count() }).from(messages).innerJoin(chats, eq(chats.id, messages.chatId)).where(eq(chats.integrationId, integrationId));
  const [k] = await db().select({ n: count() }).from(processedUpdates).where(eq(processedUpdates.integrationId, integrationId));
  return { messages: m!.n, keys: k!.n };
}
