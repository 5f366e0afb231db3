/**
 * `POST /webhooks/{channel}/{integrationId}`: what the messengers call. Mounted at the root, outside
 * /api: no session, no same-origin rule; the adapter's signature / secret check is the authentication.
 */
import { Hono } from 'hono';
import { database } from '../data/db';
import { receiveWebhook } from '../domain/webhook';
import type { AppEnv } from '../env';
import { pickManagerVia } from '../objects/bot-queue';
import { errorBody } from './errors';
import { handOff } from './hand-off';

/** Messenger updates are a few KB; anything near this is not a real update. */
export const MAX_WEBHOOK_BODY = 1024 * 1024;

export const webhookRoutes = new Hono<AppEnv>().post('/webhooks/:channel/:integrationId', async (c) => {
  const bytes = await readLimited(c.req.raw, MAX_WEBHOOK_BODY);
  if (!bytes) return c.json(errorBody('payload_too_large', 'The body is larger than 1 MiB'), 413);
  const { result, responseBody } = await receiveWebhook(
    { db: database(c.env.DB), pickManager: pickManagerVia(c.env), encryptionKey: c.env.ENCRYPTION_KEY },
    { channel: c.req.param('channel'), integrationId: c.req.param('integrationId'), headers: c.req.raw.headers, rawBody: new TextDecoder().decode(bytes) },
  );
  // 200 only now: the update is stored (or was a replay). The rest may happen after the response.
  if (!result.duplicate) {
    await handOff(c.env, c.executionCtx, { changes: result.changes, outbound: result.outbound, media: result.media.map((m) => m.messageId) });
  }
  return responseBody === null ? c.body(null, 200) : c.json(responseBody as object, 200);
});

/** The body bytes, or null when the declared or the actual size exceeds `max` (a lying Content-Length included). */
async function readLimited(req: Request, max: number): Promise<Uint8Array | null> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > max) return null;
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
