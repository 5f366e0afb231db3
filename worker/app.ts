/**
 * The Hono root: request id, same-origin guard, session, one error mapper, and the route mounts.
 * Route files stay thin: parse + validate, call one domain function, shape the response.
 */
import { historySettingsRoutes } from './http/api/history-settings';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { AppEnv } from './env';
import { errorBody, onError } from './http/error-responses';
import { sameOriginMutations } from './http/guards';
import { authRoutes } from './http/api/auth';
import { accountRoutes } from './http/api/account';
import { userRoutes } from './http/api/users';
import { chatRoutes } from './http/api/chats';
import { chatActionRoutes } from './http/api/chat-actions';
import { chatNoteRoutes } from './http/api/chat-notes';
import { integrationRoutes } from './http/api/integrations';
import { chatMessageRoutes } from './http/api/chat-messages';
import { webhookRoutes } from './http/webhook-routes';
import { mediaRoutes } from './http/media';
import { queueRoutes } from './http/api/queue';
import { routingRoutes } from './http/api/routing';
import { crmRoutes } from './http/api/crm';
import { reportRoutes } from './http/api/reports';
import { cannedRoutes } from './http/api/canned';
import { liveRoutes } from './http/live-routes';
import { mentionRoutes } from './http/api/mentions';
import { loadSession } from './http/session';
import { requireEncryptionKey } from './http/require-secrets';
import { securityHeaders } from './http/security-headers';
import { provideDeps } from './http/request-deps';
import { newRouter } from './http/router';
import { benchRoutes } from './http/bench';
import { MAX_ATTACHMENT_BYTES } from './domain/outbound';

const MAX_API_BODY = 1024 * 1024;
/** Manager uploads are files, not JSON: they get the attachment limit (+ room for the multipart framing). */
const MAX_UPLOAD_BODY = MAX_ATTACHMENT_BYTES + 64 * 1024;
const isUpload = (method: string, path: string) => method === 'POST' && /^\/api\/chats\/[^/]+\/attachments$/.test(path);

export function buildApp() {
  const api = newRouter();
  api.use('*', sameOriginMutations);
  const jsonLimit = bodyLimit({ maxSize: MAX_API_BODY, onError: (c) => c.json(errorBody('payload_too_large', 'The body is larger than 1 MiB'), 413) });
  const uploadLimit = bodyLimit({ maxSize: MAX_UPLOAD_BODY, onError: (c) => c.json(errorBody('payload_too_large', 'The file is larger than 20 MiB'), 413) });
  api.use('*', (c, next) => (isUpload(c.req.method, c.req.path) ? uploadLimit : jsonLimit)(c, next));
  api.use('*', loadSession);
  api.route('/', authRoutes);
  api.route('/', accountRoutes);
  api.route('/', userRoutes);
  api.route('/', chatRoutes);
  api.route('/', chatActionRoutes);
  api.route('/', chatNoteRoutes);
  api.route('/', integrationRoutes);
  api.route('/', chatMessageRoutes);
  api.route('/', queueRoutes);
  api.route('/', routingRoutes);
  api.route('/', crmRoutes);
  api.route('/', reportRoutes);
  api.route('/', cannedRoutes);
  api.route('/', mentionRoutes);
  api.route('/', historySettingsRoutes);
  api.route('/', liveRoutes);

  api.doc31('/openapi.json', { openapi: '3.1.0', info: { title: 'Ponte API', version: '1' } });

  const app = withBase(new OpenAPIHono<AppEnv>());
  app.route('/api', api);
  // Baseline routes for `npm run bench`: they answer only when the var PONTE_BENCH is "1".
  app.route('/', benchRoutes);
  app.route('/', webhookRoutes);
  app.route('/', mediaRoutes);
  return app;
}

/** What every request goes through, in every app: request id, headers, secrets, deps, one error mapper. */
function withBase(app: OpenAPIHono<AppEnv>) {
  app.use('*', requestId());
  app.use('*', securityHeaders);
  app.use('*', requireEncryptionKey);
  // Before every route, the webhook's too: the one place a request's dependencies are built.
  app.use('*', provideDeps);
  app.onError(onError);
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));
  return app;
}

/**
 * The webhook alone, for `/webhooks/*`: the messengers' traffic is most of the requests, and matching
 * it among every API route (a trie search over ~150 routes and their middleware) was ~4% of a webhook's
 * CPU. Same middleware and routes as in `app`, so both answer alike.
 */
export function buildWebhookApp() {
  return withBase(new OpenAPIHono<AppEnv>()).route('/', webhookRoutes);
}

export const app = buildApp();
export const webhookApp = buildWebhookApp();
export type AppType = typeof app;
