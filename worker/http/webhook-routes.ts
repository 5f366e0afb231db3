/**
 * `POST /webhooks/{channel}/{integrationId}`: what the messengers call. Mounted at the root, outside
 * /api: no session, no same-origin rule; the adapter's signature / secret check is the authentication.
 */
import { Hono } from 'hono';
import { receiveWebhook } from '../domain/ingest';
import type { AppEnv } from '../env';
import { errorBody } from './error-responses';
import { handOff } from './hand-off';
import { answerChoices } from '../domain/outbound';
import { outboxDeps } from '../outbox-deps';
import { readBodyWithin } from './read-body';

/** Messenger updates are a few KB; anything near this is not a real update. */
export const MAX_WEBHOOK_BODY = 1024 * 1024;

export const webhookRoutes = new Hono<AppEnv>().post('/webhooks/:channel/:integrationId', async (c) => {
  // Checks the declared length and counts the bytes of a body that declares none.
  const bytes = await readBodyWithin(c.req.raw, MAX_WEBHOOK_BODY);
  if (bytes === 'too_large') return c.json(errorBody('payload_too_large', 'The body is larger than 1 MiB'), 413);
  if (bytes === 'unreadable') return c.json(errorBody('unreadable_body', 'The body broke off before its end'), 400);
  const { db, pickManager, clientWrote } = c.var.deps;
  const { result, responseBody, reassignAfterMinutes } = await receiveWebhook(
    { db, pickManager, encryptionKey: c.env.ENCRYPTION_KEY },
    { channel: c.req.param('channel'), integrationId: c.req.param('integrationId'), headers: c.req.raw.headers, rawBody: new TextDecoder().decode(bytes) },
  );
  // 200 only now: the update is stored (or was a replay). The rest may happen after the response.
  if (!result.duplicate) {
    await handOff(c.env, c.executionCtx, { changes: result.changes, outbound: result.outbound, media: result.media.map((m) => m.messageId), liveRows: result.liveRows });
    // A client message starts the bot's reply timer, if it has one (a bot without one costs no DO call).
    if (reassignAfterMinutes && result.changes.some((ch) => ch.kind === 'message')) clientWrote(c.req.param('integrationId'));
    // Button presses are answered once the press is stored (Telegram answerCallbackQuery).
    if (result.acks) c.executionCtx.waitUntil(answerChoices(outboxDeps(c.env), c.req.param('integrationId'), result.acks));
  }
  return responseBody === null ? c.body(null, 200) : c.json(responseBody as object, 200);
});
