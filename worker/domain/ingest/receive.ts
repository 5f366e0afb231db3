/**
 * One messenger callback, from raw bytes to stored facts: parse → read (the integration and what ingest
 * needs, in one round trip) → check the request → ingest (or record what cannot be used). Nothing is stored unless the credentials
 * check out. The HTTP route then hands the stored work off (worker/http/hand-off.ts).
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { integrations } from '../../data/schema';
import { getAdapter } from '../../messengers/registry';
import type { MessengerAdapter, ParseOutcome } from '../../messengers/types';
import { DomainError } from '../../shared/errors';
import { decryptToken } from '../integrations';
import { clock } from '../runtime';
import { ingestUpdate } from './ingest-update';
import type { IngestDeps, IngestResult } from './plan';
import { prefetchStatements } from './reader';
import { recordUnprocessable } from './unprocessable';

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
 * update of that messenger — in that order, so a stranger learns nothing about the body checks and
 * costs no write. An authenticated update that cannot be used is recorded and acknowledged (200).
 *
 * The body is parsed (a pure function that never throws, nothing stored) before the credentials are
 * checked so the integration row and everything ingest reads come back in ONE round trip.
 */
export async function receiveWebhook(deps: WebhookDeps, req: WebhookRequest): Promise<WebhookOutcome> {
  const adapter = getAdapter(req.channel);
  if (!adapter) throw new DomainError(404, 'not_found', 'No such webhook');
  const parsed = parse(adapter, req.rawBody);
  const prefetch = parsed.kind === 'update' ? prefetchStatements(deps.db, req.integrationId, parsed.update) : null;
  const [rows, ...prefetched] = await deps.db.batch([integrationQuery(deps.db, req), ...(prefetch?.statements ?? [])]);
  const integration = rows[0];
  if (!integration) throw new DomainError(404, 'not_found', 'No such webhook');
  await checkRequest(deps, adapter, req, integration);

  if (parsed.kind === 'not_an_update') throw new DomainError(400, 'malformed_update', parsed.reason);
  if (parsed.kind === 'unprocessable') {
    await recordUnprocessable(deps.db, integration, parsed.reason, req.rawBody, clock(deps));
    return { result: { duplicate: false, changes: [], outbound: [], media: [], responseGreeting: null }, responseBody: null };
  }
  const result = await ingestUpdate(deps, integration, parsed.update, prefetch!.reader(prefetched as unknown[][]));
  const greeting = result.responseGreeting ? { text: result.responseGreeting, botName: integration.name } : null;
  return { result, responseBody: result.duplicate ? null : adapter.webhookResponse(parsed.update.events, greeting) };
}

/** The adapter's parse, with a parser bug turned into an unprocessable update rather than a 5xx. */
function parse(adapter: MessengerAdapter, rawBody: string): ParseOutcome {
  try {
    return adapter.parse(rawBody);
  } catch (err) {
    return { kind: 'unprocessable', reason: `The ${adapter.channel} parser failed: ${String(err).slice(0, 300)}` };
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
