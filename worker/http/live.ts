/**
 * The two WebSocket upgrade routes. They authenticate (session cookie), authorise (the access policy)
 * and hand the socket to its Durable Object with the checked viewer; the objects do the rest.
 * Not in the OpenAPI document: OpenAPI cannot describe a WebSocket; shapes are in shared/live.ts.
 */
import type { Context } from 'hono';
import { sha256Hex } from '../domain/accounts';
import { authorizeChatRoom, type Viewer } from '../domain/access';
import { parseAfter } from '../domain/live';
import type { AppEnv } from '../env';
import { errorBody } from './errors';
import { newRouter } from './router';
import { sessionToken } from './session';

export const liveRoutes = newRouter();

liveRoutes.get('/live', async (c) => {
  const checked = await checkUpgrade(c);
  if (checked instanceof Response) return checked;
  return c.var.deps.openLive({ kind: 'inbox' }, checked.viewer, checked.after);
});

liveRoutes.get('/chats/:id/live', async (c) => {
  const checked = await checkUpgrade(c);
  if (checked instanceof Response) return checked;
  const chatId = c.req.param('id');
  // The REST gate: 404 for a chat the user may not see, exactly as GET /api/chats/:id answers.
  const { observerIds } = await authorizeChatRoom(c.var.deps.db, checked.viewer, chatId);
  return c.var.deps.openLive({ kind: 'chat', chatId, observerIds }, checked.viewer, checked.after);
});

interface Checked {
  viewer: Viewer;
  after: number | null;
}

/**
 * Origin first: the browser sends the session cookie with a cross-site WebSocket too, and CORS does not
 * apply to WebSockets, so a foreign page could otherwise read a user's live feed. Then the session,
 * then the upgrade itself.
 */
async function checkUpgrade(c: Context<AppEnv>): Promise<Checked | Response> {
  if (isCrossSite(c)) return c.json(errorBody('cross_origin', 'Live updates may only be opened by the app itself'), 403);
  const user = c.get('user');
  const token = sessionToken(c);
  if (!user || !token) return c.json(errorBody('unauthorized', 'Log in first'), 401);
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') return c.json(errorBody('upgrade_required', 'This is a WebSocket endpoint'), 426);
  const after = parseAfter(c.req.query('after'));
  if (after === undefined) return c.json(errorBody('validation_failed', 'after must be a non-negative integer'), 400);
  return { viewer: { ...user, session: await sha256Hex(token) }, after };
}

function isCrossSite(c: Context<AppEnv>): boolean {
  const origin = c.req.header('origin');
  if (c.req.header('sec-fetch-site') === 'cross-site') return true;
  if (origin === undefined) return false;
  return origin !== new URL(c.req.url).origin && origin !== originOf(c.env.PUBLIC_URL);
}

function originOf(url: string | undefined): string | null {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}
