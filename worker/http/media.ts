/**
 * `GET /media/{key}?exp=&sig=`: serves one of our R2 files to a messenger that was handed a signed URL
 * (a manager's attachment). Root-mounted, no session; the signature is the permission.
 */
import { Hono } from 'hono';
import { verifyMediaSignature } from '../domain/media';
import type { AppEnv } from '../env';
import { errorBody } from './error-responses';

export const mediaRoutes = new Hono<AppEnv>().get('/media/:key', async (c) => {
  const key = c.req.param('key');
  const valid = await verifyMediaSignature(c.env.ENCRYPTION_KEY, key, c.req.query('exp'), c.req.query('sig'));
  if (!valid) return c.json(errorBody('invalid_signature', 'The link is invalid or has expired'), 403);
  const object = await c.env.MEDIA.get(key);
  if (!object) return c.json(errorBody('not_found', 'No such file'), 404);
  return fileResponse(object);
});

/**
 * An R2 object with its type and original name. Files come from strangers (any client can send an HTML
 * "document"), so they are sandboxed and only pictures, audio and video are shown inline.
 */
export function fileResponse(object: R2ObjectBody, cacheControl = 'private, max-age=3600'): Response {
  const type = object.httpMetadata?.contentType ?? 'application/octet-stream';
  const headers = new Headers({
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'content-type': type,
    'content-length': String(object.size),
  });
  const disposition = /^(image|audio|video)\//i.test(type) ? 'inline' : 'attachment';
  const name = object.customMetadata?.fileName;
  headers.set('content-disposition', name ? `${disposition}; filename*=UTF-8''${encodeURIComponent(name)}` : disposition);
  return new Response(object.body, { headers });
}
