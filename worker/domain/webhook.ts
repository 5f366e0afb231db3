/**
 * One messenger callback, from raw bytes to stored facts: find the integration, verify the request
 * with its adapter, parse, ingest. Nothing is stored unless the credentials check out.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { integrations } from '../data/schema';
import { getAdapter } from '../messengers/registry';
import { MalformedUpdateError } from '../messengers/types';
import { DomainError } from './errors';
import { ingestUpdate, type IngestDeps, type IngestResult } from './ingest';
import { decryptToken } from './token-vault';

export interface WebhookDeps extends IngestDeps {
  encryptionKey: string;
}

export interface WebhookRequest {
  channel: string;
  integrationId: string;
  headers: Headers;
  rawBody: string;
}

export interface WebhookOutcome {
  result: IngestResult;
  /** What to answer in the HTTP body (Viber's welcome message), or null for an empty 200. */
  responseBody: unknown | null;
}

/**
 * Verifies and stores one callback. Throws 404 for an unknown, disabled or removed integration, 401
 * for bad credentials and 400 for a body that is not an update of that messenger.
 */
export async function receiveWebhook(deps: WebhookDeps, req: WebhookRequest): Promise<WebhookOutcome> {
  const adapter = getAdapter(req.channel);
  const integration = adapter
    ? await deps.db.select().from(integrations)
      .where(and(eq(integrations.id, req.integrationId), eq(integrations.channel, req.channel), eq(integrations.enabled, true), isNull(integrations.removedAt)))
      .get()
    : undefined;
  if (!adapter || !integration) throw new DomainError(404, 'not_found', 'No such webhook');

  const contentType = req.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
  if (adapter.webhookContentType && contentType !== adapter.webhookContentType) {
    throw new DomainError(415, 'unsupported_media_type', `Webhooks must be sent as ${adapter.webhookContentType}`);
  }
  const token = await decryptToken(deps.encryptionKey, integration.tokenEncrypted);
  const valid = await adapter.verify({ headers: req.headers, rawBody: req.rawBody }, { token, webhookSecret: integration.webhookSecret });
  if (!valid) throw new DomainError(401, 'invalid_signature', 'The webhook credentials do not match');

  let update;
  try {
    update = adapter.parse(req.rawBody);
  } catch (err) {
    if (err instanceof MalformedUpdateError) throw new DomainError(400, 'malformed_update', err.message);
    throw err;
  }
  const result = await ingestUpdate(deps, integration, update);
  const greeting = result.responseGreeting ? { text: result.responseGreeting, botName: integration.name } : null;
  return { result, responseBody: result.duplicate ? null : adapter.webhookResponse(update.events, greeting) };
}
