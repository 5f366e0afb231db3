/**
 * The two WebSocket upgrade routes. `requireLiveViewer` authenticates (same site, session cookie, a real
 * upgrade, a valid cursor) and throws like every guard, so refusals go through `onError`; each route then
 * asks the one chat gate where a chat is concerned and hands the socket to its live stream.
 * Not in the OpenAPI document: OpenAPI cannot describe a WebSocket; shapes are in shared/live.ts.
 */
import type { MiddlewareHandler } from 'hono';
import { sha256Hex } from '../domain/accounts';
import { authorizeChatRoom } from '../domain/access';
import { markRoomOpened, parseAfter } from '../domain/live';
import type { AppEnv } from '../env';
import { badRequest, DomainError } from '../shared/errors';
import { fromOtherSite, requireUser } from './guards';
import { newRouter } from './router';
import { sessionToken } from './session';

/**
 * Origin first: the browser sends the session cookie with a cross-site WebSocket too, and CORS does not
 * apply to WebSockets, so a foreign page could otherwise read a user's live feed. Then the session,
 * then the upgrade itself. Sets `c.var.live`.
 */
export const requireLiveViewer: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (fromOtherSite(c)) throw new DomainError(403, 'cross_origin', 'Live updates may only be opened by the app itself');
  const user = requireUser(c);
  const token = sessionToken(c);
  if (!token) throw new DomainError(401, 'unauthorized', 'Log in first');
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') throw new DomainError(426, 'upgrade_required', 'This is a WebSocket endpoint');
  const after = parseAfter(c.req.query('after'));
  if (after === undefined) throw badRequest('validation_failed', 'after must be a non-negative integer');
  // The objects re-check the session behind each socket by its hash.
  c.set('live', { viewer: { ...user, session: await sha256Hex(token) }, after });
  await next();
};

export const liveRoutes = newRouter()
  .get('/live', requireLiveViewer, (c) => c.var.deps.openLive({ kind: 'inbox' }, c.var.live.viewer, c.var.live.after))
  .get('/chats/:id/live', requireLiveViewer, async (c) => {
    const chatId = c.req.param('id');
    const { viewer, after } = c.var.live;
    // The REST gate: 404 for a chat the user may not see, exactly as GET /api/chats/:id answers.
    const { observerIds } = await authorizeChatRoom(c.var.deps.db, viewer, chatId);
    // Before the socket joins: from here on this chat's changes reach its room.
    await markRoomOpened(c.var.deps.db, chatId);
    return c.var.deps.openLive({ kind: 'chat', chatId, observerIds }, viewer, after);
  });
