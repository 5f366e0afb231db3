/**
 * One messenger callback, from raw bytes to stored facts: parse → read (the integration and what ingest
 * needs, in one round trip) → check the request → ingest (or record what cannot be used). Nothing is
 * stored unless the credentials check out. With the integration's row kept from an earlier webhook, a
 * client's message in an open chat is checked first and stored in one round trip (known-chat.ts). The
 * HTTP route then hands the stored work off (worker/http/hand-off.ts).
 */
import { getAdapter } from '../../messengers/registry';
import type { MessengerAdapter, ParsedUpdate, ParseOutcome } from '../../messengers/types';
import { DomainError } from '../../shared/errors';
import { cachedIntegration, decryptToken, forgetIntegration, keepIntegration, type CachedIntegration } from '../integrations';
import { clock } from '../runtime';
import { ingestUpdate } from './ingest-update';
import { integrationQuery, knownChatBatch, knownChatCandidate, mayStartOutOfOfficeBurst } from './known-chat';
import type { IngestDeps, IngestResult } from './plan';
import { forgetOpen, noteOpen, seenOpen } from './open-chats-seen';
import { prefetchStatements, type IngestReader } from './reader';
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
  /** The bot's no-reply timer (null = off), from the row this webhook was checked against. */
  reassignAfterMinutes: number | null;
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
  const warm = parsed.kind === 'update' ? await receiveWarm(deps, adapter, req, parsed.update) : null;
  if (warm) return warm;

  const prefetch = parsed.kind === 'update' ? prefetchStatements(deps.db, req.integrationId, parsed.update, clock(deps)) : null;
  const [rows, ...prefetched] = await deps.db.batch([integrationQuery(deps.db, req.channel, req.integrationId), ...(prefetch?.statements ?? [])]);
  const integration = rows[0];
  if (!integration) {
    forgetIntegration(req.integrationId);
    throw new DomainError(404, 'not_found', 'No such webhook');
  }
  await checkRequest(deps, adapter, req, integration);
  keepIntegration(integration);

  if (parsed.kind === 'not_an_update') throw new DomainError(400, 'malformed_update', parsed.reason);
  if (parsed.kind === 'unprocessable') {
    await recordUnprocessable(deps.db, integration, parsed.reason, req.rawBody, clock(deps));
    return { result: { duplicate: false, changes: [], outbound: [], media: [], responseGreeting: null }, responseBody: null, reassignAfterMinutes: integration.reassignAfterMinutes };
  }
  return ingestChecked(deps, adapter, integration, parsed.update, prefetch!.reader(prefetched as unknown[][]));
}

/**
 * With the integration's row kept from an earlier webhook of this isolate, a client's message costs one
 * D1 round trip (known-chat.ts). Null when the row is not kept, the update cannot take that path, or the
 * kept credentials do not admit the request (the full path then decides, from a fresh row).
 */
async function receiveWarm(deps: WebhookDeps, adapter: MessengerAdapter, req: WebhookRequest, update: ParsedUpdate): Promise<WebhookOutcome | null> {
  const cached = cachedIntegration(req.channel, req.integrationId);
  const event = knownChatCandidate(update);
  if (!cached || !event) return null;
  // Refused by the kept row: the full path answers from a fresh one (and keeps that). The kept row stays,
  // so strangers' requests cannot push a bot's real traffic off the warm path.
  if (!(await admits(deps, adapter, req, cached))) return null;
  const chatKey = event.sender.externalChatId;
  // A chat this isolate last saw open skips the full path's reads (open-chats-seen.ts), unless the
  // message may start an out-of-office burst: then the full path is likely and keeps its one batch.
  const t = clock(deps);
  const mayStartBurst = mayStartOutOfOfficeBurst(cached, t);
  const prefetch = seenOpen(req.integrationId, chatKey) && !mayStartBurst ? null : prefetchStatements(deps.db, req.integrationId, update, t);
  const batch = knownChatBatch(deps.db, cached, update, event, t, mayStartBurst, prefetch?.statements ?? null);
  let results: unknown[];
  try {
    results = await deps.db.batch(batch.statements);
  } catch {
    // Nothing landed (e.g. the message came before under another update id): the full path copes.
    return null;
  }
  const { stored, integration, tail: prefetched } = batch.outcome(results);
  // Nothing stored in a chat thought open (closed since, a replay, a changed bot), and the batch read
  // nothing for the full path: that path reads the integration and what ingest needs in one round trip.
  if (integration === undefined) {
    forgetOpen(req.integrationId, chatKey);
    return null;
  }
  if (!integration) {
    forgetIntegration(req.integrationId);
    throw new DomainError(404, 'not_found', 'No such webhook');
  }
  // The guard wrote nothing unless the credentials were the kept ones; new ones are checked afresh.
  if (integration.tokenEncrypted !== cached.tokenEncrypted || integration.webhookSecret !== cached.webhookSecret) {
    forgetIntegration(req.integrationId);
    await checkRequest(deps, adapter, req, integration);
  }
  // A row read afresh is kept; the kept one, unread, runs out after its TTL and is then read again.
  if (integration !== cached) keepIntegration(integration);
  if (stored) {
    noteOpen(req.integrationId, chatKey);
    return { result: stored, responseBody: adapter.webhookResponse(update.events, null), reassignAfterMinutes: integration.reassignAfterMinutes };
  }
  // A replay, a new or closed chat: the full ingest, from what the batch read (no second lookup).
  forgetOpen(req.integrationId, chatKey);
  return ingestChecked(deps, adapter, integration, update, prefetch!.reader(prefetched));
}

async function ingestChecked(deps: WebhookDeps, adapter: MessengerAdapter, integration: CachedIntegration, update: ParsedUpdate, reader: IngestReader): Promise<WebhookOutcome> {
  const result = await ingestUpdate(deps, integration, update, reader);
  const greeting = result.responseGreeting ? { text: result.responseGreeting, botName: integration.name } : null;
  return { result, responseBody: result.duplicate ? null : adapter.webhookResponse(update.events, greeting), reassignAfterMinutes: integration.reassignAfterMinutes };
}

/** The adapter's parse, with a parser bug turned into an unprocessable update rather than a 5xx. */
function parse(adapter: MessengerAdapter, rawBody: string): ParseOutcome {
  try {
    return adapter.parse(rawBody);
  } catch (err) {
    return { kind: 'unprocessable', reason: `The ${adapter.channel} parser failed: ${String(err).slice(0, 300)}` };
  }
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

/** `checkRequest` as a yes/no against a kept row: a refusal is only ever given from a fresh one. */
async function admits(deps: WebhookDeps, adapter: MessengerAdapter, req: WebhookRequest, integration: { tokenEncrypted: string; webhookSecret: string }): Promise<boolean> {
  try {
    await checkRequest(deps, adapter, req, integration);
    return true;
  } catch {
    return false;
  }
}
