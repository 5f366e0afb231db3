/**
 * One messenger callback, from raw bytes to stored facts: parse → read (the integration and what ingest
 * needs, in one round trip) → check the request → ingest. Nothing is stored unless the credentials
 * check out. The HTTP route then hands the stored work off (worker/http/hand-off.ts).
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { integrations } from '../../data/schema';
import { getAdapter } from '../../messengers/registry';
import { MalformedUpdateError, type MessengerAdapter, type ParsedUpdate } from '../../messengers/types';
import { DomainError } from '../../shared/errors';
import { decryptToken } from '../integrations';
import { ingestUpdate } from './ingest-update';
import type { IngestDeps, IngestResult } from './plan';
import { prefetchStatements } from './reader';

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
 * Verifies and stores one callback. Throws 404 for an unknown, disabled or removed integration, 415 for
 * a content type the messenger never sends, 401 for bad credentials and 400 for a body that is not an
 * update of that messenger — in that order, so a forged request learns nothing about the body checks.
 *
 * The body is parsed (a pure function, nothing stored) before the credentials are checked so the
 * integration row and everything ingest reads come back in ONE round trip.
 */
export async function receiveWebhook(deps: WebhookDeps, req: WebhookRequest): Promise<WebhookOutcome> {
  const adapter = getAdapter(req.channel);
  if (!adapter) throw new DomainError(404, 'not_found', 'No such webhook');
  const parsed = parse(adapter, req.rawBody);
  const prefetch = parsed.update ? prefetchStatements(deps.db, req.integrationId, parsed.update) : null;
  const [rows, ...prefetched] = await deps.db.batch([integrationQuery(deps.db, req), ...(prefetch?.statements ?? [])]);
  const integration = rows[0];
  if (!integration) throw new DomainError(404, 'not_found', 'No such webhook');
  await checkRequest(deps, adapter, req, integration);
  if (!parsed.update || !prefetch) throw parsed.error!;

  const result = await ingestUpdate(deps, integration, parsed.update, prefetch.reader(prefetched as unknown[][]));
  const greeting = result.responseGreeting ? { text: result.responseGreeting, botName: integration.name } : null;
  return { result, responseBody: result.duplicate ? null : adapter.webhookResponse(parsed.update.events, greeting) };
}

function parse(adapter: MessengerAdapter, rawBody: string): { update: ParsedUpdate | null; error: DomainError | null } {
  try {
    return { update: adapter.parse(rawBody), error: null };
  } catch (err) {
    if (!(err instanceof MalformedUpdateError)) throw err;
    return { update: null, error: new DomainError(400, 'malformed_update', err.message) };
  }
}

function integrationQuery(db: Db, req: WebhookRequest) {
  return db.select().from(integrations)
    .where(and(eq(integrations.id, req.integrationId), eq(integrations.channel, req.channel), eq(integrations.enabled, true), isNull(integrations.removedAt)))
    .limit(1);
}

/** 415 for a content type the messenger never sends, then 401 for credentials that do not match. */
async function checkRequest(deps: WebhookDeps, adapter: MessengerAdapter, req: WebhookRequest, integration: { tokenEncrypted: string; webhookSecret: string }) {
  const contentType = req.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
  if (adapter.webhookContentType && contentType !== adapter.webhookContentType) {
    throw new DomainError(415, 'unsupported_media_type', `Webhooks must be sent as ${adapter.webhookContentType}`);
  }
  const token = await decryptToken(deps.encryptionKey, integration.tokenEncrypted);
  const valid = await adapter.verify({ headers: req.headers, rawBody: req.rawBody }, { token, webhookSecret: integration.webhookSecret });
  if (!valid) throw new DomainError(401, 'invalid_signature', 'The webhook credentials do not match');
}
