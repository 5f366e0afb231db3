/**
 * One messenger callback, from raw bytes to stored facts: find the integration, verify the request
 * with its adapter, parse, ingest. Nothing is stored unless the credentials check out.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { integrations } from '../../data/schema';
import { getAdapter } from '../../messengers/registry';
import { MalformedUpdateError, type ParsedUpdate } from '../../messengers/types';
import { DomainError } from '../../shared/errors';
import { ingestUpdate, type IngestDeps, type IngestResult } from './ingest-update';
import { lookupStatements } from './lookup';
import { decryptToken } from '../integrations';

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
  let update: ParsedUpdate | null = null;
  let parseError: DomainError | null = null;
  try {
    update = adapter.parse(req.rawBody);
  } catch (err) {
    if (!(err instanceof MalformedUpdateError)) throw err;
    parseError = new DomainError(400, 'malformed_update', err.message);
  }
  const integrationQuery = deps.db.select().from(integrations)
    .where(and(eq(integrations.id, req.integrationId), eq(integrations.channel, req.channel), eq(integrations.enabled, true), isNull(integrations.removedAt)))
    .limit(1);
  const lookup = update ? lookupStatements(deps.db, req.integrationId, update) : null;
  const [rows, ...lookupRows] = await deps.db.batch([integrationQuery, ...(lookup?.statements ?? [])]);
  const integration = rows[0];
  if (!integration) throw new DomainError(404, 'not_found', 'No such webhook');

  const contentType = req.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
  if (adapter.webhookContentType && contentType !== adapter.webhookContentType) {
    throw new DomainError(415, 'unsupported_media_type', `Webhooks must be sent as ${adapter.webhookContentType}`);
  }
  const token = await decryptToken(deps.encryptionKey, integration.tokenEncrypted);
  const valid = await adapter.verify({ headers: req.headers, rawBody: req.rawBody }, { token, webhookSecret: integration.webhookSecret });
  if (!valid) throw new DomainError(401, 'invalid_signature', 'The webhook credentials do not match');
  if (!update || !lookup) throw parseError!;

  const result = await ingestUpdate(deps, integration, update, lookup.read(lookupRows as unknown[][], integration));
  const greeting = result.responseGreeting ? { text: result.responseGreeting, botName: integration.name } : null;
  return { result, responseBody: result.duplicate ? null : adapter.webhookResponse(update.events, greeting) };
}
