/**
 * Security headers on every answer, the UI's static files included (wrangler.toml sends every request
 * through the Worker: `run_worker_first = true`, then `serveAsset`).
 *  - HTML gets a strict Content-Security-Policy: scripts and styles only from our origin (the built
 *    index.html has no inline script or style), no framing, requests (fetch, same-origin WebSockets)
 *    only to us, pictures also from data:/blob: (the favicon, local previews).
 *  - Every answer: nosniff, no Referer to other sites, no framing; HSTS when served over https.
 *  - /api answers carry user data: `Cache-Control: no-store` unless the route chose its own caching.
 * A response that already sets one of these (a file served sandboxed, /media) keeps its own value.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Env } from '../env';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HSTS = 'max-age=31536000; includeSubDomains';

/** The paths the Worker answers itself; everything else is the UI's static files. */
const WORKER_PATHS = /^\/(api|webhooks|media|bench)(\/|$)/;

export function isWorkerPath(pathname: string): boolean {
  return WORKER_PATHS.test(pathname);
}

/** Where an answer goes: a URL, or the parts of one a router already has. */
type AnswerFor = Pick<URL, 'protocol' | 'pathname'>;

/** Adds the headers above that `h` does not set yet. */
export function applySecurityHeaders(h: Headers, url: AnswerFor): void {
  const setDefault = (name: string, value: string) => {
    if (!h.has(name)) h.set(name, value);
  };
  setDefault('X-Content-Type-Options', 'nosniff');
  setDefault('Referrer-Policy', 'no-referrer');
  setDefault('X-Frame-Options', 'DENY');
  if (url.protocol === 'https:') setDefault('Strict-Transport-Security', HSTS);
  if ((h.get('content-type') ?? '').toLowerCase().startsWith('text/html')) setDefault('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  if (url.pathname.startsWith('/api/')) setDefault('Cache-Control', 'no-store');
}

/** A copy of `res` with the headers above (a WebSocket upgrade is returned as it is). */
export function withSecurityHeaders(res: Response, url: AnswerFor): Response {
  if (res.status === 101 || res.webSocket) return res;
  const out = new Response(res.body, res);
  applySecurityHeaders(out.headers, url);
  return out;
}

/** Hono middleware for the Worker's own routes (mounted first in app.ts). */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.res.status === 101 || c.res.webSocket) return;
  // Hono has the path already; parsing the whole URL again cost every webhook a little (tools/bench/profile.mjs).
  const url = { protocol: c.req.url.startsWith('https:') ? 'https:' : 'http:', pathname: c.req.path };
  try {
    applySecurityHeaders(c.res.headers, url);
  } catch {
    // Headers of a response fetched from elsewhere (a Durable Object, R2) may be immutable: copy it.
    c.res = withSecurityHeaders(c.res, url);
  }
};

/** The UI's static files (index.html for app routes, hashed JS/CSS) with the same headers. */
export async function serveAsset(request: Request, env: Env): Promise<Response> {
  return withSecurityHeaders(await env.ASSETS.fetch(request), new URL(request.url));
}
